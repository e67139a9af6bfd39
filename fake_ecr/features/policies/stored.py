"""Where policies live: the repository's and the registry's, parsed, with the errors for "none".

Shared by the handlers of both services and by features that read policies (replication checks
the destination's registry policy; creation templates give new repositories a policy).
"""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.errors import ServiceError, missing_in_repository
from fake_ecr.features.policies.documents import StoredPolicy
from fake_ecr.model import Registry, Repository


class RepositoryPolicy:
    """Repository state: its access policy, if one was set."""

    def __init__(self) -> None:
        self.policy: Optional[StoredPolicy] = None


class RegistryPolicy:
    """Registry state: its access policy, if one was put."""

    def __init__(self) -> None:
        self.policy: Optional[StoredPolicy] = None


def repository_policy(repo: Repository) -> Optional[StoredPolicy]:
    """The repository's access policy, parsed, or None."""
    return repo.state(RepositoryPolicy).policy


def registry_policy(registry: Registry) -> Optional[StoredPolicy]:
    """The registry's access policy, parsed, or None."""
    return registry.state(RegistryPolicy).policy


def required_repository_policy(repo: Repository) -> StoredPolicy:
    """The repository's policy, or RepositoryPolicyNotFoundException."""
    policy = repository_policy(repo)
    if policy is None:
        raise missing_in_repository(
            "RepositoryPolicyNotFoundException", "Repository policy", repo.name, repo.registry_id
        )
    return policy


def required_registry_policy(registry: Registry) -> StoredPolicy:
    """The registry's policy, or RegistryPolicyNotFoundException."""
    policy = registry_policy(registry)
    if policy is None:
        raise ServiceError(
            "RegistryPolicyNotFoundException",
            f"Registry policy does not exist in the registry with id '{registry.registry_id}'",
        )
    return policy


def repository_result(repo: Repository, policy: StoredPolicy) -> dict[str, Any]:
    """The answer of the repository policy operations of both services."""
    return {"registryId": repo.registry_id, "repositoryName": repo.name, "policyText": policy.text}
