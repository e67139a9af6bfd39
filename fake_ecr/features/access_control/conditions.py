"""IAM condition operators as ECR policies use them: String*, Arn*, Bool, IpAddress, Null.

A condition block is ``{operator: {key: value or [values]}}``. Every operator must match, every
key within an operator must match, and a key matches when the request's value matches any of the
policy's values (a negated operator: none of them). A key the request does not carry matches
only negated operators, ``...IfExists`` operators and ``Null: true`` (IAM user guide, "Condition
operators" and "Single-valued vs. multivalued condition keys").
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Union

# A request's context: key (lower case) -> one value or a list of values (multivalued keys).
ContextValue = Union[str, Sequence[str]]


def glob(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's wildcard match: ``*`` any run of characters, ``?`` any one character."""
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    return _glob(pattern, 0, value, 0)


def _glob(pattern: str, p: int, value: str, v: int) -> bool:
    star_p, star_v = -1, 0
    while v < len(value):
        if p < len(pattern) and (pattern[p] == "?" or pattern[p] == value[v]):
            p += 1
            v += 1
        elif p < len(pattern) and pattern[p] == "*":
            star_p, star_v = p, v
            p += 1
        elif star_p >= 0:
            p = star_p + 1
            star_v += 1
            v = star_v
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)


def _arn_like(pattern: str, value: str) -> bool:
    # ARNs match field by field (a wildcard does not run across the first five colons).
    pattern_parts = pattern.split(":", 5)
    value_parts = value.split(":", 5)
    if len(pattern_parts) != len(value_parts):
        return False
    return all(glob(p, v) for p, v in zip(pattern_parts, value_parts))


def _ip(pattern: str, value: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(pattern, strict=False)
    except ValueError:
        return False


def _bool(pattern: str, value: str) -> bool:
    return pattern.lower() == value.lower()


# Positive operator -> how one policy value matches one request value.
_MATCHERS: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": lambda p, v: p == v,
    "StringEqualsIgnoreCase": lambda p, v: p.lower() == v.lower(),
    "StringLike": lambda p, v: glob(p, v),
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
    "Bool": _bool,
    "IpAddress": _ip,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NotIpAddress": "IpAddress",
}
OPERATORS = frozenset(_MATCHERS) | frozenset(_NEGATED) | {"Null"}


def _values(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in items]


def _key_matches(
    operator: str, qualifier: Optional[str], if_exists: bool, policy_values: list[str], present: Optional[ContextValue]
) -> bool:
    if operator == "Null":
        wanted = policy_values[0].lower() == "true" if policy_values else True
        return (present is None) == wanted
    negated = operator in _NEGATED
    matcher = _MATCHERS[_NEGATED.get(operator, operator)]
    if present is None:
        if qualifier == "ForAllValues":
            return True
        return negated or if_exists
    request_values = [present] if isinstance(present, str) else list(present)

    def one(value: str) -> bool:
        hit = any(matcher(p, value) for p in policy_values)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in request_values)
    if qualifier == "ForAnyValue":
        return any(one(v) for v in request_values)
    if negated:
        return all(one(v) for v in request_values)
    return any(one(v) for v in request_values)


def split_operator(name: str) -> tuple[Optional[str], str, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> (``ForAnyValue``, ``StringLike``, True)."""
    qualifier: Optional[str] = None
    if ":" in name:
        qualifier, _, name = name.partition(":")
    if_exists = name.endswith("IfExists") and name != "IfExists"
    if if_exists:
        name = name[: -len("IfExists")]
    return qualifier, name, if_exists


def unmet(conditions: Mapping[str, Any], context: Mapping[str, ContextValue]) -> Optional[str]:
    """None if every condition holds for ``context``; else which one does not (for explanations)."""
    for operator_name, keys in conditions.items():
        qualifier, operator, if_exists = split_operator(operator_name)
        if operator not in OPERATORS or not isinstance(keys, dict):
            return f"unknown condition operator {operator_name}"
        for key, raw in keys.items():
            present = context.get(key.lower())
            if not _key_matches(operator, qualifier, if_exists, _values(raw), present):
                shown = "absent" if present is None else present
                return f"condition {operator_name} {key} {raw!r} does not hold (request: {shown!r})"
    return None
