"""ECR repository and registry policies: Set/Get/DeleteRepositoryPolicy, Put/Get/DeleteRegistryPolicy."""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.core.serving import Call
from fake_ecr.errors import ServiceError, missing_in_repository
from fake_ecr.features.policies.documents import StoredPolicy, parse_policy, parse_repository_policy
from fake_ecr.model import Registry, Repository
from fake_ecr.core.operations import operation

# Where each resource keeps its policy (``extras`` of the repository / registry).
POLICY_KEY = "policy"


def repository_policy(repo: Repository) -> Optional[StoredPolicy]:
    """The repository's access policy, parsed, or None (for access control and other features)."""
    return repo.extras.get(POLICY_KEY)


def registry_policy(registry: Registry) -> Optional[StoredPolicy]:
    """The registry's access policy, parsed, or None."""
    return registry.extras.get(POLICY_KEY)


def _repository(call: Call, params: dict[str, Any]) -> Repository:
    return call.registry(params.get("registryId")).repository(params["repositoryName"])


def _stored_repository_policy(repo: Repository) -> StoredPolicy:
    policy = repository_policy(repo)
    if policy is None:
        raise missing_in_repository(
            "RepositoryPolicyNotFoundException", "Repository policy", repo.name, repo.registry_id
        )
    return policy


def _repository_result(repo: Repository, policy: StoredPolicy) -> dict[str, Any]:
    return {"registryId": repo.registry_id, "repositoryName": repo.name, "policyText": policy.text}


@operation("ecr", "SetRepositoryPolicy")
def set_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    # ``force`` skips ECR's check that the caller does not lock itself out; fake_ecr has no
    # caller identity to lock out, so both forms store the policy.
    policy = parse_repository_policy(params["policyText"])
    repo.extras[POLICY_KEY] = policy
    return _repository_result(repo, policy)


@operation("ecr", "GetRepositoryPolicy")
def get_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    return _repository_result(repo, _stored_repository_policy(repo))


@operation("ecr", "DeleteRepositoryPolicy")
def delete_repository_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    policy = _stored_repository_policy(repo)
    del repo.extras[POLICY_KEY]
    return _repository_result(repo, policy)


def _stored_registry_policy(registry: Registry) -> StoredPolicy:
    policy = registry_policy(registry)
    if policy is None:
        raise ServiceError(
            "RegistryPolicyNotFoundException",
            f"Registry policy does not exist in the registry with id '{registry.registry_id}'",
        )
    return policy


@operation("ecr", "PutRegistryPolicy")
def put_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    policy = parse_policy(
        params["policyText"],
        action_prefix="ecr:",
        allow_resource=True,
        refusal="Invalid registry policy provided",
    )
    registry.extras[POLICY_KEY] = policy
    return {"registryId": registry.registry_id, "policyText": policy.text}


@operation("ecr", "GetRegistryPolicy")
def get_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    return {"registryId": registry.registry_id, "policyText": _stored_registry_policy(registry).text}


@operation("ecr", "DeleteRegistryPolicy")
def delete_registry_policy(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    policy = _stored_registry_policy(registry)
    del registry.extras[POLICY_KEY]
    return {"registryId": registry.registry_id, "policyText": policy.text}
