"""Resource tags (TagResource & co., and ``tags`` on create): AWS's rules in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from fake_ecr.errors import ServiceError

MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256


def _invalid_tag(reason: str) -> ServiceError:
    return ServiceError("InvalidTagParameterException", reason)


def parse_tag_list(tags: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Validate a ``[{"Key":..., "Value":...}]`` list and return it as a dict (last key wins)."""
    out: dict[str, str] = {}
    for tag in tags:
        key, value = tag.get("Key"), tag.get("Value")
        if not isinstance(key, str) or not (1 <= len(key) <= MAX_KEY_LENGTH):
            raise _invalid_tag(f"Tag keys must be between 1 and {MAX_KEY_LENGTH} characters in length.")
        if key.lower().startswith("aws:"):
            raise _invalid_tag("Tag keys that start with 'aws:' are reserved for AWS use.")
        if not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH:
            raise _invalid_tag(f"Tag values must be between 0 and {MAX_VALUE_LENGTH} characters in length.")
        out[key] = value
    return out


def check_count(tags: dict[str, str]) -> None:
    if len(tags) > MAX_TAGS:
        raise ServiceError(
            "TooManyTagsException",
            f"The maximum number of tags that can be applied to a repository is {MAX_TAGS}.",
        )


def merged(existing: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    """``existing`` updated with ``new``, refused if it would exceed the tag limit."""
    result = {**existing, **new}
    check_count(result)
    return result


def as_tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


class Tagged(Protocol):
    resource_tags: dict[str, str]


def tag_resource(resource: Tagged, tags: Iterable[dict[str, Any]]) -> None:
    """TagResource on either service: validate, merge, enforce the limit."""
    resource.resource_tags = merged(resource.resource_tags, parse_tag_list(tags))


def untag_resource(resource: Tagged, keys: Iterable[str]) -> None:
    """UntagResource on either service: keys the resource does not have are ignored."""
    for key in keys:
        resource.resource_tags.pop(key, None)
