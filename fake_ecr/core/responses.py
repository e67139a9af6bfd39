"""Turning handler results and service errors into what botocore's parser would have produced.

A ``before-call`` handler returns ``(http_response, parsed)`` and no parser runs after it, so
``parsed`` must already hold parser-shaped values: timezone-aware datetimes (in the timezone
botocore's timestamp parser uses), ``bytes`` for blobs, and ``ResponseMetadata``. Success
responses are built directly (fast); error responses go through botocore's own JSON parser so
``Error``, ``ResponseMetadata`` and the modeled error fields are exactly botocore's.
"""

from __future__ import annotations

import functools
import itertools
import json
import uuid
from datetime import datetime, timezone
from email.utils import formatdate
from typing import Any, Callable

import botocore.parsers
from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.model import OperationModel
from botocore.utils import get_tzinfo_options

from fake_ecr.core.wire import to_wire
from fake_ecr.errors import ServiceError

CONTENT_TYPE = "application/x-amz-json-1.1"


@functools.cache
def _tzinfo() -> Any:
    # botocore parses epoch timestamps with the first of these timezone classes (tzlocal).
    return get_tzinfo_options()[0]()


def _exact(epoch: float) -> datetime:
    """What botocore's parser does: ``datetime.fromtimestamp(value, tzlocal())`` (slow in Python)."""
    return datetime.fromtimestamp(epoch, _tzinfo())


_combine = datetime.combine


def _fast(epoch: float) -> datetime:
    """The same datetime built from C's local-time conversion (``fold`` included). ``combine``
    attaches the zone: ``replace(tzinfo=...)`` parses keyword arguments and costs six times more,
    and every new repository or image converts one timestamp."""
    local = datetime.fromtimestamp(epoch)
    return _combine(local, local.time(), _tzinfo())


def _fast_is_exact() -> bool:
    samples = [0.0, 1e9 + 0.25, 1.7e9 + 0.5, 1.8e9 + 123.456789, 1711846800.0, 1730595600.0]
    for epoch in samples + [t + 3600 * h for t in samples for h in (1, 2, 12)]:
        a, b = _exact(epoch), _fast(epoch)
        if (a.timestamp(), a.fold, a.isoformat()) != (b.timestamp(), b.fold, b.isoformat()):
            return False
    return True


# Two days inside datetime's range (years 1..9999), so no local timezone can push a value out of it.
_MIN_EPOCH = datetime.min.replace(tzinfo=timezone.utc).timestamp() + 2 * 86400
_MAX_EPOCH = datetime.max.replace(tzinfo=timezone.utc).timestamp() - 2 * 86400


class _Timestamps(dict[float, datetime]):
    """Epoch times converted as botocore's parser converts them from a JSON response.

    Cached: stored timestamps are returned again and again, and botocore's local-timezone
    conversion is the most expensive step of a small response. Datetimes are immutable. A dict
    whose lookups stay in C (a listing of 100 images reads 100 of them per call); cleared when full.
    The clock refuses instants near datetime's limits; a value derived from it (the clock's last
    year plus a long delay) is held at the limit rather than overflowing.
    """

    MAX_SIZE = 8192

    def __missing__(self, epoch: float) -> datetime:
        if len(self) >= self.MAX_SIZE:
            self.clear()
        converted = self[epoch] = _convert(min(max(epoch, _MIN_EPOCH), _MAX_EPOCH))
        return converted


def _choose_converter(epoch: float) -> datetime:
    """The first conversion decides, once, whether the fast one is exact here (not at import:
    the check converts a few dozen instants through botocore's local timezone)."""
    global _convert
    _convert = _fast if _fast_is_exact() else _exact
    return _convert(epoch)


_convert: Callable[[float], datetime] = _choose_converter
# An epoch time as botocore's parser returns it from a JSON response.
timestamp: Callable[[float], datetime] = _Timestamps().__getitem__


@functools.lru_cache(maxsize=64)
def _http_date(second: int) -> str:
    return formatdate(second, usegmt=True)


def _headers(request_id: str, now: float) -> dict[str, str]:
    return {
        "x-amzn-requestid": request_id,
        "content-type": CONTENT_TYPE,
        "date": _http_date(int(now)),
    }


_random = uuid.uuid4().hex
_request_prefix = f"{_random[:8]}-{_random[8:12]}-{_random[12:16]}-{_random[16:20]}-"
_request_counter = itertools.count(1)


def _request_ids(batch: int) -> list[str]:
    return [f"{_request_prefix}{next(_request_counter):012x}" for _ in range(256)]


# The next unique request id in AWS's UUID format (a random prefix and a counter). Made 256 at a
# time, so that a call takes one ready rather than formatting a number; all in C between batches
# (no generator a second thread could find running).
request_id: Callable[[], str] = itertools.chain.from_iterable(map(_request_ids, itertools.count())).__next__


class AnsweredResponse(AWSResponse):  # type: ignore[misc]
    """The http half of a ``before-call`` answer. botocore reads only its status code (the
    headers live in ``ResponseMetadata``), so its empty ``headers`` are made on first use."""

    # Class defaults: an instance sets only its URL (a before-call answer is always a 200; errors
    # are answered with botocore's own AWSResponse).
    status_code = 200
    raw = None
    _content = None

    def __init__(self, url: str) -> None:
        self.url = url

    @property
    def headers(self) -> HeadersDict:
        headers = self.__dict__.get("_headers")
        if headers is None:
            headers = self.__dict__["_headers"] = HeadersDict()
        return headers

    @headers.setter
    def headers(self, value: Any) -> None:
        self.__dict__["_headers"] = value


def success(url: str, body: dict[str, Any], now: float) -> tuple[AWSResponse, dict[str, Any]]:
    """The (http, parsed) pair for a 200 response whose parsed body is ``body``."""
    rid = request_id()  # and _headers(), inline
    # A new outer dict: ``body`` itself stays as the call log records it, without the metadata.
    parsed = {
        **body,
        "ResponseMetadata": {
            "RequestId": rid,
            "HTTPStatusCode": 200,
            "HTTPHeaders": {"x-amzn-requestid": rid, "content-type": CONTENT_TYPE, "date": _http_date(int(now))},
            "RetryAttempts": 0,
        },
    }
    return AnsweredResponse(url), parsed


class AwaitableBytes(bytes):
    """Response bytes that async clients may also await (aiobotocore awaits ``content``)."""

    async def _value(self) -> bytes:
        return bytes(self)

    def __await__(self) -> Any:
        return self._value().__await__()


class WireResponse(AWSResponse):  # type: ignore[misc]
    """An HTTP response for botocore's endpoint path, for sync and async clients alike.

    botocore reads ``content`` as bytes; aiobotocore awaits it (its ``AioAWSResponse``); this
    ``content`` is both, so one answer serves both kinds of client.
    """

    @property
    def content(self) -> AwaitableBytes:
        return AwaitableBytes(super().content)


class RawBody:
    """The ``raw`` of an ``AWSResponse`` whose body is already in memory."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **kwargs: Any) -> Any:
        yield self._data


def success_wire(operation: OperationModel, body: dict[str, Any], now: float) -> dict[str, Any]:
    """The wire response (status, headers, JSON body) AWS sends for a successful call."""
    shape = operation.output_shape
    payload = json.dumps(to_wire(shape, body) if shape is not None else {}).encode()
    headers = _headers(request_id(), now)
    headers["content-length"] = str(len(payload))
    return {"status_code": 200, "headers": headers, "body": payload}


@functools.cache
def _parser() -> botocore.parsers.ResponseParser:
    return botocore.parsers.create_parser("json")


def error_wire(error: ServiceError, now: float) -> dict[str, Any]:
    """The wire response (status, headers, JSON body) AWS sends for ``error``."""
    payload = {"__type": error.code, "message": error.message, **error.fields}
    body = json.dumps(payload).encode()
    headers = _headers(request_id(), now)
    headers["x-amzn-errortype"] = f"{error.code}:"
    headers["content-length"] = str(len(body))
    return {"status_code": error.status, "headers": headers, "body": body}


def parse_error(operation: OperationModel, wire: dict[str, Any]) -> dict[str, Any]:
    """botocore's parse of an error response, modeled error fields included."""
    parser = _parser()
    parsed: dict[str, Any] = parser.parse(wire, operation.output_shape)
    error_shape = operation.service_model.shape_for_error_code(parsed["Error"]["Code"])
    if error_shape is not None:
        parsed.update(parser.parse(wire, error_shape))
    parsed["ResponseMetadata"]["RetryAttempts"] = 0
    return parsed


def error(url: str, operation: OperationModel, err: ServiceError, now: float) -> tuple[AWSResponse, dict[str, Any]]:
    """The (http, parsed) pair botocore would produce from AWS's error response."""
    wire = error_wire(err, now)
    return AWSResponse(url, err.status, wire["headers"], None), parse_error(operation, wire)
