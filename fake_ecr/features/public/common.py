"""What every ECR Public handler shares: the Region rule, registry lookup and repository views.

ECR Public's API answers in us-east-1. us-west-2 has an API endpoint too, but it refuses the
calls with ``UnsupportedCommandException`` ("<Operation> command is only supported in
us-east-1."). Every other Region has no ECR Public endpoint at all: the client cannot reach
``api.ecr-public.<region>.amazonaws.com`` and botocore raises ``EndpointConnectionError``.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from botocore.exceptions import EndpointConnectionError

from fake_ecr.aws.partitions import dns_suffix
from fake_ecr.core.call import Call
from fake_ecr.core.service_models import operation_model
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.model import PublicRegistry, PublicRepository
from fake_ecr.model.public import PUBLIC_REGION

SERVICE = "ecr-public"
# Regions with an ECR Public API endpoint that refuses the calls.
REFUSING_REGIONS = frozenset({"us-west-2"})

_ACCOUNT_ID = re.compile(r"[0-9]{12}")


def check_region(call: Call, url: str) -> None:
    """Refuse an ECR Public call made outside us-east-1 the way AWS (or the network) does (the
    wiring runs it for ECR Public calls only)."""
    if call.region == PUBLIC_REGION:
        return
    if call.region in REFUSING_REGIONS:
        raise ServiceError(
            "UnsupportedCommandException",
            f"{call.operation} command is only supported in {PUBLIC_REGION}.",
        )
    raise EndpointConnectionError(
        endpoint_url=url or f"https://api.ecr-public.{call.region}.{dns_suffix(call.region)}/"
    )


def public_registry(call: Call, registry_id: Optional[str] = None) -> PublicRegistry:
    """The public registry named by ``registryId`` (an account id or, on the push path, an alias)."""
    if registry_id is None or _ACCOUNT_ID.fullmatch(registry_id):
        return call.backend.public_registry(registry_id or call.account_id)
    for registry in call.backend.public_registries.values():
        if registry.has_alias(registry_id):
            return registry
    errors = {shape.name for shape in operation_model(SERVICE, call.operation).error_shapes}
    if "RegistryNotFoundException" in errors:
        raise ServiceError(
            "RegistryNotFoundException",
            f"The registry with id or alias '{registry_id}' does not exist",
        )
    raise ServiceError(
        "RepositoryNotFoundException",
        f"The registry with id or alias '{registry_id}' does not exist",
    )


def public_repository(call: Call, params: dict[str, Any]) -> PublicRepository:
    """The repository a request's ``registryId``/``repositoryName`` names."""
    return public_registry(call, params.get("registryId")).repository(params["repositoryName"])


def repository_view(call: Call, repo: PublicRepository) -> dict[str, Any]:
    """A ``Repository`` structure as ECR Public returns it."""
    return {
        "repositoryArn": repo.arn,
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "repositoryUri": repo.uri,
        "createdAt": call.timestamp(repo.created_at),
    }


_REPOSITORY_ARN = re.compile(r"arn:aws[a-z-]*:ecr-public::([0-9]{12}):repository/(.+)")


def repository_for_arn(call: Call, arn: str) -> PublicRepository:
    """The repository a resource ARN names; InvalidParameterException for anything else."""
    match = _REPOSITORY_ARN.fullmatch(arn)
    if match is None:
        raise invalid_parameter("resourceArn", "Invalid ARN")
    account_id, name = match.groups()
    return call.backend.public_registry(account_id).repository(name)
