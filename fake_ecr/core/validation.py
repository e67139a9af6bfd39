"""Server-side input checks driven by the service model, the way AWS checks a request.

botocore validates only ``required``, types and ``min`` on the client, and not at all with
``Config(parameter_validation=False)``. AWS checks everything again on the server: lengths,
patterns, enums and ranges. This module does those checks on the wire request and at the same
time decodes wire values (base64 blobs to bytes) so handlers see plain Python values; for a
botocore call whose request serializing cannot change, it checks the caller's own parameters
instead (:func:`caller_params_checker`), with the same result.
"""

from __future__ import annotations

import base64
import binascii
import re
from re import Pattern
from typing import Any, Callable, Optional

from botocore.model import Shape

from fake_ecr.errors import ServiceError, invalid_parameter

_pattern_cache: dict[str, Optional[Pattern[str]]] = {}


def _compiled(pattern: str) -> Optional[Pattern[str]]:
    try:
        return _pattern_cache[pattern]
    except KeyError:
        pass
    try:
        compiled: Optional[Pattern[str]] = re.compile(pattern)
    except re.error:
        # A Java-only construct (e.g. \p{L}); the handler applies its own rule where it matters.
        compiled = None
    _pattern_cache[pattern] = compiled
    return compiled


def _serialization_error(path: str, expected: str) -> ServiceError:
    return ServiceError(
        "SerializationException",
        f"Cannot deserialize value at '{path}': expected {expected}",
    )


def decode_input(shape: Optional[Shape], wire: Any) -> dict[str, Any]:
    """Validate the wire request against ``shape`` and return it with blobs decoded.

    A checker compiled once per shape handles valid requests; anything it does not accept is
    walked again by the interpreting decoder below, which finds the first violation and raises
    AWS's error for it. So the fast path decides nothing about error texts.
    """
    return request_decoder(shape)(wire)


def request_decoder(shape: Optional[Shape]) -> Callable[[Any], dict[str, Any]]:
    """:func:`decode_input` for one shape, bound once (the serving core keeps one per operation)."""
    if shape is None:
        return lambda wire: {}
    check = _checker(shape)

    def decode(wire: Any) -> dict[str, Any]:
        checked = check(wire)
        if checked is not None:
            return checked
        if not isinstance(wire, dict):
            raise _serialization_error("request", "a JSON object")
        return _decode_structure(shape, wire, "")

    return decode


def _checker(shape: Shape) -> Callable[[Any], Optional[dict[str, Any]]]:
    """The compiled checker of a structure ``shape``: the decoded value, or None where it leaves
    the value to the interpreting decoder."""
    fast = _fast_decoder(shape)

    def check(value: Any) -> Optional[dict[str, Any]]:
        try:
            return fast(value)  # type: ignore[no-any-return]
        except _Fallback:
            return None

    return check


_BLOBS: dict[int, tuple[Shape, bool]] = {}


def may_hold_blobs(shape: Optional[Shape]) -> bool:
    """Whether a request of ``shape`` can carry bytes (a blob member at any depth); the call log
    needs to look for bytes to summarize only in such requests."""
    if shape is None:
        return False
    entry = _BLOBS.get(id(shape))
    if entry is None or entry[0] is not shape:
        entry = _BLOBS[id(shape)] = (shape, _holds_blob(shape, set()))  # keeps ``shape`` alive
    return entry[1]


def _holds_blob(shape: Shape, seen: set[str]) -> bool:
    kind = shape.type_name
    if kind == "blob":
        return True
    if shape.name in seen:  # a recursive shape: its blobs, if any, are found on the first visit
        return False
    seen.add(shape.name)
    if kind == "structure":
        return any(_holds_blob(member, seen) for member in shape.members.values())
    if kind == "list":
        return _holds_blob(shape.member, seen)
    if kind == "map":
        return _holds_blob(shape.key, seen) or _holds_blob(shape.value, seen)
    return False


def caller_params_checker(shape: Optional[Shape]) -> Optional[Callable[[Any], Optional[dict[str, Any]]]]:
    """A checker of the caller's own parameters for a request of ``shape``, or None where
    serializing may change a value (a blob, timestamp, float or map anywhere, or a member renamed
    on the wire). The checker returns what :func:`decode_input` makes of the body botocore
    serializes from the parameters, or None where it cannot tell (a value whose type is not
    JSON's own, anything the body's decoder would refuse): then the body is decoded."""
    if shape is None or not _json_exact(shape, set()):
        return None
    return _checker(shape)


def _json_exact(shape: Shape, seen: set[str]) -> bool:
    """Whether a value of ``shape`` with only JSON's own types is its JSON text, read back."""
    kind = shape.type_name
    if kind in ("string", "integer", "long", "boolean"):
        return True
    if shape.name in seen:  # a recursive shape: its members are checked on the first visit
        return True
    seen.add(shape.name)
    if kind == "list":
        return _json_exact(shape.member, seen)
    if kind == "structure":
        return not getattr(shape, "is_document_type", False) and all(
            member.serialization.get("name", name) == name and _json_exact(member, seen)
            for name, member in shape.members.items()
        )
    return False


class _Fallback(Exception):
    """The fast checker met something it leaves to the interpreting decoder."""


_FAST: dict[int, tuple[Shape, Callable[[Any], Any]]] = {}


def _fast_decoder(shape: Shape) -> Callable[[Any], Any]:
    entry = _FAST.get(id(shape))
    if entry is None or entry[0] is not shape:
        entry = _FAST[id(shape)] = (shape, _compile(shape))  # keeps ``shape`` alive: ids stay unique
    return entry[1]


def _fail() -> Any:
    raise _Fallback


def _compile(shape: Shape) -> Callable[[Any], Any]:
    kind = shape.type_name
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    if kind == "structure":
        return _compile_structure(shape)
    if kind == "string":
        enum = frozenset(shape.enum) if shape.enum else None
        pattern = _compiled(meta["pattern"]) if meta.get("pattern") else None
        low_len, high_len = low or 0, high if high is not None else float("inf")

        def string(value: Any) -> Any:
            if type(value) is not str or not low_len <= len(value) <= high_len:
                _fail()
            if enum is not None and value not in enum:
                _fail()
            if pattern is not None and pattern.fullmatch(value) is None:
                _fail()
            return value

        return string
    if kind in ("integer", "long"):
        low_val = low if low is not None else float("-inf")
        high_val = high if high is not None else float("inf")

        def integer(value: Any) -> Any:
            if type(value) is not int or not low_val <= value <= high_val:
                _fail()
            return value

        return integer
    if kind == "boolean":
        return lambda value: value if type(value) is bool else _fail()
    if kind == "list":
        member = _fast_decoder(shape.member)
        low_len, high_len = low or 0, high if high is not None else float("inf")

        def listing(value: Any) -> Any:
            if type(value) is not list or not low_len <= len(value) <= high_len:
                _fail()
            return [member(item) for item in value]

        return listing

    # Maps, blobs, timestamps and floats are rare: the interpreting decoder handles them.
    def slow(value: Any) -> Any:
        try:
            return _decode(shape, value, "")
        except ServiceError:
            raise _Fallback from None

    return slow


# Strings known to match each pattern (by the pattern's text), up to _MATCHED_KEPT per pattern.
_MATCHED: dict[str, set[str]] = {}
_MATCHED_KEPT = 4096


def _compile_structure(shape: Shape) -> Callable[[Any], Any]:
    """The checker of a structure as one generated function: a branch per member, with the
    checks of string, integer and boolean members written inline (no call per member) and a
    call to the member's own checker for the rest. It keeps the request's member order, ignores
    unknown members and nulls, and raises ``_Fallback`` wherever the interpreting decoder might
    find fault."""
    env: dict[str, Any] = {"_Fallback": _Fallback}
    lines = ["def structure(value):", "    if type(value) is not dict:", "        raise _Fallback"]
    for name in shape.required_members:
        lines += [f"    if value.get({name!r}) is None:", "        raise _Fallback"]
    branches: list[str] = []
    for index, (name, member) in enumerate(shape.members.items()):
        branches.append(f"        {'elif' if branches else 'if'} name == {name!r}:")
        branches += ["            " + line for line in _member_check(member, index, env)]
    if not branches:
        lines.append("    return {}")
    else:
        lines += [
            "    out = {}",
            "    for name, item in value.items():",
            "        if item is None:",
            "            continue",
        ]
        lines += branches + ["        else:", "            continue", "        out[name] = item", "    return out"]
    exec(compile("\n".join(lines), f"<fake_ecr checker of {shape.name}>", "exec"), env)
    checker: Callable[[Any], Any] = env["structure"]
    return checker


def _member_check(shape: Shape, index: int, env: dict[str, Any]) -> list[str]:
    """Lines that check (and, for nested shapes, decode) ``item``, a member of kind ``shape``."""
    meta = shape.metadata
    low, high = meta.get("min"), meta.get("max")
    kind = shape.type_name
    if kind == "string":
        refused = ["type(item) is not str"]
        if low is not None:
            refused.append(f"len(item) < {int(low)}")
        if high is not None:
            refused.append(f"len(item) > {int(high)}")
        if shape.enum:
            env[f"enum_{index}"] = frozenset(shape.enum)
            refused.append(f"item not in enum_{index}")
        pattern = _compiled(meta["pattern"]) if meta.get("pattern") else None
        lines = [f"if {' or '.join(refused)}:", "    raise _Fallback"]
        if pattern is not None:
            # Names repeat from call to call: a string that matched once is not matched again.
            env[f"match_{index}"] = pattern.fullmatch
            env[f"matched_{index}"] = _MATCHED.setdefault(pattern.pattern, set())
            lines += [
                f"if item not in matched_{index}:",
                f"    if match_{index}(item) is None:",
                "        raise _Fallback",
                f"    if len(matched_{index}) < {_MATCHED_KEPT}:",
                f"        matched_{index}.add(item)",
            ]
        return lines
    if kind in ("integer", "long"):
        refused = ["type(item) is not int"]
        if low is not None:
            refused.append(f"item < {low!r}")
        if high is not None:
            refused.append(f"item > {high!r}")
        return [f"if {' or '.join(refused)}:", "    raise _Fallback"]
    if kind == "boolean":
        return ["if type(item) is not bool:", "    raise _Fallback"]
    env[f"decode_{index}"] = _fast_decoder(shape)
    return [f"item = decode_{index}(item)"]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _decode_structure(shape: Shape, value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _serialization_error(path or "request", "a structure")
    members = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            raise invalid_parameter(_join(path, name), "Member must not be null")
    out: dict[str, Any] = {}
    for name, item in value.items():
        member = members.get(name)
        if member is None or item is None:
            continue  # the JSON protocol ignores members it does not know, and nulls
        out[name] = _decode(member, item, _join(path, name))
    return out


def _check_length(shape: Shape, length: int, path: str) -> None:
    meta = shape.metadata
    if "min" in meta and length < meta["min"]:
        raise invalid_parameter(path, f"Member must have length greater than or equal to {meta['min']}")
    if "max" in meta and length > meta["max"]:
        raise invalid_parameter(path, f"Member must have length less than or equal to {meta['max']}")


def _decode_string(shape: Shape, value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise _serialization_error(path, "a string")
    _check_length(shape, len(value), path)
    enum = shape.enum
    if enum and value not in enum:
        raise invalid_parameter(path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
    pattern = shape.metadata.get("pattern")
    if pattern:
        compiled = _compiled(pattern)
        if compiled is not None and compiled.fullmatch(value) is None:
            raise invalid_parameter(path, f"must satisfy regular expression '{pattern}'")
    return value


def _decode_number(shape: Shape, value: Any, path: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _serialization_error(path, "a number")
    if shape.type_name in ("integer", "long") and not float(value).is_integer():
        raise _serialization_error(path, "an integer")
    meta = shape.metadata
    if "min" in meta and value < meta["min"]:
        raise invalid_parameter(path, f"Member must have value greater than or equal to {meta['min']}")
    if "max" in meta and value > meta["max"]:
        raise invalid_parameter(path, f"Member must have value less than or equal to {meta['max']}")
    return int(value) if shape.type_name in ("integer", "long") else value


def _decode_boolean(shape: Shape, value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _serialization_error(path, "a boolean")
    return value


def _decode_list(shape: Shape, value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _serialization_error(path, "a list")
    _check_length(shape, len(value), path)
    member = shape.member
    return [_decode(member, item, f"{path}.{index + 1}.member") for index, item in enumerate(value)]


def _decode_map(shape: Shape, value: Any, path: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _serialization_error(path, "a map")
    _check_length(shape, len(value), path)
    key_shape, value_shape = shape.key, shape.value
    return {_decode(key_shape, k, f"{path}.key"): _decode(value_shape, v, f"{path}.{k}") for k, v in value.items()}


def _decode_blob(shape: Shape, value: Any, path: str) -> bytes:
    if not isinstance(value, str):
        raise _serialization_error(path, "a base64 string")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _serialization_error(path, "valid base64") from None
    _check_length(shape, len(data), path)
    return data


def _decode_timestamp(shape: Shape, value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _serialization_error(path, "an epoch timestamp")
    return float(value)


_DECODERS: dict[str, Callable[[Shape, Any, str], Any]] = {
    "structure": _decode_structure,
    "string": _decode_string,
    "integer": _decode_number,
    "long": _decode_number,
    "float": _decode_number,
    "double": _decode_number,
    "boolean": _decode_boolean,
    "list": _decode_list,
    "map": _decode_map,
    "blob": _decode_blob,
    "timestamp": _decode_timestamp,
}


def _decode(shape: Shape, value: Any, path: str) -> Any:
    return _DECODERS[shape.type_name](shape, value, path)
