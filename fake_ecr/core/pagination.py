"""Opaque ``nextToken`` values and ``maxResults`` handling shared by every listing.

A token records where the next page starts (a sequence number in an ordered index, plus an
offset inside one item for listings with several rows per image) and what it was issued for,
so a token from another operation or repository is refused instead of silently misread.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence
from typing import Any, Callable, Optional, TypeVar

from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.model.ordered import OrderedIndex

V = TypeVar("V")

DEFAULT_PAGE_SIZE = 100


def _invalid_token() -> ServiceError:
    return invalid_parameter("nextToken", "Invalid NextToken")


def encode(scope: str, seq: int, offset: int = 0) -> str:
    raw = f"{seq}:{offset}:{scope}".encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode(token: Optional[str], scope: str) -> tuple[int, int]:
    """The (seq, offset) a token points at; (0, 0) when there is no token."""
    if token is None:
        return 0, 0
    try:
        seq_text, offset_text, got_scope = base64.urlsafe_b64decode(token.encode()).decode().split(":", 2)
        seq, offset = int(seq_text), int(offset_text)
    except (binascii.Error, ValueError, TypeError, UnicodeError):
        raise _invalid_token() from None
    if got_scope != scope or seq < 0 or offset < 0:
        raise _invalid_token()
    return seq, offset


def page_size(params: dict[str, Any], default: int = DEFAULT_PAGE_SIZE) -> int:
    value = params.get("maxResults")
    return default if value is None else int(value)


def check_ids_or_pages(params: dict[str, Any], ids_member: str) -> None:
    """A list of names or ids cannot be combined with ``maxResults``/``nextToken``."""
    if params.get("maxResults") is not None or params.get("nextToken") is not None:
        raise invalid_parameter("maxResults", f"maxResults and nextToken cannot be used when {ids_member} is specified")


def page_of(
    index: OrderedIndex[Any, V],
    params: dict[str, Any],
    scope: str,
    *,
    keep: Optional[Callable[[V], bool]] = None,
    default: int = DEFAULT_PAGE_SIZE,
) -> tuple[list[V], Optional[str]]:
    """One page of ``index`` (the values ``keep`` accepts) for a request's ``nextToken`` and
    ``maxResults``, and the next page's token: O(page), whatever the index's size."""
    start, _ = decode(params.get("nextToken"), scope)
    page, next_seq = index.page(start, page_size(params, default), keep)
    return page, None if next_seq is None else encode(scope, next_seq)


def page_of_list(
    items: Sequence[V], params: dict[str, Any], scope: str, *, default: int = DEFAULT_PAGE_SIZE
) -> tuple[list[V], Optional[str]]:
    """One page of a result computed as a list (scan findings, a preview), and the next token."""
    start, _ = decode(params.get("nextToken"), scope)
    end = start + page_size(params, default)
    return list(items[start:end]), encode(scope, end) if end < len(items) else None


def page_of_rows(
    entries_from: Callable[[int], Iterable[tuple[int, list[V]]]],
    params: dict[str, Any],
    scope: str,
    *,
    default: int = DEFAULT_PAGE_SIZE,
) -> tuple[list[V], Optional[str]]:
    """A page of rows grouped under increasing sequence numbers (ListImages lists one row per tag
    of an image). ``entries_from(seq)`` yields ``(seq, rows)`` from ``seq`` on, lazily; the token
    remembers the sequence number and the row inside it where the next page starts."""
    start, offset = decode(params.get("nextToken"), scope)
    return rows_page(entries_from, start, offset, page_size(params, default), scope)


def rows_page(
    entries_from: Callable[[int], Iterable[tuple[int, list[V]]]], start: int, offset: int, limit: int, scope: str
) -> tuple[list[V], Optional[str]]:
    """:func:`page_of_rows` from a decoded token (``start``, ``offset``) and a page size."""
    out: list[V] = []
    for seq, rows in entries_from(start):
        skip = offset if seq == start else 0
        room = limit - len(out)
        if len(rows) - skip > room:  # the page ends inside this entry (or just before it)
            out += rows[skip : skip + room]
            return out, encode(scope, seq, skip + room)
        out += rows[skip:] if skip else rows
    return out, None


def paged(member: str, items: list[Any], next_token: Optional[str]) -> dict[str, Any]:
    """A listing response: ``{member: items}`` plus ``nextToken`` when there is a next page."""
    result: dict[str, Any] = {member: items}
    if next_token is not None:
        result["nextToken"] = next_token
    return result
