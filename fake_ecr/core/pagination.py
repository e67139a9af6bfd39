"""Opaque ``nextToken`` values and ``maxResults`` handling shared by every listing.

A token records where the next page starts (a sequence number in an ordered index, plus an
offset inside one item for listings with several rows per image) and what it was issued for,
so a token from another operation or repository is refused instead of silently misread.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Optional, TypeVar

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
        raise invalid_parameter(
            "maxResults", f"maxResults and nextToken cannot be used when {ids_member} is specified"
        )


def page_of(index: OrderedIndex[Any, V], params: dict[str, Any], scope: str) -> tuple[list[V], Optional[str]]:
    """One page of ``index`` for a request's ``nextToken``/``maxResults``, and the next token."""
    start, _ = decode(params.get("nextToken"), scope)
    page, next_seq = index.page(start, page_size(params))
    return [value for _, value in page], None if next_seq is None else encode(scope, next_seq)


def paged(member: str, items: list[Any], next_token: Optional[str]) -> dict[str, Any]:
    """A listing response: ``{member: items}`` plus ``nextToken`` when there is a next page."""
    result: dict[str, Any] = {member: items}
    if next_token is not None:
        result["nextToken"] = next_token
    return result
