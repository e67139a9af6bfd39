"""Resource-based access policies (repository and registry policies), parsed once and kept parsed.

The parser is service-neutral: ECR's SetRepositoryPolicy/PutRegistryPolicy and ECR Public's
SetRepositoryPolicy all call :func:`parse_policy` with their own rules (which action prefix is
allowed, whether ``Resource`` may appear) and their own error message. The parsed
:class:`PolicyDocument` is what a later access-control feature evaluates; :class:`StoredPolicy`
keeps it next to the text ECR returns.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Union

from fake_ecr.aws.json_text import parse_json
from fake_ecr.errors import invalid_parameter
from fake_ecr.model.wildcards import matches

VALID_EFFECTS = ("Allow", "Deny")
_STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
_DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})

# ``"*"`` (everyone) or ``{"AWS": ("arn:...", ...), "Service": (...)}``.
Principals = Union[str, dict[str, tuple[str, ...]]]


class PolicyError(ValueError):
    """A policy document that AWS would refuse; the reason is for fake_ecr's own diagnostics."""


class Statement:
    """One statement, with every list-or-string element normalised to a tuple."""

    __slots__ = (
        "sid",
        "effect",
        "principals",
        "not_principals",
        "actions",
        "not_actions",
        "resources",
        "not_resources",
        "conditions",
    )

    def __init__(
        self,
        *,
        sid: Optional[str],
        effect: str,
        principals: Optional[Principals],
        not_principals: Optional[Principals],
        actions: tuple[str, ...],
        not_actions: tuple[str, ...],
        resources: tuple[str, ...],
        not_resources: tuple[str, ...],
        conditions: dict[str, Any],
    ) -> None:
        self.sid = sid
        self.effect = effect
        self.principals = principals
        self.not_principals = not_principals
        self.actions = actions
        self.not_actions = not_actions
        self.resources = resources
        self.not_resources = not_resources
        self.conditions = conditions

    def covers_action(self, action: str) -> bool:
        """Whether this statement applies to ``action`` (``Action`` wildcards are case-insensitive)."""
        action = action.lower()
        if self.actions:
            return any(matches(a.lower(), action) for a in self.actions)
        return not any(matches(a.lower(), action) for a in self.not_actions)

    def __repr__(self) -> str:
        return f"<Statement {self.sid or ''} {self.effect} {list(self.actions or self.not_actions)}>"


class PolicyDocument:
    """A parsed access policy: its version and statements, in document order."""

    __slots__ = ("version", "policy_id", "statements")

    def __init__(self, version: Optional[str], policy_id: Optional[str], statements: tuple[Statement, ...]) -> None:
        self.version = version
        self.policy_id = policy_id
        self.statements = statements

    def statements_for(self, action: str) -> list[Statement]:
        return [s for s in self.statements if s.covers_action(action)]


class StoredPolicy:
    """A policy as a resource holds it: the text ECR hands back and its parsed document."""

    __slots__ = ("text", "document")

    def __init__(self, text: str, document: PolicyDocument) -> None:
        self.text = text
        self.document = document


def _strings(value: Any, element: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PolicyError(f"{element} must be a string or a non-empty list of strings")


def _principals(value: Any) -> Principals:
    if value == "*":
        return "*"
    if not isinstance(value, dict) or not value:
        raise PolicyError('Principal must be "*" or a non-empty object')
    return {kind: _strings(ids, f"Principal.{kind}") for kind, ids in value.items()}


def _object(raw: Any, allowed: frozenset[str], what: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise PolicyError(f"{what} must be a JSON object")
    unknown = set(raw) - allowed
    if unknown:
        raise PolicyError(f"unknown {what} elements {sorted(unknown)}")
    return raw


def _statement(raw: Any, action_prefix: str, allow_resource: bool, identity: bool = False) -> Statement:
    raw = _object(raw, _STATEMENT_KEYS, "statement")
    effect = raw.get("Effect")
    if effect not in VALID_EFFECTS:
        raise PolicyError("Effect must be Allow or Deny")
    if identity:
        if "Principal" in raw or "NotPrincipal" in raw:
            raise PolicyError("an identity-based policy names no Principal")
        if "Resource" not in raw and "NotResource" not in raw:
            raise PolicyError("an identity-based policy statement needs Resource or NotResource")
    elif ("Principal" in raw) == ("NotPrincipal" in raw):
        raise PolicyError("a statement needs exactly one of Principal and NotPrincipal")
    if ("Action" in raw) == ("NotAction" in raw):
        raise PolicyError("a statement needs exactly one of Action and NotAction")
    has_resource = "Resource" in raw or "NotResource" in raw
    if has_resource and not allow_resource:
        raise PolicyError("Resource is not allowed in this policy")
    actions = _strings(raw["Action"], "Action") if "Action" in raw else ()
    not_actions = _strings(raw["NotAction"], "NotAction") if "NotAction" in raw else ()
    for action in actions + not_actions:
        if action != "*" and not action.lower().startswith(action_prefix):
            raise PolicyError(f"action {action!r} is not an {action_prefix} action")
    conditions = raw.get("Condition", {})
    if not isinstance(conditions, dict):
        raise PolicyError("Condition must be an object")
    sid = raw.get("Sid")
    if sid is not None and not isinstance(sid, str):
        raise PolicyError("Sid must be a string")
    return Statement(
        sid=sid,
        effect=effect,
        principals=_principals(raw["Principal"]) if "Principal" in raw else None,
        not_principals=_principals(raw["NotPrincipal"]) if "NotPrincipal" in raw else None,
        actions=actions,
        not_actions=not_actions,
        resources=_strings(raw["Resource"], "Resource") if "Resource" in raw else (),
        not_resources=_strings(raw["NotResource"], "NotResource") if "NotResource" in raw else (),
        conditions=conditions,
    )


def _load(text: str) -> Any:
    try:
        return parse_json(text)
    except ValueError:
        raise PolicyError("not valid JSON") from None


def parse_document(text: str, *, action_prefix: str, allow_resource: bool) -> PolicyDocument:
    """Parse and check ``text``; raise :class:`PolicyError` for anything AWS refuses.

    :param action_prefix: the service prefix every action must carry (``"ecr:"``, ``"ecr-public:"``).
    :param allow_resource: whether statements may name resources (registry policies do,
        repository policies must not: the repository is the resource).
    """
    return _document(_load(text), action_prefix=action_prefix, allow_resource=allow_resource)


def parse_identity_policy(policy: Any) -> PolicyDocument:
    """An identity-based policy (of an IAM user or role): a JSON text or an already-parsed dict.

    Its statements name no ``Principal`` (the identity is the principal) and each names its
    ``Resource`` or ``NotResource``; actions of any service are accepted.
    """
    parsed = _load(policy) if isinstance(policy, str) else policy
    return _document(parsed, action_prefix="", allow_resource=True, identity=True)


def _document(parsed: Any, *, action_prefix: str, allow_resource: bool, identity: bool = False) -> PolicyDocument:
    raw = _object(parsed, _DOCUMENT_KEYS, "policy")
    version = raw.get("Version")
    if version is not None and version not in ("2008-10-17", "2012-10-17"):
        raise PolicyError("Version must be 2008-10-17 or 2012-10-17")
    statements = raw.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError("Statement is required")
    policy_id = raw.get("Id")
    return PolicyDocument(
        version,
        policy_id if isinstance(policy_id, str) else None,
        tuple(_statement(s, action_prefix.lower(), allow_resource, identity) for s in statements),
    )


def parse_policy(text: str, *, action_prefix: str, allow_resource: bool, refusal: str) -> StoredPolicy:
    """A policy ready to store, or AWS's InvalidParameterException with the ``refusal`` constraint.

    ECR answers every invalid document with the same message (for example
    ``'Invalid repository policy provided'``), whatever is wrong with it.
    """
    try:
        parsed = _load(text)
        document = _document(parsed, action_prefix=action_prefix, allow_resource=allow_resource)
    except PolicyError:
        raise invalid_parameter("PolicyText", refusal) from None
    return StoredPolicy(pretty_json(parsed), document)


def parse_repository_policy(text: str, service: str = "ecr") -> StoredPolicy:
    """A repository policy of ``service`` (``ecr`` or ``ecr-public``): its own actions, no Resource."""
    return parse_policy(
        text, action_prefix=f"{service}:", allow_resource=False, refusal="Invalid repository policy provided"
    )


# -- ECR's rendering of stored policies ----------------------------------------------------------


def pretty_json(value: Any, indent: int = 0) -> str:
    """JSON as ECR returns stored policies: Jackson's default pretty printer (``"key" : value``).

    Objects put each member on its own line indented by two spaces; arrays stay on one line
    (``[ "a", "b" ]``), with objects inside them opening on the same line (``[ {``).
    """
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return "{ }"
        inner = "  " * (indent + 1)
        members = [
            f"{inner}{json.dumps(k, ensure_ascii=False)} : {pretty_json(v, indent + 1)}" for k, v in value.items()
        ]
        return "{\n" + ",\n".join(members) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[ " + ", ".join(pretty_json(v, indent) for v in value) + " ]"
    return json.dumps(value, ensure_ascii=False)
