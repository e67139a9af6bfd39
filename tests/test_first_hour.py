"""The README's first hour holds: a virtual environment, the install, the quick subset, and the
declared dependency floors are the versions the suite runs on."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _floor(requirement: str) -> str:
    found = re.fullmatch(r"[\w-]+>=([\d.]+)", requirement)
    assert found, f"{requirement!r} should be a plain 'name>=version' floor"
    return found.group(1)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_the_readme_starts_in_a_virtual_environment():
    assert "python3 -m venv .venv && . .venv/bin/activate" in README


def test_every_install_command_is_visible_to_mypy_and_ci_installs_what_the_readme_says():
    installs = re.findall(r"python -m pip install -e [^\n&]*", README)
    assert installs and all("--config-settings editable_mode=compat" in i for i in installs), installs
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pip install -e '.[test,typing]' --config-settings editable_mode=compat" in ci
    assert "python -m pip install -e '.[test,typing]' --config-settings editable_mode=compat" in README


@pytest.mark.parametrize("package", ["boto3", "botocore"])
def test_the_declared_floor_is_the_tested_version(package):
    requirement = next(r for r in PYPROJECT["project"]["dependencies"] if r.startswith(package + ">="))
    floor = _floor(requirement)
    assert f"`{package}>={floor}`" in README, "README's 'Tested versions' names the floor"
    assert _version(metadata.version(package)) >= _version(floor)


def test_the_quick_subset_is_documented_and_the_slow_marker_registered():
    assert 'python -m pytest -n auto -m "not slow"' in README
    markers = PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("slow:") for m in markers)


def test_the_slowest_modules_are_marked_slow():
    for name in (
        "test_fuzz_operations",
        "test_stateful",
        "test_lifecycle_properties",
        "test_strategies",
        "test_cli_walkthrough",
        "test_http_api",
        "test_typing",
    ):
        assert "pytestmark = pytest.mark.slow" in (ROOT / "tests" / f"{name}.py").read_text(), name


def test_the_test_extra_runs_the_migration_guide_and_the_typing_extra_types_the_clients():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(r.startswith("moto") for r in extras["test"])
    assert any(r.startswith("hypothesis") for r in extras["test"])
    assert {"types-boto3-ecr", "types-boto3-ecr-public"} <= {r.split(">=")[0] for r in extras["typing"]}
