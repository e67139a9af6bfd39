"""No credential lookups for ECR clients: their credentials are resolved when a request is signed.

botocore resolves a client's credentials when the client is built, walking the session's chain:
environment, files, ``credential_process`` (runs a program), container and instance metadata
(network, with time-outs). A call fake_ecr serves is never signed, so none of that is needed.

Once fake_ecr is installed, an ``ecr`` or ``ecr-public`` client made without explicit keys gets
:class:`DeferredCredentials`: the session's chain runs the first time something reads them,
which only happens when botocore signs a request that really leaves the process (a call no fake
serves, where real calls are allowed). Clients of other services are untouched, and so is the
session's own ``get_credentials()``. aiobotocore's sessions get the same treatment
(:class:`DeferredAsyncCredentials`) once aiobotocore is imported and a fake starts.
"""

from __future__ import annotations

import contextvars
import inspect
import sys
import threading
from collections.abc import Awaitable
from typing import Any, Callable, Optional

import botocore.credentials
import botocore.session

SERVICES = ("ecr", "ecr-public")

_deferring: contextvars.ContextVar[bool] = contextvars.ContextVar("fake_ecr_deferring", default=False)
_UNRESOLVED: Any = object()


class DeferredCredentials(botocore.credentials.Credentials):  # type: ignore[misc]
    """Credentials resolved by the session's chain on first use, not when the client is built."""

    method = "fake_ecr-deferred"

    def __init__(self, resolve: Callable[[], Optional[botocore.credentials.Credentials]]) -> None:
        # No super().__init__(): every attribute it sets is a property here.
        self._resolve = resolve
        self._resolved: Any = _UNRESOLVED
        self._lock = threading.Lock()

    def _real(self) -> Optional[botocore.credentials.Credentials]:
        with self._lock:
            if self._resolved is _UNRESOLVED:
                self._resolved = self._resolve()
            resolved: Optional[botocore.credentials.Credentials] = self._resolved
            return resolved

    def _member(self, name: str) -> Any:
        real = self._real()
        return None if real is None else getattr(real, name)

    @property
    def access_key(self) -> Any:
        return self._member("access_key")

    @property
    def secret_key(self) -> Any:
        return self._member("secret_key")

    @property
    def token(self) -> Any:
        return self._member("token")

    @property
    def account_id(self) -> Any:
        return self._member("account_id")

    def get_frozen_credentials(self) -> Any:
        real = self._real()
        return None if real is None else real.get_frozen_credentials()

    def __repr__(self) -> str:
        state = "unresolved" if self._resolved is _UNRESOLVED else "resolved"
        return f"<DeferredCredentials {state}>"


class DeferredAsyncCredentials(botocore.credentials.Credentials):  # type: ignore[misc]
    """The aiobotocore counterpart: the session's chain runs when a request is first signed."""

    method = "fake_ecr-deferred"

    def __init__(self, resolve: Callable[[], Awaitable[Any]]) -> None:
        self._resolve = resolve
        self._resolved: Any = _UNRESOLVED

    async def _real(self) -> Any:
        if self._resolved is _UNRESOLVED:
            self._resolved = await self._resolve()
        return self._resolved

    def _member(self, name: str) -> Any:
        real = self._resolved
        return None if real is _UNRESOLVED or real is None else getattr(real, name)

    @property
    def access_key(self) -> Any:
        return self._member("access_key")

    @property
    def secret_key(self) -> Any:
        return self._member("secret_key")

    @property
    def token(self) -> Any:
        return self._member("token")

    @property
    def account_id(self) -> Any:
        return self._member("account_id")

    async def get_frozen_credentials(self) -> Any:
        real = await self._real()
        return None if real is None else await real.get_frozen_credentials()

    async def get_account_id(self) -> Any:
        # What aiobotocore's endpoint resolution reads (ECR's rules never ask for it).
        real = await self._real()
        if real is None:
            return None
        answer = real.get_account_id()
        return await answer if inspect.isawaitable(answer) else answer

    def __repr__(self) -> str:
        state = "unresolved" if self._resolved is _UNRESOLVED else "resolved"
        return f"<DeferredAsyncCredentials {state}>"


_original_create_client = botocore.session.Session.create_client
_original_get_credentials = botocore.session.Session.get_credentials


def _create_client(self: botocore.session.Session, *args: Any, **kwargs: Any) -> Any:
    service = kwargs.get("service_name", args[0] if args else None)
    if service not in SERVICES:
        return _original_create_client(self, *args, **kwargs)
    token = _deferring.set(True)
    try:
        return _original_create_client(self, *args, **kwargs)
    finally:
        _deferring.reset(token)


def _get_credentials(self: botocore.session.Session) -> Any:
    if _deferring.get() and getattr(self, "_credentials", None) is None:
        return DeferredCredentials(lambda: _original_get_credentials(self))
    return _original_get_credentials(self)


def install() -> None:
    """Defer the credentials of every ECR client built from now on (idempotent)."""
    botocore.session.Session.create_client = _create_client
    botocore.session.Session.get_credentials = _get_credentials
    install_async()


_async_installed = False


def install_async() -> None:
    """The same for aiobotocore's sessions, if aiobotocore has been imported (idempotent, cheap)."""
    global _async_installed
    module = sys.modules.get("aiobotocore.session")
    if _async_installed or module is None:
        return
    session_class = module.AioSession
    original_create = session_class._create_client
    original_get = session_class.get_credentials

    async def create_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        service = kwargs.get("service_name", args[0] if args else None)
        if service not in SERVICES:
            return await original_create(self, *args, **kwargs)
        token = _deferring.set(True)
        try:
            return await original_create(self, *args, **kwargs)
        finally:
            _deferring.reset(token)

    async def get_credentials(self: Any) -> Any:
        if _deferring.get() and getattr(self, "_credentials", None) is None:
            return DeferredAsyncCredentials(lambda: original_get(self))
        return await original_get(self)

    session_class._create_client = create_client
    session_class.get_credentials = get_credentials
    _async_installed = True
