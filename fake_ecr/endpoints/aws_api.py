"""The ECR and ECR Public APIs over HTTP: AWS's JSON protocol, served from the fake's own state.

A request is ``POST /`` with ``X-Amz-Target: <targetPrefix>.<Operation>`` (the service model's
target prefix tells ECR from ECR Public) and a JSON body. The Region comes from the SigV4
credential scope of the ``Authorization`` header and the account from its access key (through
``FakeECR.access_keys``; the fake's account otherwise). Signatures are not verified, but a
missing or malformed ``Authorization`` header is refused as AWS refuses it. Everything else is
the serving core's: the same handlers, state, fault plan and call log as in-process calls.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Callable, Optional

from botocore.exceptions import BotoCoreError
from botocore.model import OperationModel

from fake_ecr.core import responses
from fake_ecr.core.principals import principal_for_key
from fake_ecr.core.service_models import SERVICES, operation_model, operation_names, service_model
from fake_ecr.core.serving import Executed, Server
from fake_ecr.endpoints.http_server import Request, Response
from fake_ecr.errors import ServiceError, UnsupportedOperation

TARGET_HEADER = "X-Amz-Target"
_CREDENTIAL = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)/"
    r"(?P<service>[a-z0-9-]+)/aws4_request\s*,\s*SignedHeaders=[^,\s]+\s*,\s*Signature=[0-9a-fA-F]+\s*$"
)


@functools.cache
def targets() -> dict[str, str]:
    """Target prefix (``AmazonEC2ContainerRegistry_V20150921``, ...) -> service name."""
    return {service_model(service).metadata["targetPrefix"]: service for service in SERVICES}


def is_api_request(request: Request) -> bool:
    """Whether the request is an AWS JSON API call (the rest of the server's paths are others')."""
    return request.method == "POST" and request.header(TARGET_HEADER) is not None


class ApiApp:
    """The HTTP front door of a fake's API: AWS's JSON protocol in, AWS's JSON protocol out."""

    def __init__(self, server: Server, account_for_key: Callable[[str], Optional[str]]) -> None:
        self._server = server
        self._account_for_key = account_for_key

    def __call__(self, request: Request) -> Response:
        body = request.body()
        now = self._server.clock.time()
        service, operation = self._operation(request)
        if service is None or operation is None:
            return _error(ServiceError("UnknownOperationException", ""), now)
        credential = _CREDENTIAL.match(request.header("Authorization") or "")
        if request.header("Authorization") is None:
            return _error(
                ServiceError("MissingAuthenticationTokenException", "Request is missing Authentication Token"), now
            )
        if credential is None:
            return _error(
                ServiceError(
                    "IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters "
                    "in the form 'AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, "
                    "SignedHeaders=<headers>, Signature=<hex>'.",
                ),
                now,
            )
        region = credential.group("region")
        account = self._account_for_key(credential.group("key"))
        principal = principal_for_key(self._server.backend, credential.group("key"))
        if account is not None and account.startswith("arn:"):  # fake.access_keys may name a principal
            principal, account = account, None
        model = operation_model(service, operation)
        url = f"http://{request.header('Host') or 'localhost'}/"
        try:
            executed = self._server.attempt(model, region, body, url, account, principal)
        except UnsupportedOperation as exc:
            return _error(ServiceError("UnsupportedOperation", str(exc), status=501), now)
        except BotoCoreError:
            # What a botocore client would raise before reaching AWS (ECR Public outside its
            # Regions): over HTTP, the service's own refusal.
            return _error(
                ServiceError("UnsupportedCommandException", f"{operation} command is only supported in us-east-1."), now
            )
        return _answer(executed, model)

    @staticmethod
    def _operation(request: Request) -> tuple[Optional[str], Optional[str]]:
        prefix, _, operation = (request.header(TARGET_HEADER) or "").partition(".")
        service = targets().get(prefix)
        if service is None or operation not in operation_names(service):
            return None, None
        return service, operation


def _answer(executed: Executed, model: OperationModel) -> Response:
    if executed.error is not None:
        return _error(executed.error, executed.now)
    assert executed.result is not None
    return _response(responses.success_wire(model, executed.result, executed.now))


def _error(error: ServiceError, now: float) -> Response:
    return _response(responses.error_wire(error, now))


def _response(wire: dict[str, Any]) -> Response:
    # The HTTP server writes Date and Content-Length itself; each header must appear once.
    headers = {k: v for k, v in wire["headers"].items() if k not in ("date", "content-length")}
    return Response(wire["status_code"], headers, wire["body"])
