"""Serving one intercepted call: decode, validate, run the handler, build the response.

This is the only place that knows the request/response contract of botocore's ``before-call``
event; handlers see decoded parameters and return plain dictionaries.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

from botocore.awsrequest import AWSResponse
from botocore.exceptions import BotoCoreError
from botocore.model import OperationModel

from . import _responses, extensions
from ._validation import decode_input
from .errors import FakeECRError, FakeECRInternalError, ServiceError, UnsupportedOperation
from .handlers import load_all

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


class Outcome:
    """What happened: the parsed response, or the error (service or fake_ecr's own)."""

    __slots__ = ("response", "error")

    def __init__(self, response: Optional[dict[str, Any]], error: Optional[BaseException]) -> None:
        self.response = response
        self.error = error


def serve(
    fake: FakeECR,
    operation: OperationModel,
    region: str,
    url: str,
    body: bytes,
) -> tuple[tuple[AWSResponse, dict[str, Any]], Optional[dict[str, Any]]]:
    """Serve one call; return botocore's ``(http, parsed)`` pair and the decoded params."""
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
            wire = json.loads(body) if body else {}
        except ValueError:
            raise ServiceError("SerializationException", "Request body is not valid JSON") from None
        params = decode_input(operation.input_shape, wire)
        with fake.backend.lock:
            result = handler(call, params)
    except ServiceError as err:
        return _responses.error(url, operation, err, now), params
    except (FakeECRError, BotoCoreError):
        raise
    except Exception as exc:
        raise FakeECRInternalError(
            f"fake_ecr internal error while serving {service}.{name}: {exc!r}. "
            "This is a bug in fake_ecr, not in your code; please report it."
        ) from exc
    return _responses.success(url, result, now), params
