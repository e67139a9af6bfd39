"""pytest fixtures and marker for fake_ecr.

Installing fake_ecr is enough: pytest loads this plugin at start-up, which imports fake_ecr and
installs its botocore hook before any test module builds a client.

* ``fake_ecr``: an active :class:`fake_ecr.FakeECR` with fresh state for each test.
* ``ecr_client`` / ``ecr_public_client``: boto3 clients served by it.
* ``ecr_registry``: the fake's OCI registry endpoint on 127.0.0.1 (``.address``, ``.url``).
* ``ecr_endpoint_url``: the URL of the fake's ECR APIs over HTTP (AWS's JSON protocol).
* ``@pytest.mark.fake_ecr(account_id=..., region=..., strict=..., require_blobs=..., registry=..., registry_uris=..., api=..., access_control=..., call_log_limit=..., call_log_responses=...)``: configures the fixture
  (closest marker wins); the marker alone also activates the fixture.

Fail closed: while this plugin is loaded, an ECR or ECR Public call that no fake serves raises
``fake_ecr.NoActiveFake`` instead of going to AWS. A suite that wants AWS sets the ini option
``fake_ecr_allow_real_aws = true``; a single test takes ``@pytest.mark.fake_ecr_real_aws``.
* ini option ``fake_ecr_access_control = true``: access control on for every test's fixture
  (a marker's ``access_control=False`` turns it off for one test).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Optional

import pytest

import fake_ecr as _fake_ecr_package  # installs the botocore hook at pytest start-up
from fake_ecr import FakeECR, set_defaults
from fake_ecr.controller import active_fakes
from fake_ecr.core import interception
from fake_ecr.errors import FakeECRWarning

from . import shared_clients

if TYPE_CHECKING:  # the 'typing' extra; Any to mypy without it
    from types_boto3_ecr.client import ECRClient
    from types_boto3_ecr_public.client import ECRPublicClient

_MARKER = "fake_ecr"
_REAL_AWS_MARKER = "fake_ecr_real_aws"
_ALLOW_INI = "fake_ecr_allow_real_aws"
_OUTCOME_KEY = pytest.StashKey[bool]()
_BLOCKED_BEFORE_KEY = pytest.StashKey[bool]()
_STARTED_KEY = pytest.StashKey[list[FakeECR]]()
_DEFAULTS_BEFORE_KEY = pytest.StashKey[Optional[dict[str, Any]]]()


_INI_ACCESS_CONTROL = "fake_ecr_access_control"

# Suite-wide defaults for every fake (fixture, marker, decorator, context manager) of the run.
_DEFAULT_INIS = {
    "fake_ecr_account_id": ("account_id", "the account of every fake (default 123456789012)"),
    "fake_ecr_region": ("region", "the default Region of every fake (default us-east-1)"),
    "fake_ecr_strict": ("strict", "whether fakes fail on unsupported calls the code swallowed (true)"),
    "fake_ecr_require_blobs": ("require_blobs", "whether PutImage needs a manifest's layers (true)"),
    "fake_ecr_call_log_limit": ("call_log_limit", "how many recorded calls each fake keeps (1000; 0: all)"),
    "fake_ecr_call_log_responses": (
        "call_log_responses",
        "how many of the most recent recorded calls keep their response (20; 0: all)",
    ),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    for name, (_, help_text) in _DEFAULT_INIS.items():
        parser.addini(name, help_text, type="string", default=None)
    parser.addini(
        _ALLOW_INI,
        "let ECR calls that no fake serves go to AWS (default: they raise fake_ecr.NoActiveFake)",
        type="bool",
        default=False,
    )
    parser.addini(
        _INI_ACCESS_CONTROL,
        "fake_ecr: authorize every call as AWS does (access control on)",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_ecr(account_id='123456789012', region='us-east-1', strict=True, require_blobs=True, "
        "registry=False, registry_uris=False, api=False, serve_custom_endpoints=True, access_control=False, "
        "call_log_limit=1000, call_log_responses=20): "
        "activate fake_ecr for this test and configure it",
    )
    config.addinivalue_line(
        "markers",
        f"{_REAL_AWS_MARKER}: let this test's ECR calls that no fake serves go to AWS",
    )
    defaults: dict[str, Any] = {}
    for name, (option, _) in _DEFAULT_INIS.items():
        value = config.getini(name)
        if value not in (None, ""):
            text = str(value).strip()
            if option in ("strict", "require_blobs"):
                defaults[option] = text.lower() in ("1", "true", "yes", "on")
            elif option in ("call_log_limit", "call_log_responses"):
                if not text.isdigit():
                    raise pytest.UsageError(f"{name} must be a whole number, got {text!r}")
                defaults[option] = int(text)
            else:
                defaults[option] = text
    config.stash[_DEFAULTS_BEFORE_KEY] = set_defaults(**defaults) if defaults else None
    allow = bool(config.getini(_ALLOW_INI))
    config.stash[_BLOCKED_BEFORE_KEY] = interception.block_real_calls(not allow)


def pytest_unconfigure(config: pytest.Config) -> None:
    before = config.stash.get(_DEFAULTS_BEFORE_KEY, None)
    if before is not None:
        set_defaults(**before)
    if _BLOCKED_BEFORE_KEY in config.stash:
        interception.block_real_calls(config.stash[_BLOCKED_BEFORE_KEY])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    if item.get_closest_marker(_REAL_AWS_MARKER) is None:
        return (yield)
    previous = interception.block_real_calls(False)
    try:
        return (yield)
    finally:
        interception.block_real_calls(previous)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker alone activates the fixture, like time-machine's marker.
    for item in items:
        if item.get_closest_marker(_MARKER) is not None and isinstance(item, pytest.Function):
            if _MARKER not in item.fixturenames:
                item.fixturenames.insert(0, _MARKER)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    # The fakes the test body starts by hand; any still active after teardown is stopped there.
    before = active_fakes()
    try:
        return (yield)
    finally:
        item.stash[_STARTED_KEY] = [f for f in active_fakes() if all(f is not b for b in before)]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: Any) -> Any:
    try:
        return (yield)
    finally:
        for fake in item.stash.get(_STARTED_KEY, []):
            if fake.active:
                fake.stop()
                warnings.warn(
                    FakeECRWarning(
                        f"{item.nodeid} started {fake!r} and never stopped it; fake_ecr stopped it at the "
                        "end of the test. Use `with FakeECR():`, the fake_ecr fixture, or call stop()."
                    ),
                    stacklevel=1,
                )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_OUTCOME_KEY] = report.failed
    return report


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if request.config.getini(_INI_ACCESS_CONTROL):
        options["access_control"] = True
    # Farthest first, so the closest marker's keywords win.
    for marker in reversed(list(request.node.iter_markers(_MARKER))):
        if marker.args:
            raise pytest.UsageError("@pytest.mark.fake_ecr takes keyword arguments only")
        options.update(marker.kwargs)
    return options


@pytest.fixture
def fake_ecr(request: pytest.FixtureRequest) -> Iterator[FakeECR]:
    """An active fake_ecr with fresh state; fails the test at teardown if it made unsupported calls."""
    __tracebackhide__ = True
    fake = FakeECR(**_options(request)).start()
    try:
        yield fake
    finally:
        fake.stop()  # not ``with``: the fixture reports unsupported calls as a test failure below
    test_failed = request.node.stash.get(_OUTCOME_KEY, False)
    if fake.strict and fake.unsupported_calls and not test_failed:
        pytest.fail(
            fake.unsupported_report() + "\nThe code under test may have swallowed the UnsupportedOperation error. "
            "Use @pytest.mark.fake_ecr(strict=False) to allow such calls.",
            pytrace=False,
        )


@pytest.fixture
def ecr_client(fake_ecr: FakeECR) -> Iterator[ECRClient]:
    """A boto3 ``ecr`` client in the fixture's region, served by fake_ecr (built once per process;
    handlers a test registers on its events are removed when the test ends)."""
    yield from shared_clients.lend(fake_ecr, "ecr", fake_ecr.region)


@pytest.fixture
def ecr_public_client(fake_ecr: FakeECR) -> Iterator[ECRPublicClient]:
    """A boto3 ``ecr-public`` client (us-east-1, where ECR Public lives), served by fake_ecr."""
    yield from shared_clients.lend(fake_ecr, "ecr-public", "us-east-1")


@pytest.fixture
def ecr_registry(fake_ecr: FakeECR) -> Any:
    """The fake's OCI registry endpoint (started for the test): give ``.address`` to container tools."""
    return fake_ecr.registry_endpoint


@pytest.fixture(scope="module")
def fake_ecr_module() -> Iterator[FakeECR]:
    """An active fake shared by the tests of one module: seed it once, and give each test a clean
    copy with ``fake.snapshot()``/``fake.restore(...)`` or ``with fake.checkpoint():``."""
    with FakeECR() as fake:
        yield fake


@pytest.fixture(scope="session")
def fake_ecr_session() -> Iterator[FakeECR]:
    """An active fake shared by the whole test session (per xdist worker), like ``fake_ecr_module``."""
    with FakeECR() as fake:
        yield fake


@pytest.fixture
def ecr_endpoint_url(fake_ecr: FakeECR) -> str:
    """The URL of the fake's ECR and ECR Public APIs over HTTP, for subprocesses and other SDKs
    (``fake_ecr.subprocess_env()`` gives a subprocess everything it needs)."""
    return fake_ecr.endpoint_url


__all__ = [
    "fake_ecr",
    "fake_ecr_module",
    "fake_ecr_session",
    "ecr_client",
    "ecr_public_client",
    "ecr_registry",
    "ecr_endpoint_url",
    "_fake_ecr_package",
]
