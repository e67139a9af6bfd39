"""Serving one intercepted call: decode, validate, run the handler, build the response.

This is the only place that knows the request/response contract of botocore's ``before-call``
event; handlers see decoded parameters and return plain dictionaries.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from botocore.awsrequest import AWSResponse
from botocore.exceptions import BotoCoreError
from botocore.model import OperationModel

from . import _responses, extensions
from ._validation import decode_input
from .errors import FakeECRError, FakeECRInternalError, ServiceError, UnsupportedOperation
from .handlers import load_all
from .json_text import parse_json

if TYPE_CHECKING:
    from .mock import FakeECR
    from .state import Backend, Registry


class Call:
    """What a handler knows about the call it serves: who, where and when."""

    __slots__ = ("fake", "backend", "service", "operation", "region", "account_id", "now")

    def __init__(self, fake: FakeECR, service: str, operation: str, region: str, now: float) -> None:
        self.fake = fake
        self.backend: Backend = fake.backend
        self.service = service
        self.operation = operation
        self.region = region
        self.account_id = fake.account_id
        self.now = now

    def registry(self, registry_id: Optional[str] = None) -> Registry:
        """The private registry addressed by ``registryId`` (default: the caller's own)."""
        return self.backend.registry(registry_id or self.account_id, self.region)

    @staticmethod
    def timestamp(epoch: float) -> datetime:
        return _responses.timestamp(epoch)


class Executed:
    """One call served: the decoded params and the result body or the service error."""

    __slots__ = ("params", "result", "error", "now")

    def __init__(
        self,
        params: Optional[dict[str, Any]],
        result: Optional[dict[str, Any]],
        error: Optional[ServiceError],
        now: float,
    ) -> None:
        self.params = params
        self.result = result
        self.error = error
        self.now = now


def execute(fake: FakeECR, operation: OperationModel, region: str, body: bytes, url: str = "") -> Executed:
    """Run the handler of ``operation`` on the wire request ``body``."""
    service = operation.service_model.service_name
    name = operation.name
    handler = load_all().get((service, name))
    if handler is None:
        raise UnsupportedOperation(service, name, region)
    now = fake.clock.time()
    params: Optional[dict[str, Any]] = None
    try:
        call = Call(fake, service, name, region, now)
        for check in extensions.before_serve:
            check(call, url)
        try:
            wire = parse_json(body) if body else {}
        except ValueError:
            raise ServiceError("SerializationException", "Request body is not valid JSON") from None
        params = decode_input(operation.input_shape, wire)
        with fake.backend.lock:
            result = handler(call, params)
    except ServiceError as err:
        return Executed(params, None, err, now)
    except (FakeECRError, BotoCoreError):
        raise
    except Exception as exc:
        raise FakeECRInternalError(
            f"fake_ecr internal error while serving {service}.{name}: {exc!r}. "
            "This is a bug in fake_ecr, not in your code; please report it."
        ) from exc
    return Executed(params, result, None, now)


def parsed_response(executed: Executed, operation: OperationModel, url: str) -> tuple[AWSResponse, dict[str, Any]]:
    """The ``(http, parsed)`` pair a ``before-call`` handler returns (no parser runs after it)."""
    if executed.error is not None:
        return _responses.error(url, operation, executed.error, executed.now)
    assert executed.result is not None
    return _responses.success(url, executed.result, executed.now)


def wire_response(executed: Executed, operation: OperationModel, url: str) -> AWSResponse:
    """The raw HTTP response AWS would send, for botocore to parse (the ``before-send`` path)."""
    if executed.error is not None:
        wire = _responses.error_wire(executed.error, executed.now)
    else:
        assert executed.result is not None
        wire = _responses.success_wire(operation, executed.result, executed.now)
    return AWSResponse(url, wire["status_code"], wire["headers"], _responses.RawBody(wire["body"]))
