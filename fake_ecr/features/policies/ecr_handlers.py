"""ECR repository and registry policies: Set/Get/DeleteRepositoryPolicy, Put/Get/DeleteRegistryPolicy."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.policies.documents import parse_policy, parse_repository_policy
from fake_ecr.features.policies.stored import (
    RegistryPolicy,
    RepositoryPolicy,
    repository_result,
    required_registry_policy,
    required_repository_policy,
)
from fake_ecr.model import Repository

operations = OperationTable()


def _repository(call: Call, params: dict[str, Any]) -> Repository:
    return call.registry(params.get("registryId")).repository(params["repositoryName"])


@operations.serves("ecr", "SetRepositoryPolicy")
def set_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    # ``force`` skips ECR's check that the caller does not lock itself out; fake_ecr has no
    # caller identity to lock out, so both forms store the policy.
    policy = parse_repository_policy(params["policyText"])
    repo.state(RepositoryPolicy).policy = policy
    return repository_result(repo, policy)


@operations.serves("ecr", "GetRepositoryPolicy")
def get_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    return repository_result(repo, required_repository_policy(repo))


@operations.serves("ecr", "DeleteRepositoryPolicy")
def delete_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    policy = required_repository_policy(repo)
    repo.state(RepositoryPolicy).policy = None
    return repository_result(repo, policy)


@operations.serves("ecr", "PutRegistryPolicy")
def put_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    policy = parse_policy(
        params["policyText"],
        action_prefix="ecr:",
        allow_resource=True,
        refusal="Invalid registry policy provided",
    )
    registry.state(RegistryPolicy).policy = policy
    return {"registryId": registry.registry_id, "policyText": policy.text}


@operations.serves("ecr", "GetRegistryPolicy")
def get_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    return {"registryId": registry.registry_id, "policyText": required_registry_policy(registry).text}


@operations.serves("ecr", "DeleteRegistryPolicy")
def delete_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    policy = required_registry_policy(registry)
    registry.state(RegistryPolicy).policy = None
    return {"registryId": registry.registry_id, "policyText": policy.text}
