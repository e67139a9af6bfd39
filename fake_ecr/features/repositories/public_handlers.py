"""ECR Public repositories: create, describe, delete, and their catalog data."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import limit_exceeded, repository_already_exists, repository_not_empty
from fake_ecr.features.public.catalog import catalog_from_input, catalog_view
from fake_ecr.features.public.common import (
    SERVICE,
    public_registry,
    public_repository,
    repository_view,
)
from fake_ecr.features.repositories import resource_tags
from fake_ecr.model import PublicRepository

operations = OperationTable()


@operations.serves(SERVICE, "CreateRepository")
def create_repository(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = public_registry(call)
    name = params["repositoryName"]
    tags = resource_tags.parse_tag_list(params.get("tags") or [])
    resource_tags.check_count(tags)
    catalog = catalog_from_input(registry.registry_id, params.get("catalogData") or {})
    if name in registry.repositories:
        raise repository_already_exists(name, registry.registry_id)
    if len(registry.repositories) >= registry.repository_quota:
        raise limit_exceeded()
    registry.ensure_default_alias()
    seq = call.backend.next_seq()
    repo = PublicRepository(registry=registry, name=name, created_at=call.now, seq=seq, resource_tags=tags)
    repo.catalog_data = catalog
    registry.repositories.add(name, repo, seq)
    return {"repository": repository_view(call, repo), "catalogData": catalog_view(catalog)}


@operations.serves(SERVICE, "DescribeRepositories")
def describe_repositories(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = public_registry(call, params.get("registryId"))
    names = params.get("repositoryNames")
    if names is not None:
        pagination.check_ids_or_pages(params, "repositoryNames")
        repos = [registry.repository(name) for name in dict.fromkeys(names)]
        return {"repositories": [repository_view(call, r) for r in repos]}
    scope = f"ecr-public:DescribeRepositories:{registry.registry_id}"
    page, next_token = pagination.page_of(registry.repositories, params, scope)
    return pagination.paged("repositories", [repository_view(call, r) for r in page], next_token)


@operations.serves(SERVICE, "DeleteRepository")
def delete_repository(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    if len(repo.images) and not params.get("force"):
        raise repository_not_empty(repo.name, repo.registry_id)
    # Its images, tags, policy and catalog data go with it.
    repo.registry.repositories.remove(repo.name)
    return {"repository": repository_view(call, repo)}


@operations.serves(SERVICE, "GetRepositoryCatalogData")
def get_repository_catalog_data(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    return {"catalogData": catalog_view(repo.catalog_data)}


@operations.serves(SERVICE, "PutRepositoryCatalogData")
def put_repository_catalog_data(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # The new catalog data replaces the old one as a whole.
    repo = public_repository(call, params)
    repo.catalog_data = catalog_from_input(repo.registry_id, params["catalogData"])
    return {"catalogData": catalog_view(repo.catalog_data)}
