"""The code keeps the project's lint rules and format (ruff, configured in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    if shutil.which("ruff") is None:
        pytest.importorskip("ruff", reason="ruff is not installed (the 'test' extra installs it)")
    return [sys.executable, "-m", "ruff"]


def test_ruff_lint_passes():
    done = subprocess.run([*_ruff(), "check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_formatted():
    done = subprocess.run([*_ruff(), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
