"""The serving core: one call in (wire bytes or decoded parameters), one answer out.

A ``Server`` owns a model (``backend``), the settings, the feature wiring, the call log and the
planned faults; it knows nothing of the controller that steers it. Front doors call it:

- the botocore hook (``fake_ecr.core.interception``) through :meth:`Server.answer_before_call`
  and, for faulted calls, :meth:`Server.answer_attempt`;
- any other front door (an HTTP endpoint) through :meth:`Server.execute` (wire bytes in, an
  ``Executed`` out, turned into wire bytes by :func:`wire_response`) or :meth:`Server.call`
  (decoded parameters in, the parsed result out, ``ServiceError`` raised).
"""

from __future__ import annotations

import contextlib
import threading
import uuid
from collections.abc import Iterator
from typing import Any, Callable, Optional

from botocore.awsrequest import AWSResponse
from botocore.exceptions import BotoCoreError
from botocore.model import OperationModel

from fake_ecr.aws.json_text import parse_json, parse_request_body
from fake_ecr.core import hooks, responses
from fake_ecr.core.call import Call, Settings
from fake_ecr.core.clock import Clock
from fake_ecr.core.faults import Faults
from fake_ecr.core.operations import Handler
from fake_ecr.core.principals import PrincipalKeys, account_of, principal_for_key, signer_access_key
from fake_ecr.core.recording import CallLog, RecordedCall
from fake_ecr.core.service_models import operation_model
from fake_ecr.core.validation import caller_params_checker, decode_input, may_hold_blobs, request_decoder
from fake_ecr.core.wiring import Wiring
from fake_ecr.errors import FakeECRError, FakeECRInternalError, ServiceError, UnsupportedOperation
from fake_ecr.model import Backend, Registry, Repository

# Header (and request-context key) that marks a call sent down botocore's endpoint path.
CALL_HEADER = "x-fake-ecr-call"


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


class Route:
    """How one operation is served: what a call would otherwise look up on every call (its
    handler, its request decoder, its hook subscribers), worked out on its first."""

    __slots__ = (
        "service",
        "operation",
        "handler",
        "decode",
        "check_caller_params",
        "may_hold_blobs",
        "hooks",
        "before_serve",
    )

    def __init__(self, operation: OperationModel, wiring: Wiring) -> None:
        self.service: str = operation.service_model.service_name
        self.operation: str = operation.name
        self.handler: Optional[Handler] = wiring.handler(self.service, self.operation)
        self.decode = request_decoder(operation.input_shape)
        # None where serializing changes values (blobs): such a call's body is always decoded.
        self.check_caller_params = caller_params_checker(operation.input_shape)
        self.may_hold_blobs = may_hold_blobs(operation.input_shape)
        self.hooks = wiring.hooks_for(self.service, self.operation)
        self.before_serve = self.hooks.get(hooks.BEFORE_SERVE, ())


# How many operation models (one set per botocore client) a server keeps routes for.
_ROUTES_KEPT = 4096


class _Acting(threading.local):
    """The principal a front door serves the current thread's calls as (None: the caller's own).
    A class default, so that reading it when unset is a plain lookup, not a caught AttributeError."""

    principal: Optional[str] = None


class Server:
    """Serves ECR and ECR Public calls from one model, recording each call."""

    def __init__(self, settings: Settings, wiring: Wiring, clock: Clock) -> None:
        self.settings = settings
        self._wiring = wiring
        self.clock = clock
        self.backend = Backend()
        self.calls = CallLog(settings.call_log_limit, settings.call_log_responses)
        self.unsupported_calls: list[RecordedCall] = []
        self.faults = Faults()
        # Rewrites of every successful result (the registry endpoint's opt-in URI mode).
        self.result_filters: list[Callable[[dict[str, Any]], dict[str, Any]]] = []
        self._endpoint_calls: dict[str, tuple[OperationModel, str]] = {}
        self._routes: dict[OperationModel, Route] = {}
        self._endpoint_lock = threading.Lock()
        self._acting = _Acting()
        # Whether any thread ever acted as a principal: until then a call skips the thread-local read.
        self._acting_used = False

    @property
    def wiring(self) -> Wiring:
        """The features this server serves with (their handlers and hook subscribers)."""
        return self._wiring

    @wiring.setter
    def wiring(self, wiring: Wiring) -> None:
        # Routes hold the old wiring's handlers and subscribers: they are worked out again.
        self._wiring = wiring
        self._routes = {}

    def reset(self) -> None:
        """A fresh model, call log and fault plan (settings, wiring and clock stay)."""
        with self.backend.lock:
            self.backend = Backend()
            self.calls = CallLog(self.settings.call_log_limit, self.settings.call_log_responses)
            self.unsupported_calls = []
            self.faults.clear()

    @property
    def lock(self) -> Any:
        return self.backend.lock

    def new_call(
        self,
        service: str,
        operation: str,
        region: str,
        *,
        account_id: Optional[str] = None,
        now: Optional[float] = None,
    ) -> Call:
        """A ``Call`` for work the fake does on its own (lifecycle runs, due replications)."""
        return Call(
            self.backend,
            self.settings,
            self.wiring,
            service,
            operation,
            region,
            self.clock.time() if now is None else now,
            account_id,
        )

    def registry(self, region: Optional[str] = None, account_id: Optional[str] = None) -> Registry:
        """The private registry of ``account_id`` in ``region`` (default: the settings'), made if new."""
        with self.backend.lock:
            return self.backend.registry(account_id or self.settings.account_id, region or self.settings.region)

    def repository(self, name: str, region: Optional[str] = None, account_id: Optional[str] = None) -> Repository:
        """The repository ``name``; KeyError if it does not exist."""
        repo = self.registry(region, account_id).repositories.get(name)
        if repo is None:
            raise KeyError(f"fake_ecr has no repository {name!r} in {region or self.settings.region}")
        return repo

    def route(self, operation: OperationModel) -> Route:
        """The route of ``operation`` (keyed by the model object: a dictionary hit per call)."""
        found = self._routes.get(operation)
        if found is None:
            if len(self._routes) >= _ROUTES_KEPT:  # clients come and go in a long-running server
                self._routes.clear()
            found = self._routes[operation] = Route(operation, self.wiring)
        return found

    @contextlib.contextmanager
    def acting_as(self, principal: Optional[str]) -> Iterator[None]:
        """Attribute the calls this thread makes inside the block to ``principal`` (a front door
        that authenticated its caller some other way, such as the registry endpoint's tokens)."""
        self._acting_used = True
        previous = self._acting.principal
        self._acting.principal = principal
        try:
            yield
        finally:
            self._acting.principal = previous

    # -- front doors ------------------------------------------------------------------------------

    def execute(
        self,
        operation: OperationModel,
        region: str,
        body: bytes,
        url: str = "",
        account_id: Optional[str] = None,
        principal: Optional[str] = None,
    ) -> Executed:
        """Serve the wire request ``body`` and record it; UnsupportedOperation if nothing serves it."""
        params, result, error, now = self._serve(self.route(operation), region, body, url, account_id, principal)
        return Executed(params, result, error, now)

    def call(
        self,
        service: str,
        operation: str,
        params: dict[str, Any],
        *,
        region: str,
        account_id: Optional[str] = None,
        now: Optional[float] = None,
        principal: Optional[str] = None,
    ) -> dict[str, Any]:
        """Serve decoded ``params`` (as a handler receives them), at ``now`` if given (restoring a
        snapshot replays calls at their own times); the result, or ServiceError raised."""
        model = operation_model(service, operation)
        error = self.faults.take(service, operation)
        if error is not None:
            self.calls.append(RecordedCall(service, operation, region, params, None, error))
            raise error
        _, result, error, _ = self._serve(
            self.route(model), region, None, "", account_id, principal, params, now, filtered=False
        )
        if error is not None:
            raise error
        assert result is not None
        return result

    def answer_before_call(
        self, model: OperationModel, request: Any, context: Any, signer: Any = None, caller_params: Any = None
    ) -> Any:
        """botocore ``before-call``: the ``(http, parsed)`` answer, or None to send a faulted call
        down botocore's endpoint path, where :meth:`answer_attempt` answers each attempt.
        ``signer`` is the client's request signer, whose credentials name the caller;
        ``caller_params`` the parameters botocore serialized into ``request``'s body, if known:
        where they are what decoding the body would give, the body is not read again."""
        route = self._routes.get(model) or self.route(model)
        region = context.get("client_region") or self.settings.region
        if self.faults.any_planned and self.faults.planned(route.service, route.operation):
            call_id = str(uuid.uuid4())
            with self._endpoint_lock:
                self._endpoint_calls[call_id] = (model, region)
            request.setdefault("headers", {})[CALL_HEADER] = call_id
            context[CALL_HEADER] = call_id
            return None
        url = request.get("url", "")
        principal = None
        if self.backend.has_state(PrincipalKeys):  # no principal registered: the signer is not read
            principal = principal_for_key(self.backend, signer_access_key(signer))
        _, result, error, now = self._serve(
            route, region, request.get("body"), url, None, principal, caller_params=caller_params
        )
        if error is not None:
            return responses.error(url, model, error, now)
        return responses.success(url, result, now)  # type: ignore[arg-type]

    def answer_attempt(self, request: Any) -> AWSResponse:
        """botocore ``before-send``: answer one attempt of a faulted call with wire bytes."""
        call_id = request.headers.get(CALL_HEADER)
        if isinstance(call_id, bytes):
            call_id = call_id.decode()
        with self._endpoint_lock:
            planned = self._endpoint_calls.get(call_id)
        if planned is None:
            raise FakeECRError(
                "fake_ecr: a retried call reached a fake that did not plan its fault (another fake "
                "started while the call was in flight)"
            )
        model, region = planned
        body = request.body or b""
        if not isinstance(body, bytes):
            body = body.read() if hasattr(body, "read") else str(body).encode()
        return wire_response(self.attempt(model, region, body, request.url), model, request.url)

    def attempt(
        self,
        operation: OperationModel,
        region: str,
        body: bytes,
        url: str = "",
        account_id: Optional[str] = None,
        principal: Optional[str] = None,
    ) -> Executed:
        """One attempt of a call that reaches the fake as wire bytes (a faulted botocore call, an
        HTTP request): the next planned fault, if any, else the call served; recorded either way."""
        service = operation.service_model.service_name
        error = self.faults.take(service, operation.name)
        if error is None:
            return self.execute(operation, region, body, url, account_id, principal)
        params = _readable_params(operation, body)
        self.calls.append(RecordedCall(service, operation.name, region, params, None, error))
        return Executed(params, None, error, self.clock.time())

    # -- the one path every call takes -------------------------------------------------------------

    def _serve(
        self,
        route: Route,
        region: str,
        body: Optional[bytes],
        url: str,
        account_id: Optional[str],
        principal: Optional[str],
        decoded: Optional[dict[str, Any]] = None,
        at: Optional[float] = None,
        *,
        filtered: bool = True,
        caller_params: Any = None,
    ) -> tuple[Optional[dict[str, Any]], Optional[dict[str, Any]], Optional[ServiceError], float]:
        """Serve one call and record it: ``(params, result, error, now)``. The request is the wire
        ``body`` (or the ``caller_params`` it was serialized from, where they decode alike), or
        ``decoded`` parameters (then the call is served at ``at``, if given); ``filtered``: whether
        :attr:`result_filters` apply. One flat function on purpose: every call of every front
        door runs it."""
        service, name, handler = route.service, route.operation, route.handler
        if handler is None:
            exc = UnsupportedOperation(service, name, region)
            if decoded is None:  # a caller's request: the log shows it
                record = RecordedCall(service, name, region, None, None, exc)
                self.unsupported_calls.append(record)
                self.calls.append(record)
            raise exc
        now = self.clock.observe() if at is None else at
        params: Optional[dict[str, Any]] = None
        result: Optional[dict[str, Any]] = None
        error: Optional[ServiceError] = None
        if principal is None and self._acting_used:
            principal = self._acting.principal
        if principal is not None and account_id is None:
            account_id = account_of(principal)
        backend = self.backend
        try:
            call = Call(
                backend, self.settings, self.wiring, service, name, region, now, account_id, principal, route.hooks
            )
            for subscriber in route.before_serve:
                subscriber(call, url)
            if decoded is not None:
                params = decoded
            elif caller_params is not None and route.check_caller_params is not None:
                params = route.check_caller_params(caller_params)
            if params is None:
                try:
                    wire = parse_request_body(body)  # type: ignore[arg-type]
                except ValueError:
                    raise ServiceError("SerializationException", "Request body is not valid JSON") from None
                params = route.decode(wire)
            with backend.lock:
                if self.settings.access_control:
                    refusal = call.veto(hooks.AUTHORIZE, params)
                    if refusal is not None:
                        raise refusal
                result = handler(call, params)
        except ServiceError as err:
            error = err
        except (FakeECRError, BotoCoreError):
            raise
        except Exception as exc:
            raise FakeECRInternalError(
                f"fake_ecr internal error while serving {service}.{name}: {exc!r}. "
                "This is a bug in fake_ecr, not in your code; please report it."
            ) from exc
        if result is not None and filtered and self.result_filters:
            for rewrite in self.result_filters:
                result = rewrite(result)
        self.calls.append(RecordedCall(service, name, region, params, result, error, route.may_hold_blobs))
        return params, result, error, now


def _readable_params(operation: OperationModel, body: bytes) -> Optional[dict[str, Any]]:
    """A faulted attempt's parameters, for the call log (None if the body cannot be read)."""
    try:
        return decode_input(operation.input_shape, parse_json(body) if body else {})
    except (ServiceError, ValueError):
        return None


def parsed_response(executed: Executed, operation: OperationModel, url: str) -> tuple[AWSResponse, dict[str, Any]]:
    """The ``(http, parsed)`` pair a ``before-call`` handler returns (no parser runs after it)."""
    if executed.error is not None:
        return responses.error(url, operation, executed.error, executed.now)
    assert executed.result is not None
    return responses.success(url, executed.result, executed.now)


def wire_response(executed: Executed, operation: OperationModel, url: str) -> AWSResponse:
    """The raw HTTP response AWS would send, for botocore to parse (the ``before-send`` path)."""
    if executed.error is not None:
        wire = responses.error_wire(executed.error, executed.now)
    else:
        assert executed.result is not None
        wire = responses.success_wire(operation, executed.result, executed.now)
    return responses.WireResponse(url, wire["status_code"], wire["headers"], responses.RawBody(wire["body"]))
