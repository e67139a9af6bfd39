"""Authorizing a call before it runs (the ``AUTHORIZE`` hook), and AWS's AccessDeniedException.

AWS's message names who, which action, which resource and why, e.g. "User:
arn:aws:sts::111122223333:assumed-role/ci/build is not authorized to perform: ecr:BatchGetImage on
resource: arn:aws:ecr:us-east-1:123456789012:repository/app because no resource-based policy allows
the ecr:BatchGetImage action" (IAM user guide, "Troubleshoot access denied error messages").
"""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.core.call import Call
from fake_ecr.core.caller import caller_arn
from fake_ecr.core.principals import account_of
from fake_ecr.errors import ServiceError
from fake_ecr.features.access_control.actions import Target, actions_for, repository_arn, targets
from fake_ecr.features.access_control.conditions import ContextValue
from fake_ecr.features.access_control.engine import Decision, Request, evaluate
from fake_ecr.features.access_control.identities import Identities, policies_of, role_of
from fake_ecr.features.policies.documents import PolicyDocument
from fake_ecr.features.policies.stored import RegistryPolicy, RepositoryPolicy
from fake_ecr.model import Backend, Repository


class AccessDenied(ServiceError):
    """``AccessDeniedException``, carrying the decision that refused the call."""

    def __init__(self, decision: Decision) -> None:
        super().__init__("AccessDeniedException", decision.message)
        self.decision = decision


def principal_context(
    identities: Identities, principal: str, principal_account: Optional[str], region: str
) -> dict[str, ContextValue]:
    """The global condition keys every request carries for ``principal``."""
    context: dict[str, ContextValue] = {
        "aws:SecureTransport": "true",
        "aws:SourceIp": identities.source_ip,
        "aws:RequestedRegion": region,
    }
    if principal.startswith("arn:"):
        context["aws:PrincipalArn"] = role_of(principal)
    if principal_account is not None:
        context["aws:PrincipalAccount"] = principal_account
        org = identities.organizations.get(principal_account)
        if org is not None:
            context["aws:PrincipalOrgID"] = org
    if ":user/" in principal:
        context["aws:username"] = principal.rsplit("/", 1)[1]
    return context


def _request_tags(params: dict[str, Any], context: dict[str, ContextValue]) -> None:
    tags = params.get("tags")
    keys: list[str] = []
    if isinstance(tags, list):
        for tag in tags:
            if isinstance(tag, dict) and "Key" in tag:
                keys.append(str(tag["Key"]))
                context[f"aws:RequestTag/{tag['Key']}"] = str(tag.get("Value", ""))
    if isinstance(params.get("tagKeys"), list):
        keys.extend(str(k) for k in params["tagKeys"])
    if keys:
        context["aws:TagKeys"] = keys


def _repository(backend: Backend, service: str, region: str, registry_id: str, name: str) -> Optional[Repository]:
    if service == "ecr-public":
        public = backend.public_registries.get(registry_id)
        return public.repositories.get(name) if public is not None else None
    registry = backend.registries.get((registry_id, region))
    return registry.repositories.get(name) if registry is not None else None


def resource_policies(backend: Backend, service: str, region: str, target: Target) -> list[tuple[str, PolicyDocument]]:
    """The resource-based policies that apply to ``target``: its repository's, its registry's."""
    found: list[tuple[str, PolicyDocument]] = []
    if target.account_id is None:
        return found
    if target.repository is not None:
        repo = _repository(backend, service, region, target.account_id, target.repository)
        if repo is not None and repo.has_state(RepositoryPolicy):
            stored = repo.state(RepositoryPolicy).policy
            if stored is not None:
                found.append(("repository policy", stored.document))
    if service == "ecr":
        registry = backend.registries.get((target.account_id, region))
        if registry is not None and registry.has_state(RegistryPolicy):
            stored = registry.state(RegistryPolicy).policy
            if stored is not None:
                found.append(("registry policy", stored.document))
    return found


def decide(
    backend: Backend,
    service: str,
    region: str,
    principal: str,
    action: str,
    target: Target,
    extra_context: Optional[dict[str, ContextValue]] = None,
) -> Decision:
    """May ``principal`` perform ``action`` on ``target``? Evaluated against the model's policies."""
    identities = backend.state(Identities)
    principal_account = account_of(principal)
    context = principal_context(identities, principal, principal_account, region)
    if target.repository is not None and target.account_id is not None:
        repo = _repository(backend, service, region, target.account_id, target.repository)
        if repo is not None:
            for key, value in repo.resource_tags.items():
                context[f"aws:ResourceTag/{key}"] = value
                context[f"{service}:ResourceTag/{key}"] = value
    context.update(extra_context or {})
    request = Request(principal, principal_account, action, target.arn, target.account_id, context)
    return evaluate(request, policies_of(identities, principal), resource_policies(backend, service, region, target))


def authorize(call: Call, params: dict[str, Any]) -> Optional[ServiceError]:
    """The ``AUTHORIZE`` subscriber: AccessDeniedException for the first action or resource the
    caller may not use, else None."""
    principal = caller_arn(call)
    caller_account = account_of(principal) or call.account_id
    request_context: dict[str, ContextValue] = {}
    _request_tags(params, request_context)
    for target in targets(call.service, call.region, caller_account, params):
        for action in actions_for(call.service, call.operation):
            decision = decide(call.backend, call.service, call.region, principal, action, target, request_context)
            if not decision.allowed:
                return AccessDenied(decision)
    return None


def require(call: Call, action: str, registry_id: str, repository: str) -> None:
    """Raise AccessDeniedException unless the caller may perform ``action`` on the repository (for
    what ECR authorizes on the caller's behalf inside an operation, such as pull through cache's
    ``ecr:CreateRepository`` and ``ecr:BatchImportUpstreamImage``); nothing while access control is off."""
    if not call.settings.access_control:
        return
    target = Target(repository_arn(call.service, call.region, registry_id, repository), registry_id, repository)
    decision = decide(call.backend, call.service, call.region, caller_arn(call), action, target)
    if not decision.allowed:
        raise AccessDenied(decision)
