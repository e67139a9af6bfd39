"""ECR repository creation templates: Create/Describe/Update/DeleteRepositoryCreationTemplate."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import ServiceError, invalid_parameter, limit_exceeded
from fake_ecr.features.creation_templates.templates import (
    CreationTemplate,
    check_repository_policy,
    check_role_arn,
    lifecycle_text,
    template_encryption,
    template_not_found,
    templates_of,
)
from fake_ecr.features.repositories import resource_tags
from fake_ecr.features.repositories.settings import mutability_settings
from fake_ecr.model import Registry

operations = OperationTable()

# Repository creation templates per registry (fake_ecr's choice; see docs/pull-through-cache.md).
MAX_TEMPLATES = 100


def _view(template: CreationTemplate, call: Call) -> dict[str, Any]:
    view: dict[str, Any] = {"prefix": template.prefix}
    if template.description is not None:
        view["description"] = template.description
    view["encryptionConfiguration"] = dict(template.encryption)
    if template.resource_tags:
        view["resourceTags"] = resource_tags.as_tag_list(template.resource_tags)
    view["imageTagMutability"] = template.tag_mutability
    if template.mutability_exclusions:
        view["imageTagMutabilityExclusionFilters"] = [
            {"filterType": "WILDCARD", "filter": f} for f in template.mutability_exclusions
        ]
    if template.repository_policy:
        view["repositoryPolicy"] = template.repository_policy
    if template.lifecycle_policy:
        view["lifecyclePolicy"] = template.lifecycle_policy
    view["appliedFor"] = list(template.applied_for)
    if template.custom_role_arn:
        view["customRoleArn"] = template.custom_role_arn
    view["createdAt"] = call.timestamp(template.created_at)
    view["updatedAt"] = call.timestamp(template.updated_at)
    return view


def _result(call: Call, registry: Registry, template: CreationTemplate) -> dict[str, Any]:
    return {"registryId": registry.registry_id, "repositoryCreationTemplate": _view(template, call)}


def _tags(params: dict[str, Any]) -> dict[str, str]:
    # The template operations model no tag errors: a bad tag is an InvalidParameterException.
    try:
        tags = resource_tags.parse_tag_list(params["resourceTags"])
        resource_tags.check_count(tags)
    except ServiceError as err:
        raise invalid_parameter("resourceTags", err.message) from None
    return tags


def _configure(call: Call, registry: Registry, template: CreationTemplate, params: dict[str, Any]) -> None:
    """Apply the members present in a Create/Update request (validated first, then stored)."""
    changes: dict[str, Any] = {}
    if "appliedFor" in params:
        if not params["appliedFor"]:
            raise invalid_parameter("appliedFor", "appliedFor must contain at least one value")
        changes["applied_for"] = list(dict.fromkeys(params["appliedFor"]))
    if "imageTagMutability" in params or "imageTagMutabilityExclusionFilters" in params:
        merged = {"imageTagMutability": template.tag_mutability, **params}
        changes["tag_mutability"], changes["mutability_exclusions"] = mutability_settings(merged)
    if "encryptionConfiguration" in params:
        changes["encryption"] = template_encryption(params["encryptionConfiguration"])
    if "resourceTags" in params:
        changes["resource_tags"] = _tags(params)
    if params.get("repositoryPolicy"):
        check_repository_policy(params["repositoryPolicy"])
    if "repositoryPolicy" in params:
        changes["repository_policy"] = params["repositoryPolicy"] or None
    if "lifecyclePolicy" in params:
        changes["lifecycle_policy"] = lifecycle_text(params["lifecyclePolicy"]) if params["lifecyclePolicy"] else None
    if params.get("customRoleArn"):
        check_role_arn(params["customRoleArn"], registry.registry_id)
    if "customRoleArn" in params:
        changes["custom_role_arn"] = params["customRoleArn"] or None
    if "description" in params:
        changes["description"] = params["description"]
    for name, value in changes.items():
        setattr(template, name, value)
    template.updated_at = call.now


@operations.serves("ecr", "CreateRepositoryCreationTemplate")
def create_repository_creation_template(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    templates = templates_of(registry)
    prefix = params["prefix"]
    template = CreationTemplate(prefix, call.now)
    _configure(call, registry, template, params)
    if prefix in templates:
        raise ServiceError(
            "TemplateAlreadyExistsException",
            f"The repository creation template with prefix '{prefix}' already exists in the registry "
            f"with id '{registry.registry_id}'",
        )
    if len(templates) >= MAX_TEMPLATES:
        raise limit_exceeded()
    templates.add(prefix, template, call.backend.next_seq())
    return _result(call, registry, template)


def _existing(call: Call, params: dict[str, Any]) -> tuple[Registry, CreationTemplate]:
    registry = call.registry()
    template = templates_of(registry).get(params["prefix"])
    if template is None:
        raise template_not_found(params["prefix"], registry.registry_id)
    return registry, template


@operations.serves("ecr", "UpdateRepositoryCreationTemplate")
def update_repository_creation_template(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry, template = _existing(call, params)
    _configure(call, registry, template, params)
    return _result(call, registry, template)


@operations.serves("ecr", "DeleteRepositoryCreationTemplate")
def delete_repository_creation_template(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry, template = _existing(call, params)
    templates_of(registry).remove(template.prefix)
    return _result(call, registry, template)


@operations.serves("ecr", "DescribeRepositoryCreationTemplates")
def describe_repository_creation_templates(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """All templates, or those of ``prefixes`` (unknown prefixes are left out, as no error is modeled)."""
    registry = call.registry()
    wanted = set(params.get("prefixes") or [])
    scope = f"DescribeRepositoryCreationTemplates:{registry.registry_id}:{call.region}:{sorted(wanted)}"
    page, next_token = pagination.page_of(
        templates_of(registry), params, scope, keep=lambda t: not wanted or t.prefix in wanted
    )
    result = pagination.paged("repositoryCreationTemplates", [_view(t, call) for t in page], next_token)
    return {"registryId": registry.registry_id, **result}
