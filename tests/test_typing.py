"""The package is fully annotated: mypy --strict passes on it (the public API ships py.typed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_strict_passes():
    pytest.importorskip("mypy", reason="mypy is not installed (the 'test' extra installs it)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--ignore-missing-imports", "--no-incremental",
         "fake_ecr", "conftest_plugin"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_py_typed_is_shipped():
    assert (ROOT / "fake_ecr" / "py.typed").exists()
