"""The package's structure holds: imports point one way, with no cycle, and features are wired eagerly.

Imports are read from the source (``ast``), counting those under ``if TYPE_CHECKING:`` and inside
functions, so a cycle cannot hide behind a lazy import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

# Internal on purpose: the subject of these tests is the package's structure and wiring.
from fake_ecr.core import hooks
from fake_ecr.features import FEATURES, wiring

PACKAGE = Path(__file__).resolve().parent.parent / "fake_ecr"
ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The fake_ecr modules ``name`` imports (resolving ``from package import module``)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("fake_ecr"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("fake_ecr"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {module for module in found if module in known and module != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for child in graph[node]:
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "fake_ecr"


# What each layer may import (besides itself); everything else is a wrong-way arrow.
ALLOWED = {
    "errors": set(),
    "aws": {"errors"},
    "model": {"aws", "errors"},
    "core": {"model", "aws", "errors"},
    "features": {"core", "model", "aws", "errors", "image_builder"},
    "image_builder": {"model", "aws", "errors"},
    "endpoints": {"features", "core", "model", "aws", "errors"},
    "strategies": {"features", "core", "model", "aws", "errors", "image_builder"},
}


def test_no_import_cycle_even_counting_type_checking_imports():
    assert _cycles(_graph()) == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_imports_point_one_way(layer):
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if _layer(module) == layer
        for target in targets
        if _layer(target) != layer and _layer(target) not in ALLOWED[layer]
    )
    assert wrong == []


def test_features_do_not_import_each_others_private_names():
    private = re.compile(r"from fake_ecr\.features\.(\w+)\.\w+ import ([^\n]*)")
    offenders = []
    for path in (PACKAGE / "features").rglob("*.py"):
        own = path.relative_to(PACKAGE / "features").parts[0]
        for feature, names in private.findall(path.read_text()):
            if feature != own and any(n.strip().startswith("_") for n in names.strip("()").split(",")):
                offenders.append(f"{path.name}: {names}")
    assert offenders == []


def test_handler_modules_are_imported_only_by_their_feature_declaration():
    """Rules live in plain modules; a handler module is an entry point, not a library."""
    offenders = []
    for module, targets in _graph().items():
        for target in targets:
            if target.rsplit(".", 1)[-1].endswith("handlers") and not module.endswith(".feature"):
                offenders.append(f"{module} -> {target}")
    assert sorted(offenders) == []


def test_every_feature_package_declares_its_feature_and_is_listed():
    packages = sorted(p.name for p in (PACKAGE / "features").iterdir() if (p / "__init__.py").exists())
    assert sorted(f.name for f in FEATURES) == packages


def test_every_hook_subscriber_is_listed_in_feature_order():
    table = wiring().table()
    assert {row[0] for row in table} <= {hook.name for hook in hooks.ALL}
    for hook in hooks.ALL:
        subscribers = wiring().subscribers(hook)
        rows = [row for row in table if row[0] == hook.name]
        assert [row[3] for row in rows] == [f"{f.__module__}.{f.__qualname__}" for f in subscribers]


def test_architecture_doc_shows_the_hook_table_generated_from_the_code():
    from fake_ecr.reports import hook_table_markdown

    doc = (ROOT / "docs" / "architecture.md").read_text()
    assert hook_table_markdown() in doc, "regenerate with: python -m fake_ecr hooks --markdown"


def test_two_features_serving_one_operation_are_refused():
    from fake_ecr.core.operations import OperationTable
    from fake_ecr.core.wiring import Feature, Wiring

    first, second = OperationTable(), OperationTable()
    first.serves("ecr", "DescribeRegistry")(lambda call, params: {})
    second.serves("ecr", "DescribeRegistry")(lambda call, params: {})
    with pytest.raises(RuntimeError, match="served by both one and two"):
        Wiring([Feature("one", "", operations=[first]), Feature("two", "", operations=[second])])


def test_a_scoped_subscriber_runs_only_for_the_calls_it_names(fake_ecr, ecr_client):
    from fake_ecr.core.wiring import Feature, Wiring, on

    heard = []

    def every_lookup(call, registry, name, params):
        heard.append(("every", call.operation))

    def pulls_only(call, registry, name, params):
        heard.append(("pulls", call.operation))

    listener = Feature(
        "listener",
        "hears repository lookups",
        subscriptions=[
            on(hooks.BEFORE_REPOSITORY_LOOKUP, every_lookup),
            on(hooks.BEFORE_REPOSITORY_LOOKUP, pulls_only, services=["ecr"], operations=["BatchGetImage"]),
        ],
    )
    ecr_client.create_repository(repositoryName="app")
    ecr_client.list_images(repositoryName="app")  # its route is worked out before the new wiring
    fake_ecr.server.wiring = Wiring(FEATURES + (listener,))
    ecr_client.list_images(repositoryName="app")
    ecr_client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert heard == [("every", "ListImages"), ("every", "BatchGetImage"), ("pulls", "BatchGetImage")]


def test_each_call_runs_the_subscribers_that_concern_it_in_feature_order():
    from fake_ecr.core.wiring import Feature, Wiring, on

    def first(*args):
        return None

    def second(*args):
        return None

    def third(*args):
        return None

    wired = Wiring(
        [
            Feature("a", "", subscriptions=[on(hooks.IMAGE_PUSHED, first, services=["ecr-public"])]),
            Feature("b", "", subscriptions=[on(hooks.IMAGE_PUSHED, second)]),
            Feature("c", "", subscriptions=[on(hooks.IMAGE_PUSHED, third, operations=["PutImage"])]),
        ]
    )
    assert wired.hooks_for("ecr-public", "PutImage") == {hooks.IMAGE_PUSHED: (first, second, third)}
    assert wired.hooks_for("ecr", "PutImage") == {hooks.IMAGE_PUSHED: (second, third)}
    assert wired.hooks_for("ecr", "ReplicateImage") == {hooks.IMAGE_PUSHED: (second,)}
    assert wired.hooks_for("ecr", "PutImage") is wired.hooks_for("ecr", "PutImage")  # made once
    assert wired.subscribers(hooks.IMAGE_PUSHED) == (first, second, third)  # every subscriber
    assert [row[4] for row in wired.table()] == ["ecr-public", "any call", "PutImage"]
