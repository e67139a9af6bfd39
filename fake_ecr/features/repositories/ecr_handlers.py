"""ECR repositories: create, describe, delete, and their per-repository settings."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.core.pagination import check_ids_or_pages
from fake_ecr.errors import repository_already_exists, repository_not_empty
from fake_ecr.features.repositories import resource_tags
from fake_ecr.features.repositories.settings import encryption_for, mutability_settings
from fake_ecr.model import Repository
from fake_ecr.model.repository import MUTABLE

operations = OperationTable()


def repository_view(call: Call, repo: Repository) -> dict[str, Any]:
    """A ``Repository`` structure as ECR returns it."""
    view: dict[str, Any] = {
        "repositoryArn": repo.arn,
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "repositoryUri": repo.uri,
        "createdAt": call.timestamp(repo.created_at),
        "imageTagMutability": repo.tag_mutability,
        "imageScanningConfiguration": {"scanOnPush": repo.scan_on_push},
        "encryptionConfiguration": dict(repo.encryption),
    }
    if repo.mutability_exclusions:
        view["imageTagMutabilityExclusionFilters"] = _filters_view(repo)
    return view


def _filters_view(repo: Repository) -> list[dict[str, str]]:
    return [{"filterType": "WILDCARD", "filter": f} for f in repo.mutability_exclusions]


@operations.serves("ecr", "CreateRepository")
def create_repository(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    name = params["repositoryName"]
    if "imageTagMutability" in params or "imageTagMutabilityExclusionFilters" in params:
        mode, filters = mutability_settings(params)
    else:
        mode, filters = MUTABLE, []  # what mutability_settings answers for neither member
    # Most repositories are created without tags or encryption settings: no helper calls for
    # those (an empty tag list passes every check; Repository defaults to AES256, as
    # encryption_for does without a configuration).
    given_tags = params.get("tags")
    tags = None
    if given_tags:
        tags = resource_tags.parse_tag_list(given_tags)
        resource_tags.check_count(tags)
    config = params.get("encryptionConfiguration")
    encryption = encryption_for(call, registry.registry_id, config) if config else None
    if name in registry.repositories:
        raise repository_already_exists(name, registry.registry_id)
    scanning = params.get("imageScanningConfiguration") or {}
    seq = call.backend.next_seq()
    repo = Repository(
        name=name,
        registry_id=registry.registry_id,
        region=call.region,
        created_at=call.now,
        seq=seq,
        tag_mutability=mode,
        mutability_exclusions=filters,
        scan_on_push=bool(scanning.get("scanOnPush", False)),
        encryption=encryption,
        resource_tags=tags,
    )
    registry.repositories.add(name, repo, seq)
    return {"repository": repository_view(call, repo)}


@operations.serves("ecr", "DescribeRepositories")
def describe_repositories(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    names = params.get("repositoryNames")
    if names is not None:
        check_ids_or_pages(params, "repositoryNames")
        repos = [registry.repository(name) for name in dict.fromkeys(names)]
        return {"repositories": [repository_view(call, r) for r in repos]}
    scope = f"DescribeRepositories:{registry.registry_id}:{call.region}"
    page, next_token = pagination.page_of(registry.repositories, params, scope)
    return pagination.paged("repositories", [repository_view(call, r) for r in page], next_token)


@operations.serves("ecr", "DeleteRepository")
def delete_repository(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    repo = registry.repository(params["repositoryName"])
    if len(repo.images) and not params.get("force"):
        raise repository_not_empty(repo.name, registry.registry_id)
    registry.repositories.remove(repo.name)
    return {"repository": repository_view(call, repo)}


@operations.serves("ecr", "PutImageTagMutability")
def put_image_tag_mutability(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    repo = registry.repository(params["repositoryName"])
    mode, filters = mutability_settings(params)
    repo.tag_mutability, repo.mutability_exclusions = mode, filters
    result: dict[str, Any] = {
        "registryId": registry.registry_id,
        "repositoryName": repo.name,
        "imageTagMutability": mode,
    }
    if filters:
        result["imageTagMutabilityExclusionFilters"] = _filters_view(repo)
    return result


@operations.serves("ecr", "PutImageScanningConfiguration")
def put_image_scanning_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    repo = registry.repository(params["repositoryName"])
    repo.scan_on_push = bool(params["imageScanningConfiguration"].get("scanOnPush", False))
    return {
        "registryId": registry.registry_id,
        "repositoryName": repo.name,
        "imageScanningConfiguration": {"scanOnPush": repo.scan_on_push},
    }
