"""ECR pull through cache rules: Create/Describe/Update/Delete/ValidatePullThroughCacheRule."""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.core.pagination import check_ids_or_pages
from fake_ecr.errors import ServiceError, invalid_parameter, limit_exceeded
from fake_ecr.features.creation_templates.templates import check_role_arn
from fake_ecr.features.pull_through_cache import upstreams
from fake_ecr.features.pull_through_cache.rules import (
    PullThroughCacheRule,
    access_problem,
    find_rule,
    rules_of,
)
from fake_ecr.features.pull_through_cache.secrets import usable_secret
from fake_ecr.model import Registry

operations = OperationTable()

MAX_RULES = 50  # pull through cache rules per registry (ECR's quota)

# The members of a rule each response carries (the output shapes differ per operation).
_DELETE_MEMBERS = (
    "ecrRepositoryPrefix",
    "upstreamRegistryUrl",
    "createdAt",
    "registryId",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)
_CREATE_MEMBERS = (*_DELETE_MEMBERS, "upstreamRegistry")
_DESCRIBE_MEMBERS = (*_CREATE_MEMBERS, "updatedAt")
_UPDATE_MEMBERS = (
    "ecrRepositoryPrefix",
    "registryId",
    "updatedAt",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)
_VALIDATE_MEMBERS = (
    "ecrRepositoryPrefix",
    "registryId",
    "upstreamRegistryUrl",
    "credentialArn",
    "customRoleArn",
    "upstreamRepositoryPrefix",
)


def _view(call: Call, registry: Registry, rule: PullThroughCacheRule, members: tuple[str, ...]) -> dict[str, Any]:
    full: dict[str, Any] = {
        "ecrRepositoryPrefix": rule.prefix,
        "upstreamRegistryUrl": rule.upstream_url,
        "createdAt": call.timestamp(rule.created_at),
        "registryId": registry.registry_id,
        "credentialArn": rule.credential_arn,
        "customRoleArn": rule.custom_role_arn,
        "upstreamRepositoryPrefix": rule.upstream_prefix,
        "upstreamRegistry": rule.upstream_kind,
        "updatedAt": call.timestamp(rule.updated_at),
    }
    return {name: full[name] for name in members if full[name] is not None}


def _not_found(prefix: str, registry: Registry) -> ServiceError:
    return ServiceError(
        "PullThroughCacheRuleNotFoundException",
        f"The pull through cache rule with prefix '{prefix}' does not exist in the registry with id "
        f"'{registry.registry_id}'",
    )


def _existing(call: Call, params: dict[str, Any]) -> tuple[Registry, PullThroughCacheRule]:
    registry = call.registry(params.get("registryId"))
    rule = find_rule(registry, params["ecrRepositoryPrefix"])
    if rule is None:
        raise _not_found(params["ecrRepositoryPrefix"], registry)
    return registry, rule


def _refuse(member: str, reason: str) -> ServiceError:
    return invalid_parameter(member, reason)


def _check_credentials(kind: str, credential_arn: Optional[str], role_arn: Optional[str]) -> None:
    """Which upstreams take a secret (``credentialArn``) and which an IAM role (``customRoleArn``)."""
    auth = upstreams.authentication(kind)
    if credential_arn is not None and auth != upstreams.SECRET:
        raise _refuse("credentialArn", f"A credentialArn cannot be used with the upstream registry '{kind}'")
    if role_arn is not None and auth != upstreams.ROLE:
        raise _refuse("customRoleArn", "A customRoleArn can only be used with the upstream registry 'ecr'")


def _upstream_kind(params: dict[str, Any]) -> str:
    url = params["upstreamRegistryUrl"]
    kind = upstreams.kind_of_url(url)
    if kind is None:
        raise ServiceError(
            "UnsupportedUpstreamRegistryException",
            f"The upstream registry URL '{url}' is not supported for pull through cache rules",
        )
    declared = params.get("upstreamRegistry")
    if declared is not None and declared != kind:
        raise _refuse("upstreamRegistryUrl", f"The upstream registry URL '{url}' is not a {declared} registry URL")
    return kind


@operations.serves("ecr", "CreatePullThroughCacheRule")
def create_pull_through_cache_rule(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    prefix = params["ecrRepositoryPrefix"]
    kind = _upstream_kind(params)
    credential_arn, role_arn = params.get("credentialArn"), params.get("customRoleArn")
    upstream_prefix = params.get("upstreamRepositoryPrefix")
    _check_credentials(kind, credential_arn, role_arn)
    auth = upstreams.authentication(kind)
    if auth == upstreams.SECRET and credential_arn is None:
        # Not an InvalidParameterException: ECR answers as for an upstream it cannot use.
        raise ServiceError(
            "UnsupportedUpstreamRegistryException",
            "The specified upstream registry requires authentication. Specify a valid Secrets Manager ARN",
        )
    if upstream_prefix is not None and kind != "ecr":
        raise _refuse(
            "upstreamRepositoryPrefix", "An upstreamRepositoryPrefix can only be used with the upstream registry 'ecr'"
        )
    if kind == "ecr":
        account, region = upstreams.ecr_location(params["upstreamRegistryUrl"])
        if (account, region) == (registry.registry_id, registry.region):
            raise _refuse("upstreamRegistryUrl", "The upstream registry cannot be the registry of the rule itself")
        if role_arn is None and account != registry.registry_id:
            raise _refuse("customRoleArn", "A customRoleArn is required for an upstream registry in another account")
    if role_arn is not None:
        check_role_arn(role_arn, registry.registry_id)
    if find_rule(registry, prefix) is not None:
        raise ServiceError(
            "PullThroughCacheRuleAlreadyExistsException",
            f"A pull through cache rule with prefix '{prefix}' already exists in the registry with id "
            f"'{registry.registry_id}'",
        )
    rules = rules_of(registry)
    if len(rules) >= MAX_RULES:
        raise limit_exceeded()
    if credential_arn is not None:
        usable_secret(call.backend, credential_arn, registry.registry_id, registry.region)
    rule = PullThroughCacheRule(
        prefix, params["upstreamRegistryUrl"], kind, call.now, credential_arn, role_arn, upstream_prefix
    )
    rules.add(prefix, rule, call.backend.next_seq())
    return _view(call, registry, rule, _CREATE_MEMBERS)


@operations.serves("ecr", "DescribePullThroughCacheRules")
def describe_pull_through_cache_rules(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    prefixes = params.get("ecrRepositoryPrefixes")
    if prefixes is not None:
        check_ids_or_pages(params, "ecrRepositoryPrefixes")
        found = []
        for prefix in dict.fromkeys(prefixes):
            rule = find_rule(registry, prefix)
            if rule is None:
                raise _not_found(prefix, registry)
            found.append(rule)
        return {"pullThroughCacheRules": [_view(call, registry, r, _DESCRIBE_MEMBERS) for r in found]}
    scope = f"DescribePullThroughCacheRules:{registry.registry_id}:{call.region}"
    page, token = pagination.page_of(rules_of(registry), params, scope)
    return pagination.paged("pullThroughCacheRules", [_view(call, registry, r, _DESCRIBE_MEMBERS) for r in page], token)


@operations.serves("ecr", "UpdatePullThroughCacheRule")
def update_pull_through_cache_rule(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry, rule = _existing(call, params)
    credential_arn, role_arn = params.get("credentialArn"), params.get("customRoleArn")
    if credential_arn is None and role_arn is None:
        raise _refuse("credentialArn", "Either credentialArn or customRoleArn must be specified")
    _check_credentials(rule.upstream_kind, credential_arn, role_arn)
    if role_arn is not None:
        check_role_arn(role_arn, registry.registry_id)
    if credential_arn is not None:
        usable_secret(call.backend, credential_arn, registry.registry_id, registry.region)
        rule.credential_arn = credential_arn
    if role_arn is not None:
        rule.custom_role_arn = role_arn
    rule.updated_at = call.now
    return _view(call, registry, rule, _UPDATE_MEMBERS)


@operations.serves("ecr", "DeletePullThroughCacheRule")
def delete_pull_through_cache_rule(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Deleting a rule keeps the repositories it created (they stop syncing)."""
    registry, rule = _existing(call, params)
    rules_of(registry).remove(rule.prefix)
    return _view(call, registry, rule, _DELETE_MEMBERS)


@operations.serves("ecr", "ValidatePullThroughCacheRule")
def validate_pull_through_cache_rule(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """Valid when the rule's secret exists with accepted credentials and the upstream does not fail."""
    registry, rule = _existing(call, params)
    result = _view(call, registry, rule, _VALIDATE_MEMBERS)
    problem = access_problem(call.backend, registry, rule)
    result["isValid"] = problem is None
    if problem is not None:
        result["failure"] = problem.reason
    return result
