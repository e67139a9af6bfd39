"""Serializing a parsed response back to AWS's JSON wire form, by the operation's output shape.

Used where botocore itself must parse the response (calls answered on the endpoint path, so that
retry handling sees them) and by the test suite's exactness check. A value that does not fit the
shape is a bug in fake_ecr and is reported as one.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from botocore.model import Shape

from fake_ecr.errors import FakeECRInternalError


def _mismatch(shape: Shape, value: Any, expected: str) -> FakeECRInternalError:
    return FakeECRInternalError(
        f"fake_ecr produced {value!r} for {shape.name}, which must be {expected}; this is a bug in fake_ecr"
    )


def to_wire(shape: Shape, value: Any) -> Any:
    """``value`` (parsed form) as the JSON-compatible value AWS would send for ``shape``."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            raise _mismatch(shape, value, "a structure")
        members = shape.members
        out = {}
        for name, item in value.items():
            if name == "ResponseMetadata":
                continue
            member = members.get(name)
            if member is None:
                raise _mismatch(shape, name, f"one of the members {sorted(members)}")
            out[name] = to_wire(member, item)
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise _mismatch(shape, value, "a list")
        return [to_wire(shape.member, v) for v in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise _mismatch(shape, value, "a map")
        return {k: to_wire(shape.value, v) for k, v in value.items()}
    if kind == "timestamp":
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise _mismatch(shape, value, "a timezone-aware datetime")
        return value.timestamp()
    if kind == "blob":
        if not isinstance(value, bytes):
            raise _mismatch(shape, value, "bytes")
        return base64.b64encode(value).decode()
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _mismatch(shape, value, "a bool")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _mismatch(shape, value, "an int")
    elif kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _mismatch(shape, value, "a number")
    elif kind == "string":
        if not isinstance(value, str):
            raise _mismatch(shape, value, "a str")
        enum = shape.enum
        if enum and value not in enum:
            raise _mismatch(shape, value, f"one of {enum}")
    return value
