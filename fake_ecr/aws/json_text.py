"""The one parser for JSON that callers hand over as text: policies, manifests, request bodies.

Python's :func:`json.loads` recurses once per nesting level, so a few kilobytes of ``[[[[...`` (far
below ECR's 10,240-character policy limit) raise ``RecursionError``; it also accepts what AWS's JSON
parsers refuse (``NaN``, ``Infinity``, a lone UTF-16 surrogate that cannot be UTF-8). Every place
that parses a caller's JSON goes through :func:`parse_json`, which raises :class:`JSONTextError`
(a ``ValueError``) for all of these, so each operation answers with its own modeled error.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Union

# Far deeper than any ECR document needs (a policy Condition is four levels, a manifest three) and
# far from Python's recursion limit, even when the call arrives on a deep stack.
MAX_DEPTH = 128

# A JSON string (escapes included) or one bracket: the tokens that decide the nesting depth.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class JSONTextError(ValueError):
    """Text that is not a JSON document AWS would accept."""


def _refuse_constant(name: str) -> Any:
    raise JSONTextError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONTextError(f"number {text[:20]}... is out of range")
    return value


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


def _decode(text: str) -> Any:
    """``_DECODER.decode(text)``, with the common case (no surrounding whitespace, as botocore
    serializes) read by the C scanner directly; anything else goes through ``decode`` itself,
    whose errors and whitespace handling stay the reference."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return _DECODER.decode(text)
    if end != len(text):
        return _DECODER.decode(text)
    return value


def nesting_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest deeper than ``limit`` (strings are skipped)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def parse_json(text: Union[str, bytes], *, max_depth: int = MAX_DEPTH) -> Any:
    """``text`` parsed as one JSON document, or :class:`JSONTextError`.

    Refused: invalid syntax, nesting deeper than ``max_depth``, ``NaN``/``Infinity`` literals,
    numbers too large for a double, text that is not valid UTF-8 (a lone surrogate). Duplicate
    object keys are accepted, the last one winning, as Jackson's default does.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise JSONTextError("not UTF-8") from None
    else:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise JSONTextError("contains a lone surrogate, which is not UTF-8") from None
    if nesting_depth_exceeds(text, max_depth):
        raise JSONTextError(f"nested deeper than {max_depth} levels")
    try:
        return _decode(text)
    except RecursionError:  # pragma: no cover - the depth check keeps this out of reach
        raise JSONTextError("nested too deeply") from None
    except ValueError as exc:
        if isinstance(exc, JSONTextError):
            raise
        raise JSONTextError(str(exc)) from None


def parse_request_body(body: bytes) -> Any:
    """:func:`parse_json` of a request body (empty: ``{}``), with the common case (UTF-8 that
    botocore serialized, shallow) read in one step; anything else goes through ``parse_json``,
    whose checks and errors stay the reference."""
    if not body:
        return {}
    if type(body) is not bytes:
        return parse_json(body)
    try:
        text = body.decode()
    except UnicodeDecodeError:
        raise JSONTextError("not UTF-8") from None
    # Nesting deeper than MAX_DEPTH takes more opening brackets than a short body has characters.
    if len(text) > MAX_DEPTH and text.count("[") + text.count("{") > MAX_DEPTH:
        return parse_json(text)
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        return parse_json(text)  # raises the error parse_json gives
    if end != len(text):
        return parse_json(text)
    return value
