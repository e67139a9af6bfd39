"""pytest fixtures and marker for fake_ecr.

Installing fake_ecr is enough: pytest loads this plugin at start-up, which imports fake_ecr and
installs its botocore hook before any test module builds a client.

* ``fake_ecr``: an active :class:`fake_ecr.FakeECR` with fresh state for each test.
* ``ecr_client`` / ``ecr_public_client``: boto3 clients served by it.
* ``ecr_registry``: the fake's OCI registry endpoint on 127.0.0.1 (``.address``, ``.url``).
* ``ecr_endpoint_url``: the URL of the fake's ECR APIs over HTTP (AWS's JSON protocol).
* ``@pytest.mark.fake_ecr(account_id=..., region=..., strict=..., require_blobs=..., registry=..., registry_uris=..., api=..., access_control=...)``: configures the fixture
  (closest marker wins); the marker alone also activates the fixture.
* ini option ``fake_ecr_access_control = true``: access control on for every test's fixture
  (a marker's ``access_control=False`` turns it off for one test).
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest

import fake_ecr as _fake_ecr_package  # installs the botocore hook at pytest start-up
from fake_ecr import FakeECR

_MARKER = "fake_ecr"
_OUTCOME_KEY = pytest.StashKey[bool]()


_INI_ACCESS_CONTROL = "fake_ecr_access_control"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(_INI_ACCESS_CONTROL, "fake_ecr: authorize every call as AWS does (access control on)",
                  type="bool", default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_ecr(account_id='123456789012', region='us-east-1', strict=True, require_blobs=True, registry=False, registry_uris=False, api=False, access_control=False): "
        "activate fake_ecr for this test and configure it",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker alone activates the fixture, like time-machine's marker.
    for item in items:
        if item.get_closest_marker(_MARKER) is not None and isinstance(item, pytest.Function):
            if _MARKER not in item.fixturenames:
                item.fixturenames.insert(0, _MARKER)


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
    fake = FakeECR(**_options(request))
    with fake:
        yield fake
    test_failed = request.node.stash.get(_OUTCOME_KEY, False)
    if fake.strict and fake.unsupported_calls and not test_failed:
        pytest.fail(
            fake.unsupported_report()
            + "\nThe code under test may have swallowed the UnsupportedOperation error. "
            "Use @pytest.mark.fake_ecr(strict=False) to allow such calls.",
            pytrace=False,
        )


@pytest.fixture
def ecr_client(fake_ecr: FakeECR) -> Any:
    """A boto3 ``ecr`` client in the fixture's region, served by fake_ecr."""
    return fake_ecr.client("ecr")


@pytest.fixture
def ecr_public_client(fake_ecr: FakeECR) -> Any:
    """A boto3 ``ecr-public`` client (us-east-1, where ECR Public lives), served by fake_ecr."""
    return fake_ecr.client("ecr-public", region="us-east-1")


@pytest.fixture
def ecr_registry(fake_ecr: FakeECR) -> Any:
    """The fake's OCI registry endpoint (started for the test): give ``.address`` to container tools."""
    return fake_ecr.registry_endpoint


@pytest.fixture
def ecr_endpoint_url(fake_ecr: FakeECR) -> str:
    """The URL of the fake's ECR and ECR Public APIs over HTTP, for subprocesses and other SDKs
    (``fake_ecr.subprocess_env()`` gives a subprocess everything it needs)."""
    return fake_ecr.endpoint_url


__all__ = ["fake_ecr", "ecr_client", "ecr_public_client", "ecr_registry", "ecr_endpoint_url", "_fake_ecr_package"]
