"""The examples of docs/registry.md run as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent / "docs" / "registry.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)


def test_the_doc_has_three_python_examples() -> None:
    assert len(_blocks()) == 3


def test_starting_example_runs() -> None:
    exec(compile(_blocks()[0], str(DOC), "exec"), {})


def test_oras_example_runs() -> None:
    pytest.importorskip("oras.client")
    exec(compile(_blocks()[1], str(DOC), "exec"), {})


def test_uri_mode_example_runs() -> None:
    exec(compile(_blocks()[2], str(DOC), "exec"), {})
