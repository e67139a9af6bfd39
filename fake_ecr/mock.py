"""``FakeECR``, the controller, and ``mock_ecr``, the way in as decorator or context manager."""

from __future__ import annotations

import inspect
import re
import threading
import unittest
from typing import Any, Callable, Optional, TypeVar, Union, overload

import wrapt

from . import _dispatch, _interception
from .caller import Caller
from .clock import Clock
from .errors import FakeECRError, UnsupportedOperation
from .scan_controls import ScanControls
from .signing import SigningControls
from .state import Backend, Registry, Repository

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

_ACCOUNT_ID = re.compile(r"[0-9]{12}")


class RecordedCall:
    """One call served by the fake: what was asked and what came back."""

    __slots__ = ("service", "operation", "region", "params", "response", "error")

    def __init__(
        self,
        service: str,
        operation: str,
        region: str,
        params: Optional[dict[str, Any]],
        response: Optional[dict[str, Any]],
        error: Optional[BaseException],
    ) -> None:
        self.service = service
        self.operation = operation
        self.region = region
        self.params = params
        self.response = response
        self.error = error

    def __repr__(self) -> str:
        outcome = "error" if self.error is not None or self.response is None else "ok"
        if self.response is not None and "Error" in self.response:
            outcome = self.response["Error"]["Code"]
        return f"<RecordedCall {self.service}.{self.operation} {self.region} {outcome}>"


_boto3_session: Any = None
_boto3_session_lock = threading.Lock()


def _session() -> Any:
    """One boto3 Session for clients the controller and fixtures create (made after import)."""
    global _boto3_session
    with _boto3_session_lock:
        if _boto3_session is None:
            import boto3

            _boto3_session = boto3.Session()
        return _boto3_session


class FakeECR:
    """An in-memory ECR and ECR Public: the controller a test uses to inspect and steer the fake.

    Activate it with ``with FakeECR() as fake:``, ``fake.start()``/``fake.stop()``, or use it
    (or :func:`mock_ecr`) as a decorator. While active, every ``ecr`` and ``ecr-public`` call of
    every botocore client in the process is served from this object's state.

    :param account_id: the AWS account of the caller (12 digits).
    :param region: the default region of the controller's helpers (clients use their own).
    :param strict: whether the pytest fixture fails a test that called an unsupported operation.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str = DEFAULT_REGION,
        strict: bool = True,
    ) -> None:
        if not isinstance(account_id, str) or not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(f"fake_ecr account_id must be 12 digits, got {account_id!r}")
        self.account_id = account_id
        self.region = region
        self.strict = strict
        self.clock = Clock()
        self.backend = Backend()
        self.calls: list[RecordedCall] = []
        self.unsupported_calls: list[RecordedCall] = []
        self._active = False
        # Controls of features whose outcome a test decides (see docs/security-gate.md).
        self.scans = ScanControls(self)
        self.signing = SigningControls(self)
        self.caller = Caller(self)

    # -- activation ----------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> FakeECR:
        """Activate the fake for the whole process (nested fakes shadow outer ones)."""
        if self._active:
            raise FakeECRError("this FakeECR is already active")
        _interception.install()
        _interception.push(self)
        self._active = True
        return self

    def stop(self) -> None:
        """Deactivate the fake; an outer fake, if any, serves calls again."""
        _interception.remove(self)
        self._active = False

    def __enter__(self) -> FakeECR:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    async def __aenter__(self) -> FakeECR:
        return self.start()

    async def __aexit__(self, *exc_info: Any) -> None:
        self.stop()

    def reset(self) -> None:
        """Forget all state and recorded calls (the clock keeps its time)."""
        with self.backend.lock:
            self.backend = Backend()
            self.calls = []
            self.unsupported_calls = []

    # -- decorating ----------------------------------------------------------------------------

    def _options(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "region": self.region, "strict": self.strict}

    def __call__(self, target: Any) -> Any:
        """Decorate a function (sync or async), a ``TestCase`` or a test class.

        Each call of the function, and each test of the class, runs with a fresh fake.
        """
        if isinstance(target, type):
            return _decorate_class(target, self._options())
        if not callable(target):
            raise TypeError(f"mock_ecr cannot decorate {target!r}")
        return _decorate_function(target, self._options())

    # -- serving (called by the botocore hook) ---------------------------------------------------

    def _handle(self, model: Any, request: Any, context: Any) -> Any:
        region = context.get("client_region") or self.region
        try:
            (http, parsed), params = _dispatch.serve(
                self, model, region, request.get("url", ""), request.get("body") or b""
            )
        except UnsupportedOperation as exc:
            record = RecordedCall(exc.service, exc.operation, region, None, None, exc)
            self.unsupported_calls.append(record)
            self.calls.append(record)
            raise
        self.calls.append(
            RecordedCall(model.service_model.service_name, model.name, region, params, parsed, None)
        )
        return http, parsed

    # -- inspecting and seeding --------------------------------------------------------------------

    def client(self, service: str = "ecr", region: Optional[str] = None, **kwargs: Any) -> Any:
        """A boto3 client for ``service`` (``"ecr"`` or ``"ecr-public"``) served by fake_ecr.

        It carries dummy credentials so creating it never walks the credential chain.
        """
        kwargs.setdefault("aws_access_key_id", "fake_ecr")
        kwargs.setdefault("aws_secret_access_key", "fake_ecr")
        return _session().client(service, region_name=region or self.region, **kwargs)

    def registry(self, region: Optional[str] = None, account_id: Optional[str] = None) -> Registry:
        """The private registry of ``account_id`` in ``region`` (created empty if new)."""
        with self.backend.lock:
            return self.backend.registry(account_id or self.account_id, region or self.region)

    def repository(
        self, name: str, region: Optional[str] = None, account_id: Optional[str] = None
    ) -> Repository:
        """The repository ``name``; raises KeyError if it does not exist."""
        repo = self.registry(region, account_id).repositories.get(name)
        if repo is None:
            raise KeyError(f"fake_ecr has no repository {name!r} in {region or self.region}")
        return repo

    def unsupported_report(self) -> str:
        """A human-readable list of the unsupported calls made, for teardown messages."""
        lines = [f"- {c.service}.{c.operation} (region {c.region})" for c in self.unsupported_calls]
        return "The following ECR calls are not supported by fake_ecr yet:\n" + "\n".join(lines)

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return f"<FakeECR account={self.account_id} {state}>"


def _decorate_function(func: F, options: dict[str, Any]) -> F:
    if inspect.iscoroutinefunction(func):

        @wrapt.decorator
        async def async_wrapper(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
            with FakeECR(**options):
                return await wrapped(*args, **kwargs)

        return async_wrapper(func)  # type: ignore[no-any-return]

    @wrapt.decorator
    def wrapper(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        with FakeECR(**options):
            return wrapped(*args, **kwargs)

    return wrapper(func)  # type: ignore[no-any-return]


def _decorate_class(cls: C, options: dict[str, Any]) -> C:
    if issubclass(cls, unittest.TestCase):
        # Active from setUp to the last cleanup of every test, with fresh state each time.
        original_setup = cls.setUp

        def setUp(self: unittest.TestCase) -> None:
            fake = FakeECR(**options).start()
            self.addCleanup(fake.stop)
            original_setup(self)

        setUp.__wrapped__ = original_setup  # type: ignore[attr-defined]
        cls.setUp = setUp  # type: ignore[method-assign]
        return cls
    for name in dir(cls):
        if not name.startswith("test"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr):
            setattr(cls, name, _decorate_function(attr, options))
    return cls


@overload
def mock_ecr(func: F) -> F: ...


@overload
def mock_ecr(
    func: None = None,
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
    strict: bool = True,
) -> FakeECR: ...


def mock_ecr(func: Optional[Callable[..., Any]] = None, **options: Any) -> Union[FakeECR, Any]:
    """Activate fake_ecr: ``@mock_ecr``, ``@mock_ecr(account_id=...)`` or ``with mock_ecr() as fake:``."""
    fake = FakeECR(**options)
    if func is None:
        return fake
    return fake(func)


def current() -> Optional[FakeECR]:
    """The fake serving calls right now (useful inside a decorated test), or None."""
    return _interception.current()
