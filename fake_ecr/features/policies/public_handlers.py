"""ECR Public repository policies: Set/Get/DeleteRepositoryPolicy.

The document rules and the stored form are ECR's (see ``fake_ecr.features.policies.documents``); actions must
be ``ecr-public:`` actions.
"""

from __future__ import annotations

from typing import Any

from fake_ecr.core.serving import Call
from fake_ecr.features.policies.documents import parse_repository_policy
from fake_ecr.core.operations import operation
from fake_ecr.features.policies.ecr_handlers import (
    POLICY_KEY,
    _repository_result,
    _stored_repository_policy,
)
from fake_ecr.features.public.common import SERVICE, public_repository


@operation(SERVICE, "SetRepositoryPolicy")
def set_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    # ``force`` skips the lock-out check, which needs a caller identity fake_ecr does not have.
    policy = parse_repository_policy(params["policyText"], "ecr-public")
    repo.extras[POLICY_KEY] = policy
    return _repository_result(repo, policy)


@operation(SERVICE, "GetRepositoryPolicy")
def get_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    return _repository_result(repo, _stored_repository_policy(repo))


@operation(SERVICE, "DeleteRepositoryPolicy")
def delete_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    policy = _stored_repository_policy(repo)
    del repo.extras[POLICY_KEY]
    return _repository_result(repo, policy)
