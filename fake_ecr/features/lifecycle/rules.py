"""Lifecycle policy documents: parsed into rules and checked as ECR checks them.

Grammar and rules: the ECR user guide, "Lifecycle policy properties" and "Lifecycle policy
evaluation rules". Error texts that were captured from ECR are used verbatim ("Could not map
policyString into LifecyclePolicy.", "Must specify tagPrefixList or tagPatternList when
tagStatus=TAGGED.", "Only one rule can select Untagged images per storage class.", "Rule for
tagStatus=ANY must have the lowest priority per storage class"); the others follow the JSON
schema validator wording ECR's other lifecycle errors use.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from fake_ecr.aws.json_text import parse_json
from fake_ecr.errors import ServiceError, invalid_parameter

TAGGED, UNTAGGED, ANY = "tagged", "untagged", "any"
STANDARD, ARCHIVE = "standard", "archive"
EXPIRE, TRANSITION = "expire", "transition"
IMAGE_COUNT_MORE_THAN = "imageCountMoreThan"
SINCE_IMAGE_PUSHED = "sinceImagePushed"
SINCE_IMAGE_PULLED = "sinceImagePulled"
SINCE_IMAGE_TRANSITIONED = "sinceImageTransitioned"
COUNT_TYPES = (IMAGE_COUNT_MORE_THAN, SINCE_IMAGE_PUSHED, SINCE_IMAGE_PULLED, SINCE_IMAGE_TRANSITIONED)
AGE_COUNT_TYPES = (SINCE_IMAGE_PUSHED, SINCE_IMAGE_PULLED, SINCE_IMAGE_TRANSITIONED)
MAX_WILDCARDS_PER_PATTERN = 4
# "Archived images have a minimum storage duration of 90 days. You cannot configure lifecycle
# policies that delete images that have been in archive for less than 90 days."
MIN_ARCHIVE_DAYS = 90

_RULE_KEYS = frozenset({"rulePriority", "description", "selection", "action"})
_SELECTION_KEYS = frozenset(
    {"tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType", "countUnit", "countNumber"}
)
_ACTION_KEYS = frozenset({"type", "targetStorageClass"})


class Rule:
    """One validated rule. Enumerated values are stored lower-case (``tagged``, ``expire``)."""

    __slots__ = (
        "priority",
        "description",
        "tag_status",
        "tag_prefixes",
        "tag_patterns",
        "storage_class",
        "count_type",
        "count_unit",
        "count_number",
        "action",
        "target_storage_class",
    )

    def __init__(
        self,
        *,
        priority: int,
        description: Optional[str],
        tag_status: str,
        tag_prefixes: tuple[str, ...],
        tag_patterns: tuple[str, ...],
        storage_class: str,
        count_type: str,
        count_unit: Optional[str],
        count_number: int,
        action: str,
        target_storage_class: Optional[str],
    ) -> None:
        self.priority = priority
        self.description = description
        self.tag_status = tag_status
        self.tag_prefixes = tag_prefixes
        self.tag_patterns = tag_patterns
        self.storage_class = storage_class
        self.count_type = count_type
        self.count_unit = count_unit
        self.count_number = count_number
        self.action = action
        self.target_storage_class = target_storage_class

    def __repr__(self) -> str:
        return f"<Rule {self.priority} {self.tag_status} {self.count_type}>{self.count_number} {self.action}>"


class LifecyclePolicy:
    """A validated policy: rules sorted by priority, and the text ECR stores for it."""

    __slots__ = ("rules", "text")

    def __init__(self, rules: tuple[Rule, ...], text: str) -> None:
        self.rules = rules
        self.text = text


def _failure(reason: str) -> ServiceError:
    return invalid_parameter("LifecyclePolicyText", f"Lifecycle policy validation failure: {reason}")


def _unmappable() -> ServiceError:
    return _failure("Could not map policyString into LifecyclePolicy.")


def _object(value: Any, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - allowed:
        raise _unmappable()
    return value


def _require(obj: dict[str, Any], *names: str) -> None:
    missing = [n for n in names if obj.get(n) is None]
    if missing:
        listed = ",".join(json.dumps(n) for n in sorted(missing))
        raise _failure(f"object has missing required properties ([{listed}])")


# rulePriority and countNumber are 32-bit integers in ECR's model of the policy
# (LifecyclePolicyRulePriority is an Integer shape); a larger number cannot be mapped.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not _INT_MIN <= value <= _INT_MAX:
        raise _unmappable()
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise _unmappable()
    return value


def _enum(value: Any, allowed: tuple[str, ...]) -> str:
    text = _string(value)
    for option in allowed:
        if text.lower() == option.lower():
            return option
    options = ",".join(json.dumps(a) for a in allowed)
    raise _failure(f"instance value ({json.dumps(text)}) not found in enum (possible values: [{options}])")


def _at_least_one(value: int, minimum: int = 1) -> int:
    if value < minimum:
        raise _failure(f"numeric instance is lower than the required minimum (minimum: {minimum}, found: {value})")
    return value


def _string_list(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _unmappable()
    if not value or any(not v for v in value):
        raise _failure(f"{name} must contain at least one non-empty tag.")
    return tuple(value)


def _patterns(value: Any) -> tuple[str, ...]:
    patterns = _string_list(value, "tagPatternList")
    for pattern in patterns:
        if pattern.count("*") > MAX_WILDCARDS_PER_PATTERN:
            raise _failure(
                f"Tag pattern '{pattern}' has more than {MAX_WILDCARDS_PER_PATTERN} wildcards (*). "
                f"Specify at most {MAX_WILDCARDS_PER_PATTERN} wildcards per tag pattern."
            )
    return patterns


def _rule(raw: Any) -> Rule:
    rule = _object(raw, _RULE_KEYS)
    _require(rule, "action", "rulePriority", "selection")
    selection = _object(rule["selection"], _SELECTION_KEYS)
    action = _object(rule["action"], _ACTION_KEYS)
    _require(selection, "countNumber", "countType", "tagStatus")
    _require(action, "type")
    priority = _at_least_one(_integer(rule["rulePriority"]))
    description = rule.get("description")
    if description is not None:
        _string(description)
    tag_status = _enum(selection["tagStatus"], (TAGGED, UNTAGGED, ANY))
    prefixes = _string_list(selection["tagPrefixList"], "tagPrefixList") if "tagPrefixList" in selection else ()
    patterns = _patterns(selection["tagPatternList"]) if "tagPatternList" in selection else ()
    _check_tag_selection(tag_status, prefixes, patterns)
    count_type = _enum(selection["countType"], COUNT_TYPES)
    count_number = _at_least_one(_integer(selection["countNumber"]))
    count_unit = selection.get("countUnit")
    if (count_type in AGE_COUNT_TYPES) != (count_unit is not None):
        # countUnit goes with the since* types only (the user guide: "an error will occur if you
        # specify a count unit when countType is any other value").
        raise _failure("instance failed to match exactly one schema (matched 0 out of 2)")
    if count_unit is not None:
        count_unit = _enum(count_unit, ("days",))
    storage_class = _enum(selection.get("storageClass", STANDARD), (STANDARD, ARCHIVE))
    kind = _enum(action["type"], (EXPIRE, TRANSITION))
    target = action.get("targetStorageClass")
    if target is not None:
        target = _enum(target, (ARCHIVE,))
    _check_storage(storage_class, count_type, count_number, kind, target)
    return Rule(
        priority=priority,
        description=description,
        tag_status=tag_status,
        tag_prefixes=prefixes,
        tag_patterns=patterns,
        storage_class=storage_class,
        count_type=count_type,
        count_unit=count_unit,
        count_number=count_number,
        action=kind,
        target_storage_class=target,
    )


def _check_tag_selection(tag_status: str, prefixes: tuple[str, ...], patterns: tuple[str, ...]) -> None:
    if tag_status == TAGGED:
        if not prefixes and not patterns:
            raise _failure("Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")
        if prefixes and patterns:
            raise _failure("Can't specify both tagPrefixList and tagPatternList in the same rule.")
    elif prefixes or patterns:
        raise _failure(
            f"tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED, "
            f"not tagStatus={tag_status.upper()}."
        )


def _check_storage(storage_class: str, count_type: str, count_number: int, kind: str, target: Optional[str]) -> None:
    if (count_type == SINCE_IMAGE_TRANSITIONED) != (storage_class == ARCHIVE):
        raise _failure(
            "countType=sinceImageTransitioned must be used with storageClass=ARCHIVE, and "
            "storageClass=ARCHIVE only with countType=sinceImageTransitioned."
        )
    if kind == TRANSITION:
        if target is None:
            raise _failure("targetStorageClass is required when action type=TRANSITION.")
        if storage_class == ARCHIVE:
            raise _failure("Images with storageClass=ARCHIVE can't be transitioned to storageClass=ARCHIVE.")
    elif target is not None:
        raise _failure("targetStorageClass can only be specified when action type=TRANSITION.")
    if storage_class == ARCHIVE and kind == EXPIRE and count_number < MIN_ARCHIVE_DAYS:
        raise _failure(
            f"Archived images can't be expired before the minimum storage duration of {MIN_ARCHIVE_DAYS} "
            f"days: countNumber must be at least {MIN_ARCHIVE_DAYS} for storageClass=ARCHIVE."
        )


def _check_rule_set(rules: list[Rule]) -> None:
    seen: set[int] = set()
    for rule in rules:
        if rule.priority in seen:
            raise _failure(f"Rule priorities must be unique. Found duplicate rulePriority {rule.priority}.")
        seen.add(rule.priority)
    for storage_class in (STANDARD, ARCHIVE):
        same_class = [r for r in rules if r.storage_class == storage_class]
        if sum(r.tag_status == UNTAGGED for r in same_class) > 1:
            raise _failure("Only one rule can select Untagged images per storage class.")
        highest = max((r.priority for r in same_class), default=0)
        if any(r.tag_status == ANY and r.priority != highest for r in same_class):
            raise _failure("Rule for tagStatus=ANY must have the lowest priority per storage class")


def parse_lifecycle_policy(text: str) -> LifecyclePolicy:
    """Validate ``text`` as PutLifecyclePolicy does; raise AWS's InvalidParameterException if invalid."""
    try:
        raw = parse_json(text)
    except ValueError:
        raise _unmappable() from None
    document = _object(raw, frozenset({"rules"}))
    if not isinstance(document.get("rules"), list):
        raise _unmappable()
    if not document["rules"]:
        raise _failure("array is too short: must have at least 1 elements but instance has 0 elements")
    rules = [_rule(r) for r in document["rules"]]
    _check_rule_set(rules)
    rules.sort(key=lambda r: r.priority)
    return LifecyclePolicy(tuple(rules), canonical_text(rules))


def canonical_text(rules: list[Rule]) -> str:
    """The policy as ECR stores and returns it: compact JSON, rules in priority order."""
    out = []
    for rule in rules:
        selection: dict[str, Any] = {"tagStatus": rule.tag_status}
        if rule.tag_patterns:
            selection["tagPatternList"] = list(rule.tag_patterns)
        if rule.tag_prefixes:
            selection["tagPrefixList"] = list(rule.tag_prefixes)
        if rule.storage_class != STANDARD:
            selection["storageClass"] = rule.storage_class
        selection["countType"] = rule.count_type
        if rule.count_unit is not None:
            selection["countUnit"] = rule.count_unit
        selection["countNumber"] = rule.count_number
        action: dict[str, Any] = {"type": rule.action}
        if rule.target_storage_class is not None:
            action["targetStorageClass"] = rule.target_storage_class
        entry: dict[str, Any] = {"rulePriority": rule.priority}
        if rule.description is not None:
            entry["description"] = rule.description
        entry["selection"] = selection
        entry["action"] = action
        out.append(entry)
    return json.dumps({"rules": out}, separators=(",", ":"), ensure_ascii=False)
