"""Shared fixtures for fake_ecr's own tests (the plugin's fixtures come from the entry point)."""

from __future__ import annotations

import os

import pytest

from fake_ecr import set_defaults

pytest_plugins = ["pytester"]

# No test may depend on real credentials or talk to AWS; make that explicit for every test.
for _name in [n for n in os.environ if n.startswith("AWS_") and n != "AWS_CA_BUNDLE"]:
    os.environ.pop(_name, None)

# Subprocesses (pytester's runpytest_subprocess) import this checkout, whatever is installed.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)


# Every response stays in the call log (the default keeps the last 20), so that the fidelity
# check below round-trips all of them; tests of the default window set it back themselves.
set_defaults(call_log_responses=0)


@pytest.fixture
def repo(ecr_client) -> str:
    ecr_client.create_repository(repositoryName="app")
    return "app"


@pytest.fixture(autouse=True)
def _every_response_is_botocore_exact(request):
    """After each test that used the fake_ecr fixture, round-trip every response it served."""
    yield
    fake = request.node.funcargs.get("fake_ecr") if hasattr(request.node, "funcargs") else None
    if fake is None:
        return
    from fidelity import check_response

    for call in fake.calls:
        if call.response is not None:
            check_response(call.service, call.operation, call.response)
