"""Which IAM action each operation is, and which resources it is authorized against.

Every operation of both services is its own action, ``ecr:<Operation>`` and
``ecr-public:<Operation>`` (Service Authorization Reference, "Actions defined by Amazon Elastic
Container Registry" and "... Amazon ECR Public"); ECR Public's GetAuthorizationToken also needs
``sts:GetServiceBearerToken`` (ECR Public user guide, "Registry authentication"). Operations on
repositories are authorized against the repository's ARN (each one, for operations that name
several); tagging operations against the ARN they name; the rest (GetAuthorizationToken and the
registry-level operations) against ``*`` in the caller's own account.
"""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.aws.partitions import arn

EXTRA_ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ecr-public", "GetAuthorizationToken"): ("sts:GetServiceBearerToken",),
}


def actions_for(service: str, operation: str) -> tuple[str, ...]:
    """The IAM actions ``service``.``operation`` needs, in the order they are checked."""
    return (f"{service}:{operation}",) + EXTRA_ACTIONS.get((service, operation), ())


def repository_arn(service: str, region: str, registry_id: str, name: str) -> str:
    if service == "ecr-public":
        return f"arn:aws:ecr-public::{registry_id}:repository/{name}"
    return arn("ecr", region, registry_id, f"repository/{name}")


class Target:
    """One resource a call is authorized against: its ARN, account and repository name (if any)."""

    __slots__ = ("arn", "account_id", "repository")

    def __init__(self, resource_arn: str, account_id: Optional[str], repository: Optional[str] = None) -> None:
        self.arn = resource_arn
        self.account_id = account_id
        self.repository = repository


def targets(service: str, region: str, caller_account: str, params: dict[str, Any]) -> list[Target]:
    """The resources a call with ``params`` acts on (see the module docstring)."""
    registry_id = params.get("registryId") or caller_account
    names: list[str] = []
    if isinstance(params.get("repositoryName"), str):
        names.append(params["repositoryName"])
    if isinstance(params.get("repositoryNames"), list):
        names.extend(n for n in params["repositoryNames"] if isinstance(n, str))
    if names:
        return [Target(repository_arn(service, region, registry_id, n), registry_id, n) for n in names]
    resource_arn = params.get("resourceArn")
    if isinstance(resource_arn, str):
        parts = resource_arn.split(":", 5)
        account = parts[4] if len(parts) == 6 else None
        name = parts[5].partition("/")[2] if len(parts) == 6 and parts[5].startswith("repository/") else None
        return [Target(resource_arn, account or None, name or None)]
    return [Target("*", None)]
