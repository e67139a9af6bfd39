"""ECR Public registry-level operations: DescribeRegistries, registry catalog data, auth token."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.authorization.tokens import issue_token
from fake_ecr.features.public.common import SERVICE, public_registry
from fake_ecr.model import PublicRegistry

operations = OperationTable()


def _registry_view(registry: PublicRegistry) -> dict[str, Any]:
    return {
        "registryId": registry.registry_id,
        "registryArn": registry.arn,
        "registryUri": registry.uri,
        "verified": registry.verified,
        "aliases": [
            {
                "name": alias.name,
                "status": alias.status,
                "primaryRegistryAlias": alias.primary,
                "defaultRegistryAlias": alias.default,
            }
            for alias in registry.aliases
        ],
    }


@operations.serves(SERVICE, "DescribeRegistries")
def describe_registries(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # The account's public registry comes into being (with its default alias) when its first
    # repository is created; before that there is nothing to describe.
    pagination.decode(params.get("nextToken"), f"DescribeRegistries:{call.account_id}")
    registry = public_registry(call)
    return {"registries": [_registry_view(registry)] if registry.aliases else []}


def _catalog_result(registry: PublicRegistry) -> dict[str, Any]:
    data = {} if registry.display_name is None else {"displayName": registry.display_name}
    return {"registryCatalogData": data}


@operations.serves(SERVICE, "GetRegistryCatalogData")
def get_registry_catalog_data(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _catalog_result(public_registry(call))


@operations.serves(SERVICE, "PutRegistryCatalogData")
def put_registry_catalog_data(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # Any account may set a display name; the gallery shows it only for verified accounts.
    registry = public_registry(call)
    if "displayName" in params:
        registry.display_name = params["displayName"]
    return _catalog_result(registry)


@operations.serves(SERVICE, "GetAuthorizationToken")
def get_authorization_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # One token for every public registry the caller may use: no registry ids, no proxy endpoint.
    token, expires_at = issue_token(call)
    return {"authorizationData": {"authorizationToken": token, "expiresAt": call.timestamp(expires_at)}}
