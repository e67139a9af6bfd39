"""The botocore hook: inert handlers that serve ECR calls while a fake is active.

At import they are appended to ``botocore.handlers.BUILTIN_HANDLERS``, which every botocore
session created afterwards copies into its event emitter; every client of such a session carries
them, however early the client was created. With no fake active the handlers return None and
botocore proceeds as if they were not there.

**Which fake serves a call.** Activation is scoped with :mod:`contextvars`: a fake serves the
calls made in the context that started it (its thread, its asyncio task and the tasks that task
creates) and in the threads started from that context while it is active
(``threading.Thread.start`` and ``ThreadPoolExecutor.submit`` carry fake_ecr's activation into
the new thread or work item; nothing else of the context is copied). Inside one context, the
innermost active fake serves. A context that has never seen a fake (a thread started before any
fake, a thread pool made elsewhere) is *unattributed*: it is served by the one fake active in
the process, if exactly one is, or by the innermost when all active fakes are nested in one
context; otherwise its call raises ``UnattributedCall``. A
context whose fakes have all stopped (a straggler thread) is served by none.

**Fail closed.** A call that no fake serves goes down botocore's normal path, towards AWS,
unless real calls are blocked (:func:`block_real_calls`, which the pytest plugin turns on) or the
context refuses calls (:func:`refusing`, used for ``setUpClass``): then it raises
``NoActiveFake`` naming the call.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Optional

import botocore
import botocore.handlers

from fake_ecr.core import credentials
from fake_ecr.core.serving import CALL_HEADER
from fake_ecr.errors import FakeECRError, NoActiveFake, UnattributedCall

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server

SERVICES = ("ecr", "ecr-public")
_UNIQUE_ID = "fake_ecr"
# The server that planned each faulted call in flight, by call id: it answers every attempt,
# whichever fake is active when the attempt is sent.
_planners: weakref.WeakValueDictionary[str, Server] = weakref.WeakValueDictionary()
# Request-context key: the endpoint_url the client was made with (absent: AWS's own endpoint).
CUSTOM_ENDPOINT = "fake_ecr.custom_endpoint"
# Request-context key: the parameters botocore is about to validate and serialize into the body.
CALLER_PARAMS = "fake_ecr.caller_params"

# The fakes started in this context, outermost first (stopped ones are skipped when read).
_stack: contextvars.ContextVar[tuple[Server, ...]] = contextvars.ContextVar("fake_ecr_active", default=())
# Every active fake of the process, in the order they started (replaced, never mutated, so a
# reader always sees one consistent tuple without taking the lock).
_running: tuple[Server, ...] = ()
_running_lock = threading.Lock()
# Each running fake's enclosing fakes: the stack of the context that started it, itself included.
_nests: dict[Server, tuple[Server, ...]] = {}
_installed = False
# Whether a call no fake serves raises NoActiveFake instead of going to AWS (process-wide).
_block_real = False
# Why calls made in this context are refused even if they could go to AWS (None: not refused).
_refusal: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("fake_ecr_refusal", default=None)


def block_real_calls(enabled: bool = True) -> bool:
    """Make ECR calls that no fake serves raise ``NoActiveFake`` (or, with False, go to AWS again).

    The pytest plugin turns this on for the whole run. Returns the previous setting.
    """
    global _block_real
    previous = _block_real
    _block_real = bool(enabled)
    return previous


def real_calls_blocked() -> bool:
    return _block_real


@contextlib.contextmanager
def refusing(reason: str) -> Iterator[None]:
    """Within the block, an ECR call that no fake serves raises ``NoActiveFake`` with ``reason``."""
    token = _refusal.set(reason)
    try:
        yield
    finally:
        _refusal.reset(token)


def _lookup() -> tuple[Optional[Server], bool, int]:
    """The server for a call made here, whether this context is attributed to any fake, and how
    many fakes are active in the process."""
    stack = _stack.get()
    running = _running
    for server in reversed(stack):
        if server in running:
            return server, True, len(running)
    if stack:
        return None, True, len(running)
    if len(running) == 1:
        return running[0], False, 1
    # Several fakes, all nested in one context (a session's fake and a test's): the innermost.
    for server in running:
        nest = _nests.get(server, ())
        if len(nest) >= len(running) and all(s in nest for s in running):
            return server, False, len(running)
    return None, False, len(running)


def current() -> Optional[Server]:
    """The server that answers calls made here right now, or None (see the module's docstring)."""
    server, _, _ = _lookup()
    return server


def push(server: Server) -> None:
    """Activate ``server`` in the current context (and for the threads started from it)."""
    global _running
    credentials.install_async()  # aiobotocore may have been imported since fake_ecr was
    with _running_lock:
        _running = _running + (server,)
        # Stopped fakes are dropped here, so a context never pins the servers of old tests.
        stack = tuple(s for s in _stack.get() if s in _running) + (server,)
        _stack.set(stack)
        _nests[server] = stack


def remove(server: Server) -> None:
    """Deactivate ``server`` everywhere (and forget it in the current context)."""
    global _running
    with _running_lock:
        _running = tuple(s for s in _running if s is not server)
        _nests.pop(server, None)
    stack = _stack.get()
    if server in stack:
        _stack.set(tuple(s for s in stack if s is not server))


def _server_for(service: str, operation: str) -> Optional[Server]:
    server, attributed, active = _lookup()
    if server is not None:
        return server
    if not attributed and active > 1:
        raise UnattributedCall(service, operation, active)
    refusal = _refusal.get()
    if refusal is not None:
        raise NoActiveFake(service, operation, refusal)
    if _block_real:
        if attributed:
            reason = "the fake of the thread or task that made it has stopped (a thread that outlived its test?)"
        else:
            reason = "no fake is active here (before the test's fake started, or after it stopped?)"
        raise NoActiveFake(service, operation, reason)
    return None


def before_call(model: Any, params: Any, context: Any = None, **kwargs: Any) -> Any:
    """botocore ``before-call`` handler: serve the call from the fake active here, if any."""
    if context is None:
        context = {}
    if model is None or context.get("is_presign_request"):
        return None
    stack = _stack.get()
    if stack and stack[-1] in _running:  # the common case, as _lookup() finds it: no more calls
        server = stack[-1]
    else:
        found = _server_for(model.service_model.service_name, model.name)
        if found is None:
            return None
        server = found
    if context.get(CUSTOM_ENDPOINT) and not server.settings.serve_custom_endpoints:
        return None  # left to botocore: it goes to the client's own endpoint
    answer = server.answer_before_call(model, params, context, kwargs.get("request_signer"), context.get(CALLER_PARAMS))
    if answer is None:  # a planned fault: the attempts come back to ``before_send``
        _planners[context[CALL_HEADER]] = server
    return answer


def before_endpoint_resolution(builtins: Any = None, params: Any = None, context: Any = None, **kwargs: Any) -> None:
    """Note in the request context whether the client has its own ``endpoint_url``, and the
    call's parameters: botocore resolves the endpoint after the last handler that may change
    them and before it serializes them, so the server can read them instead of the body (see
    :meth:`Server.answer_before_call`)."""
    if context is None:
        return
    if params is not None:
        context[CALLER_PARAMS] = params
    if builtins and builtins.get("SDK::Endpoint"):
        context[CUSTOM_ENDPOINT] = builtins["SDK::Endpoint"]


def choose_signer(context: Any = None, **kwargs: Any) -> Any:
    """Calls that fake_ecr sent down the endpoint path (fault injection) are not signed."""
    if context and context.get(CALL_HEADER):
        return botocore.UNSIGNED
    return None


def before_send(request: Any, **kwargs: Any) -> Any:
    """Answer an attempt that ``before_call`` sent down the endpoint path (fault injection)."""
    if CALL_HEADER not in request.headers:
        return None
    call_id = request.headers[CALL_HEADER]
    server = _planners.get(call_id.decode() if isinstance(call_id, bytes) else call_id)
    if server is None:
        raise FakeECRError("fake_ecr lost track of the fake that planned a fault for this call")
    return server.answer_attempt(request)


# -- carrying activation into the threads a context starts ------------------------------------------

_original_start = threading.Thread.start
_original_submit = ThreadPoolExecutor.submit


def _carried() -> tuple[Server, ...]:
    """What a new thread inherits: this context's fakes that are still active."""
    running = _running
    return tuple(s for s in _stack.get() if s in running)


def _start(self: threading.Thread) -> None:
    stack = _carried()
    if stack:
        run = self.run

        def run_with_fakes() -> None:
            _stack.set(stack)
            run()

        self.run = run_with_fakes  # type: ignore[method-assign]
    _original_start(self)


def _run_with(stack: tuple[Server, ...], fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    token = _stack.set(stack)
    try:
        return fn(*args, **kwargs)
    finally:
        _stack.reset(token)


def _submit(self: ThreadPoolExecutor, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    # Always carried, even when empty: a pooled thread must not keep the fakes of its first user.
    return _original_submit(self, functools.partial(_run_with, _carried(), fn), *args, **kwargs)


def _carry_into_threads() -> None:
    threading.Thread.start = _start  # type: ignore[method-assign]
    ThreadPoolExecutor.submit = _submit  # type: ignore[method-assign, assignment]


def _handlers() -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for service in SERVICES:
        pairs += [
            (f"before-endpoint-resolution.{service}", before_endpoint_resolution),
            (f"before-call.{service}", before_call),
            (f"choose-signer.{service}", choose_signer),
            (f"before-send.{service}", before_send),
        ]
    return pairs


def install() -> None:
    """Add the handlers to every botocore session created from now on (idempotent)."""
    global _installed
    if _installed:
        return
    botocore.handlers.BUILTIN_HANDLERS.extend(_handlers())
    _carry_into_threads()
    credentials.install()
    _installed = True
    # boto3's default session may already exist (created before fake_ecr was imported).
    import boto3

    if boto3.DEFAULT_SESSION is not None:
        attach(boto3.DEFAULT_SESSION)


def attach(target: Any) -> Any:
    """Make fake_ecr serve ``target``: a client, a boto3 Session or a botocore Session.

    Only needed for a session (or a client of a session) that existed before ``import
    fake_ecr``; everything created afterwards is covered automatically. Idempotent. Returns
    ``target`` so it can wrap a constructor call.
    """
    meta = getattr(target, "meta", None)
    if meta is not None and hasattr(meta, "events"):  # a client
        register = meta.events.register
    elif hasattr(target, "events") and hasattr(target.events, "register"):  # boto3.Session
        register = target.events.register
    elif hasattr(target, "register"):  # botocore Session
        register = target.register
    else:
        raise TypeError(f"fake_ecr.attach() takes a client or a session, not {type(target).__name__}")
    for event, handler in _handlers():
        register(event, handler, unique_id=f"{_UNIQUE_ID}.{event}")
    return target
