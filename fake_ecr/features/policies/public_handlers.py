"""ECR Public repository policies: Set/Get/DeleteRepositoryPolicy.

The document rules and the stored form are ECR's (see ``fake_ecr.features.policies.documents``); actions must
be ``ecr-public:`` actions.
"""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.policies.documents import parse_repository_policy
from fake_ecr.features.policies.stored import RepositoryPolicy, repository_result, required_repository_policy
from fake_ecr.features.public.common import SERVICE, public_repository

operations = OperationTable()


@operations.serves(SERVICE, "SetRepositoryPolicy")
def set_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    # ``force`` skips the lock-out check, which needs a caller identity fake_ecr does not have.
    policy = parse_repository_policy(params["policyText"], "ecr-public")
    repo.state(RepositoryPolicy).policy = policy
    return repository_result(repo, policy)


@operations.serves(SERVICE, "GetRepositoryPolicy")
def get_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    return repository_result(repo, required_repository_policy(repo))


@operations.serves(SERVICE, "DeleteRepositoryPolicy")
def delete_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    policy = required_repository_policy(repo)
    repo.state(RepositoryPolicy).policy = None
    return repository_result(repo, policy)
