"""IAM's evaluation logic as it applies to ECR: one engine for every access decision.

From the IAM user guide ("Policy evaluation logic", "Cross-account policy evaluation logic") and
the ECR user guide ("Private repository policies", "Private registry permissions"):

1. An explicit ``Deny`` in any applicable statement, identity-based or resource-based, wins.
2. Same account: an ``Allow`` in an identity-based policy *or* in the resource-based policy is
   enough. A resource policy that names the account (its id or its root ARN) delegates to IAM and
   grants nothing by itself; one that names the principal (its ARN, a role its session assumed,
   or ``*``) grants on its own.
3. Another account: the resource-based policy must allow the principal (by name or by its
   account) *and* the principal's own identity-based policies must allow the action.

An account's root user and service-linked roles carry every permission of their own account
(``identity=None``); everyone else has exactly the identity-based policies they were given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Optional

from fake_ecr.core.caller import is_principal
from fake_ecr.features.access_control.conditions import ContextValue, glob, unmet
from fake_ecr.features.policies.documents import PolicyDocument, Principals, Statement

IDENTITY = "identity-based policy"
RESOURCE = "resource-based policy"


class Request:
    """What is asked: who (principal ARN, or a service principal such as
    ``replication.ecr.amazonaws.com``), which action, on which resource, with which context keys."""

    __slots__ = ("principal", "principal_account", "action", "resource", "resource_account", "context")

    def __init__(
        self,
        principal: str,
        principal_account: Optional[str],
        action: str,
        resource: str,
        resource_account: Optional[str],
        context: Optional[Mapping[str, ContextValue]] = None,
    ) -> None:
        self.principal = principal
        self.principal_account = principal_account
        self.action = action
        self.resource = resource
        self.resource_account = resource_account
        self.context: dict[str, ContextValue] = {k.lower(): v for k, v in (context or {}).items()}

    @property
    def same_account(self) -> bool:
        return self.resource_account is None or self.resource_account == self.principal_account

    def __repr__(self) -> str:
        return f"<Request {self.principal} {self.action} {self.resource}>"


class Considered:
    """One statement the decision looked at: where it came from, whether it applied, and why."""

    __slots__ = ("source", "policy", "sid", "effect", "applies", "why")

    def __init__(self, source: str, policy: str, statement: Statement, applies: bool, why: str) -> None:
        self.source = source  # IDENTITY or RESOURCE
        self.policy = policy  # which policy ("repository policy", "identity policy 1", ...)
        self.sid = statement.sid
        self.effect = statement.effect
        self.applies = applies
        self.why = why

    def __repr__(self) -> str:
        sid = f" {self.sid!r}" if self.sid else ""
        state = "applies" if self.applies else "does not apply"
        return f"<{self.policy} statement{sid} ({self.effect}) {state}: {self.why}>"


class Decision:
    """The answer: allowed or not, AWS's reason when not, and every statement considered."""

    __slots__ = ("request", "allowed", "reason", "considered")

    def __init__(self, request: Request, allowed: bool, reason: str, considered: list[Considered]) -> None:
        self.request = request
        self.allowed = allowed
        self.reason = reason  # "" when allowed; else AWS's clause ("because no ...", "with an explicit deny ...")
        self.considered = considered

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        """AWS's AccessDeniedException message for this decision ("" when allowed)."""
        if self.allowed:
            return ""
        request = self.request
        who = "User" if request.principal.startswith("arn:") else "Service"
        return (
            f"{who}: {request.principal} is not authorized to perform: {request.action} on resource: "
            f"{request.resource} {self.reason}"
        )

    def explain(self) -> str:
        """The decision and each statement considered, one per line, for a failing test's output."""
        head = "allowed" if self.allowed else f"denied {self.reason}"
        lines = [f"{self.request.principal} -> {self.request.action} on {self.request.resource}: {head}"]
        lines += [f"  {c!r}" for c in self.considered]
        if not self.considered:
            lines.append("  (no statements)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<Decision {'allowed' if self.allowed else 'denied'} {self.request!r}>"


# How a resource policy's Principal names the caller: not at all, through its account, or by name.
_NOT_NAMED, _ACCOUNT, _NAMED = 0, 1, 2


def _names(principals: Principals, request: Request) -> int:
    if principals == "*":
        return _NAMED
    assert isinstance(principals, dict)
    best = _NOT_NAMED
    caller = request.principal
    account = request.principal_account
    for kind, ids in principals.items():
        for ident in ids:
            if kind == "AWS":
                if ident == "*":
                    return _NAMED
                if account is not None and (ident == account or _is_root(ident, account)):
                    best = max(best, _ACCOUNT)
                elif caller.startswith("arn:") and is_principal(caller, ident):
                    return _NAMED
            elif kind == "Service" and ident == caller:
                return _NAMED
    return best


def _is_root(ident: str, account: str) -> bool:
    return ident.startswith("arn:aws") and ident.endswith(f":iam::{account}:root")


def _action_applies(statement: Statement, action: str) -> bool:
    if statement.actions:
        return any(glob(a, action, ignore_case=True) for a in statement.actions)
    return not any(glob(a, action, ignore_case=True) for a in statement.not_actions)


def _resource_applies(statement: Statement, resource: str) -> bool:
    if statement.resources:
        return any(glob(r, resource) for r in statement.resources)
    if statement.not_resources:
        return not any(glob(r, resource) for r in statement.not_resources)
    return True  # a repository policy: the repository is the resource


def _examine(statement: Statement, request: Request, *, resource_policy: bool) -> tuple[bool, str, int]:
    """(applies, why, how the principal was named) for one statement."""
    named = _NAMED
    if resource_policy:
        if statement.principals is not None:
            named = _names(statement.principals, request)
            if named == _NOT_NAMED:
                return False, "Principal does not name the caller", named
        elif statement.not_principals is not None:
            if _names(statement.not_principals, request) != _NOT_NAMED:
                return False, "NotPrincipal names the caller", _NOT_NAMED
    if not _action_applies(statement, request.action):
        element = "Action" if statement.actions else "NotAction"
        return False, f"{element} does not cover {request.action}", named
    if not _resource_applies(statement, request.resource):
        element = "Resource" if statement.resources else "NotResource"
        return False, f"{element} does not cover {request.resource}", named
    failed = unmet(statement.conditions, request.context)
    if failed is not None:
        return False, failed, named
    return True, "matches", named


def evaluate(
    request: Request,
    identity: Optional[Sequence[PolicyDocument]],
    resource: Sequence[tuple[str, PolicyDocument]] = (),
) -> Decision:
    """Decide ``request``.

    :param identity: the principal's identity-based policies; None for a principal that holds
        every permission of its own account (the root user, a service-linked role, a service).
    :param resource: the resource-based policies that apply, as (name, document) pairs (the
        repository's policy, the registry's policy).
    """
    considered: list[Considered] = []
    identity_allows = identity is None
    identity_denies = False
    for index, document in enumerate(identity or ()):
        for statement in document.statements:
            applies, why, _ = _examine(statement, request, resource_policy=False)
            considered.append(Considered(IDENTITY, f"identity policy {index + 1}", statement, applies, why))
            if applies:
                identity_denies |= statement.effect == "Deny"
                identity_allows |= statement.effect == "Allow"
    resource_grants = False  # allows by naming the principal (grants on its own in the same account)
    resource_allows = False  # allows at all (needed, with an identity allow, across accounts)
    resource_denies = False
    for name, document in resource:
        for statement in document.statements:
            applies, why, named = _examine(statement, request, resource_policy=True)
            considered.append(Considered(RESOURCE, name, statement, applies, why))
            if not applies:
                continue
            if statement.effect == "Deny":
                resource_denies = True
            else:
                resource_allows = True
                resource_grants |= named == _NAMED
    action = request.action
    if resource_denies:
        return Decision(request, False, f"with an explicit deny in a {RESOURCE}", considered)
    if identity_denies:
        return Decision(request, False, f"with an explicit deny in an {IDENTITY}", considered)
    if request.same_account:
        if identity_allows or resource_grants:
            return Decision(request, True, "", considered)
        return Decision(request, False, f"because no {IDENTITY} allows the {action} action", considered)
    if not resource_allows:
        return Decision(request, False, f"because no {RESOURCE} allows the {action} action", considered)
    if not identity_allows:
        return Decision(request, False, f"because no {IDENTITY} allows the {action} action", considered)
    return Decision(request, True, "", considered)
