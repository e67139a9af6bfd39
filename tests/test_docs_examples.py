"""Every ```python block of README.md and docs/*.md runs in the test suite.

Rules for the examples (one test per block, with the id ``page.md:LINE`` of its opening fence):

* The blocks of a page run in order in one shared namespace, so a block may use what an earlier
  block of the same page defined; every page starts from a fresh namespace. Each test runs the
  page's earlier blocks again before its own, so the tests stay independent (and xdist-safe).
* A block that defines pytest tests (``def test_*`` or ``class Test*`` at top level) is written to
  a test module, after the page's earlier blocks that define no tests, and run with ``pytester``
  and fake_ecr's plugin (no other plugin): all of its tests must pass and at least one must run.
  Such blocks can use the fixtures ``fake_ecr``, ``ecr_client``, ``ecr_public_client`` and
  ``@pytest.mark.fake_ecr``; what else they use they import or define themselves.
* A block that cannot run, such as an excerpt of fake_ecr's own source, has the line
  ``<!-- fragment -->`` (or ``<!-- fragment: why -->``) right before its fence. Fragments are only
  compiled. Find them with ``grep -rn '<!-- fragment' README.md docs``; prefer a runnable example.
* A block that needs packages the main environment lacks (aiobotocore, pytest-asyncio, anyio)
  has the line ``<!-- needs: module another_module -->`` right before its fence. It runs where
  those modules import (``tests/aio`` runs them in CI's aiobotocore environment) and is skipped
  elsewhere; pytest plugins among them (pytest_asyncio, anyio) are loaded for its tests. Later
  blocks of the page do not see what it defines.
* No fake may be left active at the end of a page (``fake_ecr.current()`` is None).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import pytest

import fake_ecr

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FRAGMENT = re.compile(r"<!-- fragment(: [^>]*)? -->")
NEEDS = re.compile(r"<!-- needs: ([\w. ]+) -->")
# Modules that are pytest plugins, and the plugin module to load for them.
PLUGINS = {"pytest_asyncio": "pytest_asyncio.plugin", "anyio": "anyio.pytest_plugin"}


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence, 1-based
    source: str
    fragment: bool
    needs: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def code(self) -> CodeType:
        # Padding keeps tracebacks pointing at the page's own line numbers.
        return compile("\n" * self.line + self.source, str(self.page), "exec")

    @property
    def defines_tests(self) -> bool:
        return any(
            (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"))
            or (isinstance(node, ast.ClassDef) and node.name.startswith("Test"))
            for node in ast.parse(self.source).body
        )


def python_blocks(page: Path) -> list[Block]:
    lines = page.read_text().splitlines()
    blocks, start = [], None
    for number, line in enumerate(lines, 1):
        if start is None and line == "```python":
            start = number
        elif start is not None and line == "```":
            fragment = start > 1 and FRAGMENT.fullmatch(lines[start - 2]) is not None
            needs = NEEDS.fullmatch(lines[start - 2]) if start > 1 else None
            blocks.append(
                Block(
                    page,
                    start,
                    "\n".join(lines[start : number - 1]) + "\n",
                    fragment,
                    tuple(needs.group(1).split()) if needs else (),
                )
            )
            start = None
    assert start is None, f"{page.name}:{start}: unclosed ```python block"
    return blocks


def _import_all_of_fake_ecr() -> None:
    """pytester's in-process runs forget the modules they imported; a second copy of fake_ecr's
    hook module would install a second botocore hook, so import every module up front."""
    # fake_ecr.strategies needs hypothesis, which the aiobotocore environment does not install.
    optional = {"fake_ecr.strategies": "hypothesis"}
    for module in pkgutil.walk_packages(fake_ecr.__path__, "fake_ecr."):
        needs = optional.get(module.name)
        if module.name == "fake_ecr.__main__" or (needs and importlib.util.find_spec(needs) is None):
            continue
        importlib.import_module(module.name)


_import_all_of_fake_ecr()

# Blocks that fail today, each with the reason. Strict: once fixed, the XPASS says to drop the entry.
KNOWN_BROKEN: dict[str, str] = {}
BLOCKS = [
    pytest.param(
        block,
        id=block.id,
        marks=[pytest.mark.xfail(reason=KNOWN_BROKEN[block.id], strict=True)] if block.id in KNOWN_BROKEN else [],
    )
    for page in PAGES
    for block in python_blocks(page)
]


def _stop_leftover_fakes() -> list[fake_ecr.FakeECR]:
    leftovers = []
    while (fake := fake_ecr.current()) is not None:
        leftovers.append(fake)
        fake.stop()
    return leftovers


def run_block(block: Block, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run one block as the module docstring describes; AssertionError (or the block's own) if it fails."""
    code = block.code  # a fragment must at least compile
    if block.fragment:
        return
    for module in block.needs:
        pytest.importorskip(module, reason=f"{block.id} needs {module}: CI runs it in tests/aio's environment")
    page_blocks = [b for b in python_blocks(block.page) if not b.fragment]
    earlier = [b for b in page_blocks[: page_blocks.index(block)] if not b.needs]
    try:
        if block.defines_tests:
            module = "".join(b.source + "\n" for b in earlier if not b.defines_tests) + block.source
            pytester.makepyfile(**{f"test_{block.page.stem}_{block.line}".replace("-", "_"): module})
            # Only fake_ecr's plugin: other installed plugins would be imported afresh for every run.
            monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
            plugins = [arg for module in block.needs if module in PLUGINS for arg in ("-p", PLUGINS[module])]
            result = pytester.runpytest("-p", "conftest_plugin.plugin", "-p", "no:cacheprovider", *plugins)
            outcomes = result.parseoutcomes()
            assert outcomes.get("passed", 0) >= 1 and set(outcomes) <= {"passed", "warnings"}, (
                f"{block.id}: its tests did not all pass: {outcomes}"
            )
        else:
            namespace: dict[str, object] = {"__name__": f"docs_{block.page.stem}"}
            for earlier_block in earlier:
                exec(earlier_block.code, namespace)
            exec(code, namespace)
    finally:
        leftovers = _stop_leftover_fakes()
    if block == page_blocks[-1]:
        assert not leftovers, f"{block.page.name} leaves a fake active at its end: {leftovers}"


@pytest.mark.parametrize("block", BLOCKS)
def test_docs_example_runs(block: Block, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    run_block(block, pytester, monkeypatch)


def _page(tmp_path: Path, text: str) -> list[Block]:
    page = tmp_path / "page.md"
    page.write_text(text)
    return python_blocks(page)


def test_the_runner_reports_a_failing_test_of_a_block(tmp_path, pytester, monkeypatch):
    [block] = _page(tmp_path, "```python\ndef test_broken(ecr_client):\n    assert False\n```\n")
    with pytest.raises(AssertionError, match="did not all pass"):
        run_block(block, pytester, monkeypatch)


def test_the_runner_needs_a_test_block_to_run_a_test(tmp_path, pytester, monkeypatch):
    [block] = _page(tmp_path, "```python\nimport pytest\n\ndef test_later():\n    pytest.skip()\n```\n")
    with pytest.raises(AssertionError, match="did not all pass"):
        run_block(block, pytester, monkeypatch)


def test_a_page_shares_one_namespace_and_must_not_leave_a_fake_active(tmp_path, pytester, monkeypatch):
    first, second = _page(
        tmp_path,
        (
            "```python\nfrom fake_ecr import FakeECR\nfake = FakeECR().start()\n```\n\n"
            "```python\nassert fake.active\n```\n"
        ),
    )
    run_block(first, pytester, monkeypatch)  # not the page's end yet
    with pytest.raises(AssertionError, match="leaves a fake active"):
        run_block(second, pytester, monkeypatch)
    assert fake_ecr.current() is None


def test_fragments_are_compiled_but_not_run(tmp_path, pytester, monkeypatch):
    runs, broken = _page(
        tmp_path,
        (
            "<!-- fragment -->\n```python\nraise SystemExit\n```\n\n"
            "<!-- fragment: not Python -->\n```python\n{1, ...: 2}\n```\n"
        ),
    )
    assert runs.fragment and broken.fragment
    run_block(runs, pytester, monkeypatch)
    with pytest.raises(SyntaxError):
        run_block(broken, pytester, monkeypatch)


def test_fragment_markers_stand_before_python_blocks():
    for page in PAGES:
        lines = page.read_text().splitlines()
        for number, line in enumerate(lines, 1):
            if line.startswith("<!-- fragment"):
                assert FRAGMENT.fullmatch(line) and lines[number : number + 1] == ["```python"], (
                    f"{page.name}:{number}: a fragment marker goes on the line right before ```python"
                )


def test_readme_quickstart_runs():
    block = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)[0]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    fake = namespace["fake"]
    assert isinstance(fake, fake_ecr.FakeECR) and not fake.active
    assert fake.repository("team/app").name == "team/app"


def test_every_docs_page_is_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert f"docs/{page.name}" in readme, f"README does not link docs/{page.name}"
