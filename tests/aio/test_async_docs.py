"""The docs' async examples that need aiobotocore, pytest-asyncio or anyio run here, in CI's aio environment."""

from __future__ import annotations

import pytest

pytest.importorskip(
    "aiobotocore",
    reason="aiobotocore pins its own botocore: CI runs tests/aio in its own environment (.ci/run)",
)

from test_docs_examples import PAGES, python_blocks, run_block  # noqa: E402

ASYNC_BLOCKS = [pytest.param(block, id=block.id) for page in PAGES for block in python_blocks(page) if block.needs]


def test_there_are_async_examples():
    assert ASYNC_BLOCKS


@pytest.mark.parametrize("block", ASYNC_BLOCKS)
def test_async_docs_example_runs(block, pytester, monkeypatch):
    run_block(block, pytester, monkeypatch)
