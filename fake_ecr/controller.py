"""``FakeECR``, the controller, and ``mock_ecr``, the way in as decorator or context manager."""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
import os
import re
import sys
import threading
import weakref
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional, TypeVar, Union, overload

from fake_ecr import features, image_builder, snapshots
from fake_ecr.core import interception
from fake_ecr.core.call import Settings
from fake_ecr.core.caller import Caller
from fake_ecr.core.clock import Clock
from fake_ecr.core.faults import Faults
from fake_ecr.core.recording import CallLog, RecordedCall
from fake_ecr.core.serving import Server
from fake_ecr.errors import FakeECRError, UnsupportedCallsMade
from fake_ecr.features.access_control.controls import AccessControls, IdentityControls
from fake_ecr.features.access_control.identities import Principal
from fake_ecr.features.layers import blobs
from fake_ecr.features.lifecycle.engine import Outcome
from fake_ecr.features.lifecycle.expiry import run_repository
from fake_ecr.features.pull_through_cache import upstreams
from fake_ecr.features.pull_through_cache.secrets import Secrets
from fake_ecr.features.replication.copies import ReplicationControls
from fake_ecr.features.scanning.controls import ScanControls
from fake_ecr.features.signing.signatures import SigningControls
from fake_ecr.model import Backend, PublicRegistry, Registry, Repository

if TYPE_CHECKING:
    # The boto3 client types, when the 'typing' extra (types-boto3-ecr, -ecr-public) is installed;
    # without them these names are Any to mypy.
    from types_boto3_ecr.client import ECRClient
    from types_boto3_ecr_public.client import ECRPublicClient

    from fake_ecr.endpoints.http_server import LoopbackServer
    from fake_ecr.endpoints.registry import RegistryEndpoint

DEFAULT_ACCOUNT_ID = "123456789012"
LOOPBACK = "127.0.0.1"  # where the HTTP endpoints listen unless told otherwise
# What a subprocess must not inherit: it would sign as the user, or look up a profile's credentials.
_CREDENTIAL_VARIABLES = frozenset(
    {
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
    }
)
DEFAULT_REGION = "us-east-1"

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

_ACCOUNT_ID = re.compile(r"[0-9]{12}")


# Suite-wide defaults of FakeECR's options: set_defaults() (the pytest plugin's ini options call
# it), else a FAKE_ECR_<OPTION> environment variable, else the built-in value.
_BUILT_IN: dict[str, Any] = {
    "account_id": DEFAULT_ACCOUNT_ID,
    "region": DEFAULT_REGION,
    "strict": True,
    "require_blobs": True,
    "call_log_limit": 1000,
    "call_log_responses": 20,
}
_defaults: dict[str, Any] = {}


def set_defaults(**options: Any) -> dict[str, Any]:
    """Change the defaults of ``account_id``, ``region``, ``strict``, ``require_blobs``,
    ``call_log_limit`` and ``call_log_responses`` for every fake made from now on (a fake's own arguments still win). Returns the previous setting
    of each option given (None where there was none), so ``set_defaults(**previous)`` undoes the
    change. ``None`` for an option goes back to the environment variable or the built-in default."""
    unknown = set(options) - set(_BUILT_IN)
    if unknown:
        raise TypeError(f"fake_ecr.set_defaults() has no option {sorted(unknown)}; it takes {sorted(_BUILT_IN)}")
    previous = {name: _defaults.get(name) for name in options}
    for name, value in options.items():
        if value is None:
            _defaults.pop(name, None)
        else:
            _defaults[name] = value
    return previous


def _default(name: str, given: Any) -> Any:
    if given is not None:
        return given
    if name in _defaults:
        return _defaults[name]
    raw = os.environ.get(f"FAKE_ECR_{name.upper()}")
    if raw is None:
        return _BUILT_IN[name]
    if isinstance(_BUILT_IN[name], bool):
        if raw.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise ValueError(f"FAKE_ECR_{name.upper()} must be true or false, got {raw!r}")
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(_BUILT_IN[name], int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"FAKE_ECR_{name.upper()} must be a whole number, got {raw!r}") from None
    return raw


def _whole_number(name: str, given: Optional[int]) -> int:
    """A count option (given, else its suite-wide default), refused unless a whole number >= 0."""
    value = _default(name, given)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"fake_ecr {name} must be a whole number >= 0, got {value!r}")
    return value


class Checkpoint:
    """The state of a fake at one moment (:meth:`FakeECR.snapshot`); opaque to tests."""

    __slots__ = ("backend",)

    def __init__(self, backend: Backend) -> None:
        self.backend = backend


class LifecycleAction:
    """One image a lifecycle policy expired or transitioned (see :meth:`FakeECR.run_lifecycle`)."""

    __slots__ = ("region", "registry_id", "repository_name", "image_digest", "image_tags", "rule_priority", "action")

    def __init__(self, repo: Repository, outcome: Outcome) -> None:
        self.region = repo.region
        self.registry_id = repo.registry_id
        self.repository_name = repo.name
        self.image_digest = outcome.digest
        self.image_tags = list(outcome.tags)
        self.rule_priority = outcome.rule_priority
        self.action = outcome.action  # "EXPIRE" or "TRANSITION"

    def __repr__(self) -> str:
        return (
            f"<LifecycleAction {self.action} {self.repository_name}@{self.image_digest[:19]} "
            f"tags={self.image_tags} rule={self.rule_priority}>"
        )


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


class _FixedUserAgent:
    """botocore rebuilds a client's User-Agent string on every call, which costs more than the
    fake's own work; a client fake_ecr builds for its own fake sends it nowhere, so it is built once."""

    def __init__(self, creator: Any) -> None:
        self._creator = creator
        self._text: str = creator.to_string()

    def to_string(self) -> str:
        return self._text

    def __getattr__(self, name: str) -> Any:
        return getattr(self._creator, name)


def _fix_user_agent(client: Any) -> None:
    creator = getattr(client, "_user_agent_creator", None)
    if creator is not None and callable(getattr(creator, "to_string", None)):
        client._user_agent_creator = _FixedUserAgent(creator)


class FakeECR:
    """An in-memory ECR and ECR Public: the controller a test uses to inspect and steer the fake.

    Activate it with ``with FakeECR() as fake:``, ``fake.start()``/``fake.stop()``, or use it
    (or :func:`mock_ecr`) as a decorator. While active, the ``ecr`` and ``ecr-public`` calls of
    every botocore client made in the context that started it (its thread or asyncio task, the
    tasks it creates and the threads it starts) are served from this object's state; see
    ``docs/usage.md`` for the rule.

    :param account_id: the AWS account of the caller (12 digits).
    :param region: the default region of the controller's helpers (clients use their own).
    :param strict: whether the pytest fixture fails a test that called an unsupported operation.
    :param require_blobs: whether PutImage requires, as ECR does, the layers and config blob of a
        manifest (and the manifests an index lists) to be in the repository. ``False`` lets a test
        store manifests whose content was never uploaded.
    :param registry: start the OCI registry endpoint with the fake (see :attr:`registry_endpoint`);
        ``"tls"``: serve it over HTTPS with a throwaway CA (needs ``trustme``).
    :param registry_uris: make ``repositoryUri``, ``registryUri`` and ``proxyEndpoint`` in API
        responses name the registry endpoint (which then starts with the fake).
    :param api: start the ECR and ECR Public APIs over HTTP with the fake (see :attr:`endpoint_url`).
    :param serve_custom_endpoints: whether calls of clients made with their own ``endpoint_url``
        (or ``AWS_ENDPOINT_URL``), such as a LocalStack URL or a VPC endpoint, are served too
        (the default). ``False`` leaves them to botocore, which sends them to that endpoint.
    :param access_control: authorize every call as AWS does, from the caller's identity-based
        policies (:attr:`identities`) and the repository and registry policies; off by default,
        when every call is allowed (see docs/access-control.md).
    :param call_log_limit: how many recorded calls :attr:`calls` keeps (the most recent; default
        1,000; ``0`` keeps every call). Assertions that need older calls raise
        :class:`FakeECRError` instead of counting wrong.
    :param call_log_responses: how many of the most recent recorded calls keep their response
        (default 20; ``0`` keeps every response). An older record keeps its params and error;
        reading its ``response`` raises :class:`FakeECRError`.
    """

    def __init__(
        self,
        *,
        account_id: Optional[str] = None,
        region: Optional[str] = None,
        strict: Optional[bool] = None,
        require_blobs: Optional[bool] = None,
        registry: Union[bool, str] = False,
        registry_uris: bool = False,
        api: bool = False,
        serve_custom_endpoints: bool = True,
        access_control: bool = False,
        call_log_limit: Optional[int] = None,
        call_log_responses: Optional[int] = None,
    ) -> None:
        # Not given: the suite-wide default (set_defaults, the plugin's ini options, FAKE_ECR_*).
        account_id = str(_default("account_id", account_id))
        region = str(_default("region", region))
        strict = bool(_default("strict", strict))
        require_blobs = bool(_default("require_blobs", require_blobs))
        call_log_limit = _whole_number("call_log_limit", call_log_limit)
        call_log_responses = _whole_number("call_log_responses", call_log_responses)
        if not isinstance(account_id, str) or not _ACCOUNT_ID.fullmatch(account_id):
            raise ValueError(f"fake_ecr account_id must be 12 digits, got {account_id!r}")
        self.strict = strict
        if registry not in (False, True, "tls"):
            raise ValueError(f"fake_ecr registry must be True, False or 'tls', got {registry!r}")
        self.registry_on_start = registry
        self.registry_uris = registry_uris
        self._registry_endpoint: Optional[RegistryEndpoint] = None
        self.api_on_start = api
        # Access key id -> account id or principal ARN, for calls over the HTTP API (others: the
        # fake's account; keys of fake.identities' principals are known without this).
        self.access_keys: dict[str, str] = {}
        self._http: Optional[LoopbackServer] = None
        self._api_mounted = False
        self.clock = Clock()
        # The serving core: the model, the call log and the faults; it never sees this controller.
        self.server = Server(
            Settings(
                account_id,
                region,
                require_blobs,
                serve_custom_endpoints,
                bool(access_control),
                call_log_limit,
                call_log_responses,
            ),
            features.wiring(),
            self.clock,
        )
        # Opt-in: apply lifecycle policies whenever the test moves the clock.
        self.lifecycle_on_clock_change = False
        self.clock.on_change(self._clock_changed)
        # Controls of features whose outcome a test decides (see docs/security-gate.md).
        self.scans = ScanControls(self.server)
        self.signing = SigningControls(self.server)
        self.caller = Caller(self.server)
        # Pull through cache: the Secrets Manager secrets that exist (see docs/pull-through-cache.md).
        self.secrets = Secrets(self.server)
        # Replication timing (see docs/replication.md).
        self.replication = ReplicationControls(self.server)
        # Access control: the principals behind access keys, and asking the engine directly.
        self.identities = IdentityControls(self.server)
        self.access = AccessControls(self.server)
        self._active = False

    # -- options (the serving core reads them from its settings) -------------------------------

    @property
    def account_id(self) -> str:
        return self.server.settings.account_id

    @account_id.setter
    def account_id(self, value: str) -> None:
        if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
            raise ValueError(f"fake_ecr account_id must be 12 digits, got {value!r}")
        self.server.settings.account_id = value

    @property
    def region(self) -> str:
        return self.server.settings.region

    @region.setter
    def region(self, value: str) -> None:
        self.server.settings.region = value

    @property
    def require_blobs(self) -> bool:
        return self.server.settings.require_blobs

    @require_blobs.setter
    def require_blobs(self, value: bool) -> None:
        self.server.settings.require_blobs = bool(value)

    @property
    def serve_custom_endpoints(self) -> bool:
        return self.server.settings.serve_custom_endpoints

    @serve_custom_endpoints.setter
    def serve_custom_endpoints(self, value: bool) -> None:
        self.server.settings.serve_custom_endpoints = bool(value)

    # -- state the serving core owns ------------------------------------------------------------

    @property
    def backend(self) -> Backend:
        return self.server.backend

    @property
    def calls(self) -> CallLog:
        """The recorded calls, oldest first (the last ``call_log_limit`` of them)."""
        return self.server.calls

    @property
    def unsupported_calls(self) -> list[RecordedCall]:
        return self.server.unsupported_calls

    @property
    def faults(self) -> Faults:
        return self.server.faults

    # -- activation ----------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        return self._active

    def start(self) -> FakeECR:
        """Activate the fake for this thread or task and the threads it starts (nested fakes
        shadow outer ones)."""
        if self._active:
            raise FakeECRError("this FakeECR is already active")
        interception.install()
        _controllers[id(self.server)] = self
        interception.push(self.server)
        self._active = True
        with _live_lock:
            _live.append(self)
        if self.registry_on_start or self.registry_uris:
            self.registry_endpoint.start()
        if self.api_on_start:
            self.endpoint_url  # noqa: B018 (starts the HTTP API)
        return self

    def stop(self) -> None:
        """Deactivate the fake (from any thread); an outer fake, if any, serves calls again."""
        interception.remove(self.server)
        self._active = False
        endpoint, self._registry_endpoint = self._registry_endpoint, None
        if endpoint is not None:
            self.server.result_filters.clear()
            endpoint.stop()
        http, self._http, self._api_mounted = self._http, None, False
        if http is not None:
            http.stop()
        with _live_lock:
            if self in _live:
                _live.remove(self)

    def __enter__(self) -> FakeECR:
        return self.start()

    def __exit__(self, exc_type: Any, *exc_info: Any) -> None:
        self.stop()
        if exc_type is None:
            self.check_unsupported_calls()

    async def __aenter__(self) -> FakeECR:
        return self.start()

    async def __aexit__(self, exc_type: Any, *exc_info: Any) -> None:
        self.__exit__(exc_type, *exc_info)

    def check_unsupported_calls(self) -> None:
        """With ``strict`` (the default), fail if the code under test made calls fake_ecr does not
        support yet and swallowed the ``UnsupportedOperation`` error. Every way in runs this when
        the fake ends without an error of its own: the context manager, the decorator, the
        fixture."""
        if self.strict and self.unsupported_calls:
            raise UnsupportedCallsMade(
                self.unsupported_report() + "\nThe code under test may have swallowed the UnsupportedOperation error; "
                "pass strict=False to allow such calls."
            )

    def reset(self) -> None:
        """Forget everything the fake holds, as if it were new, but keep its options and clock.

        Forgotten: every registry and repository, every setting made through ``fake.scans``,
        ``fake.signing``, ``fake.caller``, ``fake.secrets``, ``fake.replication`` and
        ``fake.upstream(...)``, the principals of ``fake.identities``, the planned faults and the
        recorded calls. Kept: ``account_id``, ``region``, ``strict``, ``require_blobs``,
        ``serve_custom_endpoints``, ``access_control``, ``lifecycle_on_clock_change`` and the clock.
        """
        self.server.reset()

    # -- the registry endpoint -------------------------------------------------------------------

    @property
    def registry_endpoint(self) -> RegistryEndpoint:
        """The OCI registry endpoint on 127.0.0.1 serving this fake (started on first use, stopped with it)."""
        if not self._active:
            raise FakeECRError(
                "the registry endpoint needs the fake to be active (start it or use it as a context manager)"
            )
        if self._registry_endpoint is None:
            from fake_ecr.endpoints.registry import RegistryEndpoint

            tls = self.registry_on_start == "tls"
            # A plain registry shares the HTTP API's port; a TLS one has a server of its own.
            shared = None if tls else self._loopback()
            self._registry_endpoint = RegistryEndpoint(self.server, shared, tls=tls).start()
            if self.registry_uris:
                self.server.result_filters.append(self._registry_endpoint.local_uris)
        return self._registry_endpoint

    # -- the HTTP API --------------------------------------------------------------------------

    def http_server(
        self, *, host: str = LOOPBACK, port: int = 0, log: Optional[Callable[[str], None]] = None
    ) -> LoopbackServer:
        """The fake's HTTP server, which the HTTP API and the registry endpoint share: started on
        first use (on ``host``:``port``, loopback and a free port by default) and stopped with
        the fake; ``log`` hears one line per request."""
        if not self._active:
            raise FakeECRError(
                "fake_ecr's HTTP endpoints need the fake to be active (start it or use it as a context manager)"
            )
        if self._http is None:
            # Network front doors load on first use: most tests never start one (ssl, http.server).
            from fake_ecr.endpoints.http_server import LoopbackServer

            self._http = LoopbackServer(host=host, port=port, log=log).start()
        return self._http

    def _loopback(self) -> LoopbackServer:
        return self.http_server()

    @property
    def endpoint_url(self) -> str:
        """The URL of the ECR and ECR Public APIs over HTTP (``http://127.0.0.1:PORT``), serving
        this fake's state: give it to SDKs and tools as their endpoint (see docs/server.md)."""
        server = self._loopback()
        if not self._api_mounted:
            from fake_ecr.endpoints.aws_api import ApiApp, is_api_request

            server.mount(is_api_request, ApiApp(self.server, self.access_keys.get))
            self._api_mounted = True
        return f"http://{server.address}"

    def subprocess_env(self, base: Optional[Mapping[str, str]] = None) -> dict[str, str]:
        """Environment variables for a subprocess (the AWS CLI, a Node or Go program) to use this
        fake: the endpoint URLs of both services, dummy credentials and the Region, on top of
        ``base`` (default: this process's environment, without its AWS credentials and profile)."""
        env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _CREDENTIAL_VARIABLES}
        url = self.endpoint_url
        env.update(
            {
                "AWS_ENDPOINT_URL_ECR": url,
                "AWS_ENDPOINT_URL_ECR_PUBLIC": url,
                "AWS_ACCESS_KEY_ID": "fake-ecr-access-key",
                "AWS_SECRET_ACCESS_KEY": "fake-ecr-secret-key",
                "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region,
                "AWS_EC2_METADATA_DISABLED": "true",
            }
        )
        return env

    # -- decorating ----------------------------------------------------------------------------

    def _options(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "region": self.region,
            "strict": self.strict,
            "require_blobs": self.require_blobs,
            "registry": self.registry_on_start,
            "registry_uris": self.registry_uris,
            "api": self.api_on_start,
            "serve_custom_endpoints": self.serve_custom_endpoints,
            "access_control": self.access.enabled,
            "call_log_limit": self.calls.limit,
            "call_log_responses": self.calls.responses,
        }

    def __call__(self, target: Any) -> Any:
        """Decorate a function (sync or async), a ``TestCase`` or a test class.

        Each call of the function, and each test of the class, runs with a fresh fake.
        """
        if isinstance(target, type):
            return _decorate_class(target, self._options())
        if not callable(target):
            raise TypeError(f"mock_ecr cannot decorate {target!r}")
        return _decorate_function(target, self._options())

    def get_calls(
        self, operation: Optional[str] = None, *, service: Optional[str] = None, **params: Any
    ) -> list[RecordedCall]:
        """The recorded calls of ``operation`` (any, if None) whose params include ``params``."""
        forgotten = self.calls.forgotten
        if forgotten:
            raise FakeECRError(
                f"fake_ecr's call log forgot its {forgotten} oldest calls (it keeps the last "
                f"{self.calls.limit}), so it cannot tell which calls matched: clear it with "
                "fake.calls.clear() after seeding, or make the fake with a larger call_log_limit "
                "(0 keeps every call)"
            )
        return [
            c
            for c in self.calls
            if (operation is None or c.operation == operation)
            and (service is None or c.service == service)
            and all((c.params or {}).get(k) == v for k, v in params.items())
        ]

    def get_call(
        self, operation: Optional[str] = None, *, service: Optional[str] = None, **params: Any
    ) -> RecordedCall:
        """The one recorded call matching, like :meth:`get_calls`; AssertionError unless exactly one."""
        found = self.get_calls(operation, service=service, **params)
        if len(found) != 1:
            raise AssertionError(
                f"expected exactly one {operation or 'call'} matching {params}, found {len(found)}: {found}"
            )
        return found[0]

    def call_count(self, operation: Optional[str] = None, *, service: Optional[str] = None, **params: Any) -> int:
        """How many recorded calls match, like :meth:`get_calls` (faulted attempts included)."""
        return len(self.get_calls(operation, service=service, **params))

    def assert_called(
        self, operation: str, *, service: Optional[str] = None, times: Optional[int] = None, **params: Any
    ) -> list[RecordedCall]:
        """Assert that ``operation`` was called with ``params`` (``times`` times, if given); return
        the matching calls. The failure message shows the closest recorded calls."""
        found = self.get_calls(operation, service=service, **params)
        if (times is None and not found) or (times is not None and len(found) != times):
            expected = "at least once" if times is None else f"{times} time{'s' * (times != 1)}"
            raise AssertionError(
                f"expected {operation}{_describe(params)} {expected}, found {len(found)}"
                + self._closest(operation, service, params)
            )
        return found

    def assert_called_once(self, operation: str, *, service: Optional[str] = None, **params: Any) -> RecordedCall:
        """Assert exactly one matching call, and return it."""
        return self.assert_called(operation, service=service, times=1, **params)[0]

    def assert_not_called(self, operation: str, *, service: Optional[str] = None, **params: Any) -> None:
        """Assert that no call of ``operation`` matches ``params``."""
        found = self.get_calls(operation, service=service, **params)
        if found:
            raise AssertionError(
                f"expected no {operation}{_describe(params)}, found {len(found)}: "
                + "; ".join(_describe_call(c) for c in found[:5])
            )

    def _closest(self, operation: str, service: Optional[str], params: dict[str, Any]) -> str:
        """The recorded calls nearest to what was expected: same operation, most params in common."""
        same = [c for c in self.calls if c.operation == operation and (service is None or c.service == service)]
        if not same:
            others = sorted({c.operation for c in self.calls})
            return f"; no {operation} was recorded" + (f" (recorded: {', '.join(others)})" if others else "")

        def shared(call: RecordedCall) -> int:
            return sum((call.params or {}).get(k) == v for k, v in params.items())

        closest = sorted(same, key=shared, reverse=True)[:3]
        return "; closest recorded: " + "; ".join(_describe_call(c) for c in closest)

    # -- inspecting and seeding --------------------------------------------------------------------

    @overload
    def client(
        self,
        service: Literal["ecr"] = ...,
        region: Optional[str] = ...,
        *,
        as_: Optional[Union[Principal, str]] = ...,
        **kwargs: Any,
    ) -> ECRClient: ...

    @overload
    def client(
        self,
        service: Literal["ecr-public"],
        region: Optional[str] = ...,
        *,
        as_: Optional[Union[Principal, str]] = ...,
        **kwargs: Any,
    ) -> ECRPublicClient: ...

    @overload
    def client(
        self, service: str, region: Optional[str] = ..., *, as_: Optional[Union[Principal, str]] = ..., **kwargs: Any
    ) -> Any: ...

    def client(
        self,
        service: str = "ecr",
        region: Optional[str] = None,
        *,
        as_: Optional[Union[Principal, str]] = None,
        **kwargs: Any,
    ) -> Any:
        """A boto3 client for ``service`` (``"ecr"`` or ``"ecr-public"``) served by fake_ecr.

        It carries dummy credentials so creating it never walks the credential chain; with
        ``as_`` (a principal from :attr:`identities`, or its ARN), that principal's access key,
        so its calls are made as that principal.
        """
        if as_ is not None:
            principal = self.identities.get(as_) if isinstance(as_, str) else as_
            if principal is None:
                raise FakeECRError(f"fake_ecr knows no principal {as_!r}: make it with fake.identities first")
            kwargs.setdefault("aws_access_key_id", principal.access_key)
            kwargs.setdefault("aws_secret_access_key", principal.secret_key)
        kwargs.setdefault("aws_access_key_id", "fake_ecr")
        kwargs.setdefault("aws_secret_access_key", "fake_ecr")
        client = _session().client(service, region_name=region or self.region, **kwargs)
        if "endpoint_url" not in kwargs and "config" not in kwargs:
            _fix_user_agent(client)
        return client

    def registry(self, region: Optional[str] = None, account_id: Optional[str] = None) -> Registry:
        """The private registry of ``account_id`` in ``region`` (created empty if new)."""
        return self.server.registry(region, account_id)

    def repository(self, name: str, region: Optional[str] = None, account_id: Optional[str] = None) -> Repository:
        """The repository ``name``; raises KeyError if it does not exist."""
        return self.server.repository(name, region, account_id)

    def public_registry(self, account_id: Optional[str] = None) -> PublicRegistry:
        """The ECR Public registry of ``account_id`` (one per account, created empty if new).

        Use it to set what only AWS or the console can: ``verified``, or a custom alias with
        ``add_alias("my-alias")``.
        """
        with self.backend.lock:
            return self.backend.public_registry(account_id or self.account_id)

    # -- checkpoints ------------------------------------------------------------------------------

    def snapshot(self) -> Checkpoint:
        """A copy of the fake's whole state, to :meth:`restore` later (far cheaper than seeding
        again: a module- or session-wide seeded fake gives each test a clean copy this way)."""
        with self.server.lock:
            return Checkpoint(copy.deepcopy(self.server.backend))

    def restore(self, checkpoint: Checkpoint) -> None:
        """Put the state back as it was at ``checkpoint`` (which stays reusable); the call log and
        planned faults start empty, as after :meth:`reset`."""
        with self.server.lock:
            self.server.reset()
            self.server.backend = copy.deepcopy(checkpoint.backend)

    @contextlib.contextmanager
    def checkpoint(self) -> Iterator[FakeECR]:
        """``with fake.checkpoint():`` whatever the block changes is undone when it ends."""
        saved = self.snapshot()
        try:
            yield self
        finally:
            self.restore(saved)

    # -- saving and loading state ----------------------------------------------------------------

    def save_state(self, path: Optional[Union[str, os.PathLike[str]]] = None) -> dict[str, Any]:
        """The fake's registries, repositories, images, layers and policies as a JSON-ready
        snapshot (written to ``path`` too, if given). See :mod:`fake_ecr.snapshots` for what it
        covers; state it does not cover raises ``SnapshotError`` naming it."""
        snapshot = snapshots.save(self.server)
        if path is not None:
            with open(path, "w", encoding="utf-8") as out:
                json.dump(snapshot, out, indent=1)
        return snapshot

    def load_state(self, source: Union[dict[str, Any], str, os.PathLike[str]]) -> None:
        """Forget the current state (as :meth:`reset`) and load a snapshot (a dict, or a JSON file
        written by :meth:`save_state` or ``fake-ecr serve --state``)."""
        snapshot: Any = source
        if not isinstance(source, dict):
            with open(source, encoding="utf-8") as data:
                snapshot = json.load(data)
        self.reset()
        snapshots.load(self.server, snapshot)
        self.server.calls.clear()

    # -- lifecycle policies --------------------------------------------------------------------------

    def run_lifecycle(self, region: Optional[str] = None) -> list[LifecycleAction]:
        """Apply every repository's lifecycle policy now, as ECR does on its own schedule.

        :param region: only this region's repositories (default: every region and account).
        :returns: what was expired or transitioned, in the order it happened.
        """
        done: list[LifecycleAction] = []
        with self.backend.lock:
            now = self.clock.time()
            for (_, reg_region), registry in sorted(self.backend.registries.items()):
                if region is not None and reg_region != region:
                    continue
                call = self.server.new_call("ecr", "LifecyclePolicyEvaluation", reg_region, now=now)
                for repo in registry.repositories.values():
                    outcomes = run_repository(call, repo)
                    done.extend(LifecycleAction(repo, o) for o in outcomes)
        return done

    def _clock_changed(self, now: float) -> None:
        if self.lifecycle_on_clock_change:
            self.run_lifecycle()

    @overload
    def push_image(
        self, repository: str, tag: Optional[str] = None, *, region: Optional[str] = None, **options: Any
    ) -> str: ...

    @overload
    def push_image(self, client: Any, repository: str, tag: Optional[str] = None, **options: Any) -> str: ...

    def push_image(self, *args: Any, region: Optional[str] = None, **options: Any) -> str:
        """Build an image and push it to a repository as a client would; return its digest.

        ``fake.push_image(repository, tag)`` pushes with a client of the fake's (in ``region``);
        ``fake.push_image(client, repository, tag)`` takes the same arguments as the module-level
        :func:`fake_ecr.push_image`, so the two spellings never clash. ``options``: ``layers``,
        ``media_type``, ``platforms``, ``artifact_type``, ``subject``, ...
        """
        if not self._active:
            raise FakeECRError("push_image needs the fake to be active (start it or use it as a context manager)")
        if args and not isinstance(args[0], str):  # a client first, as in fake_ecr.push_image
            return image_builder.push_image(*args, **options)
        return image_builder.push_image(self.client("ecr", region=region), *args, **options)

    def upstream(self, name: str) -> upstreams.Upstream:
        """An upstream registry for pull through cache: a kind (``"docker-hub"``) or a URL.

        Publish images there with ``fake.upstream("docker-hub").push_image("library/nginx", "latest")``.
        """
        url = upstreams.upstream_url(name)
        with self.backend.lock:
            return upstreams.Upstream(upstreams.upstream_registry(self.backend, url), self.backend.lock)

    def download(self, url: str) -> bytes:
        """The bytes a GET of a ``downloadUrl`` from GetDownloadUrlForLayer would return.

        Raises FakeECRError once the URL has expired (``X-Amz-Expires=3600``, on the fake's
        clock) or its repository was deleted, as the real URL stops working.
        """
        with self.backend.lock:
            return blobs.resolve_download(self.backend, url, self.clock.time())

    def unsupported_report(self) -> str:
        """A human-readable list of the unsupported calls made, for teardown messages."""
        lines = [f"- {c.service}.{c.operation} (region {c.region})" for c in self.unsupported_calls]
        return "The following ECR calls are not supported by fake_ecr yet:\n" + "\n".join(lines)

    def __repr__(self) -> str:
        state = "active" if self._active else "inactive"
        return f"<FakeECR account={self.account_id} {state}>"


def _describe(params: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")" if params else ""


def _describe_call(call: RecordedCall) -> str:
    outcome = "" if call.error is None else f" -> {getattr(call.error, 'code', type(call.error).__name__)}"
    return f"{call.operation}{_describe(call.params or {})}{outcome}"


def _decorate_function(func: F, options: dict[str, Any], method_fake: Optional[str] = None) -> F:
    """Run ``func`` in a fresh fake; for a method of a decorated class, in the fake its
    ``setup_method`` started (``method_fake`` names the attribute), if it ran."""
    import wrapt  # imported on first use: it costs more than the rest of fake_ecr's import

    def started(instance: Any) -> bool:
        fake = getattr(instance, "__dict__", {}).get(method_fake) if method_fake else None
        return fake is not None and fake.active

    if inspect.iscoroutinefunction(func):

        @wrapt.decorator
        async def async_wrapper(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
            if started(instance):
                return await wrapped(*args, **kwargs)
            with FakeECR(**options):
                return await wrapped(*args, **kwargs)

        return async_wrapper(func)  # type: ignore[return-value]

    @wrapt.decorator
    def wrapper(wrapped: Any, instance: Any, args: Any, kwargs: Any) -> Any:
        if started(instance):
            return wrapped(*args, **kwargs)
        with FakeECR(**options):
            return wrapped(*args, **kwargs)

    return wrapper(func)  # type: ignore[return-value]


_CLASS_LEVEL = ("setUpClass", "tearDownClass", "setup_class", "teardown_class")
_FAKE_ATTR = "_fake_ecr_method_fake"


def _call_with_optional_argument(func: Callable[..., Any], arg: Any) -> Any:
    """Call ``func(arg)`` if it takes an argument, else ``func()`` (as pytest calls xunit hooks)."""
    try:
        takes = bool(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        takes = True
    return func(arg) if takes else func()


def _refusing(func: Callable[..., Any], reason: str) -> Callable[..., Any]:
    """``func`` run with ECR calls refused; it takes the class if ``func`` does (pytest counts it)."""
    code = getattr(func, "__code__", None)
    if code is not None and code.co_argcount == 0:

        def refusing_bare() -> Any:
            with interception.refusing(reason):
                return func()

        wrapper: Callable[..., Any] = refusing_bare
    else:

        def refusing(klass: Any) -> Any:
            with interception.refusing(reason):
                return func(klass)

        wrapper = refusing
    wrapper.__name__ = getattr(func, "__name__", wrapper.__name__)
    wrapper.__qualname__ = getattr(func, "__qualname__", wrapper.__qualname__)
    wrapper.__doc__ = func.__doc__
    return wrapper


def _refuse_class_level(cls: type) -> None:
    """Class-level set-up runs once, outside the fake each test gets: ECR calls there are refused."""
    for name in _CLASS_LEVEL:
        raw = inspect.getattr_static(cls, name, None)
        if raw is None:
            continue
        func = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
        if not callable(func) or getattr(func, "__module__", "") == "unittest.case":
            continue
        reason = (
            f"{cls.__qualname__}.{name} runs outside the fake that @mock_ecr gives each test "
            "(start a FakeECR there yourself if class-level state must live in a fake)"
        )

        refusing = _refusing(func, reason)
        if isinstance(raw, classmethod):
            setattr(cls, name, classmethod(refusing))
        elif isinstance(raw, staticmethod):
            setattr(cls, name, staticmethod(refusing))
        else:
            setattr(cls, name, refusing)


def _decorate_class(cls: C, options: dict[str, Any]) -> C:
    _refuse_class_level(cls)
    unittest = sys.modules.get("unittest")  # a TestCase exists only if unittest was imported
    if unittest is not None and issubclass(cls, unittest.TestCase):
        # Active from setUp to the last cleanup of every test, with fresh state each time.
        original_setup = getattr(cls, "setUp")  # noqa: B009 (a class of unknown type)

        def setUp(self: Any) -> None:
            fake = FakeECR(**options).start()
            self.addCleanup(fake.check_unsupported_calls)  # cleanups run last-in, first-out
            self.addCleanup(fake.stop)
            original_setup(self)

        setUp.__wrapped__ = original_setup  # type: ignore[attr-defined]
        setattr(cls, "setUp", setUp)  # noqa: B010
        return cls
    # A plain (pytest) class: one fake per test, from setup_method to teardown_method.
    original_setup_method = getattr(cls, "setup_method", None)
    original_teardown_method = getattr(cls, "teardown_method", None)

    def setup_method(self: Any, method: Any = None) -> None:
        fake = FakeECR(**options).start()
        self.__dict__[_FAKE_ATTR] = fake
        if original_setup_method is not None:
            try:
                _call_with_optional_argument(original_setup_method.__get__(self), method)
            except BaseException:
                self.__dict__.pop(_FAKE_ATTR, None)
                fake.stop()
                raise

    def teardown_method(self: Any, method: Any = None) -> None:
        try:
            if original_teardown_method is not None:
                _call_with_optional_argument(original_teardown_method.__get__(self), method)
        finally:
            fake = self.__dict__.pop(_FAKE_ATTR, None)
            if fake is not None:
                fake.stop()
        if fake is not None:
            fake.check_unsupported_calls()

    setattr(cls, "setup_method", setup_method)  # noqa: B010 (a class of unknown type)
    setattr(cls, "teardown_method", teardown_method)  # noqa: B010
    for name in dir(cls):
        if not name.startswith("test"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr):
            setattr(cls, name, _decorate_function(attr, options, method_fake=_FAKE_ATTR))
    return cls


@overload
def mock_ecr(func: F) -> F: ...


@overload
def mock_ecr(
    func: None = None,
    *,
    account_id: Optional[str] = None,
    region: Optional[str] = None,
    strict: Optional[bool] = None,
    require_blobs: Optional[bool] = None,
    registry: Union[bool, str] = False,
    registry_uris: bool = False,
    api: bool = False,
    serve_custom_endpoints: bool = True,
    access_control: bool = False,
    call_log_limit: Optional[int] = None,
    call_log_responses: Optional[int] = None,
) -> FakeECR: ...


def mock_ecr(func: Optional[Callable[..., Any]] = None, **options: Any) -> Union[FakeECR, Any]:
    """Activate fake_ecr: ``@mock_ecr``, ``@mock_ecr(account_id=...)`` or ``with mock_ecr() as fake:``."""
    fake = FakeECR(**options)
    if func is None:
        return fake
    return fake(func)


# The fakes active right now, in the order they started (for the plugin's end-of-test check).
_live: list[FakeECR] = []
_live_lock = threading.Lock()


def active_fakes() -> list[FakeECR]:
    """Every fake active right now, in any thread, in the order they started."""
    with _live_lock:
        return list(_live)


# The controller of each server that has been started (so ``current()`` can name the controller),
# by the server's id: weak on the controller, since the controller holds its server (a weak key
# would never die). An id is unique while its entry exists: the entry lives no longer than the
# controller, and the controller keeps the server alive.
_controllers: weakref.WeakValueDictionary[int, FakeECR] = weakref.WeakValueDictionary()


def current() -> Optional[FakeECR]:
    """The fake serving calls right now (useful inside a decorated test), or None."""
    server = interception.current()
    return None if server is None else _controllers.get(id(server))
