"""The package is fully annotated: mypy --strict passes on it, on a user's test module, and the
public API ships py.typed so an installed (editable) fake_ecr is visible to mypy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_passes():
    pytest.importorskip("mypy", reason="mypy is not installed (the 'test' extra installs it)")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--ignore-missing-imports",
            "--no-incremental",
            "fake_ecr",
            "conftest_plugin",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_py_typed_is_shipped():
    assert (ROOT / "fake_ecr" / "py.typed").exists()


SAMPLE = ROOT / "tests" / "typing_sample"


def _mypy_sample(*files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(SAMPLE / "mypy.ini"),
            "--no-incremental",
            *(str(SAMPLE / f) for f in files),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_a_users_test_module_passes_mypy_strict():
    pytest.importorskip("mypy", reason="mypy is not installed (the 'test' extra installs it)")
    result = _mypy_sample("user_tests.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_clients_and_fixtures_have_boto3_client_types_with_the_typing_extra():
    pytest.importorskip("mypy", reason="mypy is not installed (the 'test' extra installs it)")
    pytest.importorskip("types_boto3_ecr", reason="the 'typing' extra is not installed")
    pytest.importorskip("types_boto3_ecr_public", reason="the 'typing' extra is not installed")
    result = _mypy_sample("typed_clients.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_editable_install_is_visible_to_mypy(tmp_path):
    """README's install (editable_mode=compat) puts the package where mypy looks (PEP 561)."""
    pytest.importorskip("mypy", reason="mypy is not installed (the 'test' extra installs it)")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("fake_ecr", "conftest_plugin"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "-e",
            str(source),
            "--config-settings",
            "editable_mode=compat",
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    user = tmp_path / "project"
    user.mkdir()
    (user / "check.py").write_text(
        "from fake_ecr import FakeECR\n\n\ndef region(fake: FakeECR) -> str:\n    return fake.region\n"
    )
    result = subprocess.run(
        [str(python), "-m", "mypy", "--strict", "--no-incremental", "check.py"],
        cwd=user,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
