"""The botocore hook: one inert ``before-call`` handler that serves ECR calls while a fake is active.

At import it is appended to ``botocore.handlers.BUILTIN_HANDLERS``, which every botocore session
created afterwards copies into its event emitter; every client of such a session carries it,
however early the client was created. With no fake active the handler returns None and botocore
proceeds as if it were not there. Activation is a process-wide stack, so threads see it too.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Optional

import botocore
import botocore.handlers

from fake_ecr.core.serving import CALL_HEADER, SIGNER_KEY
from fake_ecr.errors import FakeECRError

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server

SERVICES = ("ecr", "ecr-public")
_UNIQUE_ID = "fake_ecr"

_active: list[Server] = []
_active_lock = threading.Lock()
_installed = False


def current() -> Optional[Server]:
    """The server that answers calls right now (the innermost active one), or None."""
    stack = _active
    return stack[-1] if stack else None


def push(server: Server) -> None:
    with _active_lock:
        _active.append(server)


def remove(server: Server) -> None:
    with _active_lock:
        for index in range(len(_active) - 1, -1, -1):
            if _active[index] is server:
                del _active[index]
                return


def before_call(model: Any, params: Any, context: Any = None, **kwargs: Any) -> Any:
    """botocore ``before-call`` handler: serve the call from the active fake, if any."""
    stack = _active
    if not stack:
        return None
    context = {} if context is None else context
    context[SIGNER_KEY] = kwargs.get("request_signer")  # its credentials name the caller
    return stack[-1].answer_before_call(model, params, context)


def choose_signer(context: Any = None, **kwargs: Any) -> Any:
    """Calls that fake_ecr sent down the endpoint path (fault injection) are not signed."""
    if context and context.get(CALL_HEADER):
        return botocore.UNSIGNED
    return None


def before_send(request: Any, **kwargs: Any) -> Any:
    """Answer an attempt that ``before_call`` sent down the endpoint path (fault injection)."""
    if CALL_HEADER not in request.headers:
        return None
    stack = _active
    if not stack:
        raise FakeECRError("fake_ecr was deactivated while a call it had planned a fault for was in flight")
    return stack[-1].answer_attempt(request)


def _handlers() -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = []
    for service in SERVICES:
        pairs += [
            (f"before-call.{service}", before_call),
            (f"choose-signer.{service}", choose_signer),
            (f"before-send.{service}", before_send),
        ]
    return pairs


def install() -> None:
    """Add the handler to every botocore session created from now on (idempotent)."""
    global _installed
    if _installed:
        return
    botocore.handlers.BUILTIN_HANDLERS.extend(_handlers())
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
