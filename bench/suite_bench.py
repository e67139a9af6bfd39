"""What fake_ecr costs a test suite: generated test modules run as real pytest processes.

    python bench/suite_bench.py [--quick] [--tests 1000] [--moto-tests 100] [--rounds 3]
    python bench/suite_bench.py --profile create       # where one variant's per-test cost goes

Per-call benchmarks (bench/bench.py) leave out what a suite pays around each call: fixtures,
client set-up, pytest's own per-test work. Here every variant is a module of N generated tests,
run by its own ``pytest`` process, and its per-test cost is the child's CPU time (user + sys)
less that of a module of N empty tests, divided by N. Variants run interleaved round by round
(median of the rounds), so ratios hold on a noisy machine. fake_ecr's plugin is loaded in every
process, the baseline's included, so the plugin's import is a fixed cost that cancels out.
moto costs about a hundred times more per test, so its variants run fewer tests against their own
empty baseline (a module that imports moto).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import os
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent

# A small Docker schema 2 manifest; the typical variant pushes it with require_blobs=False.
MANIFEST = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", '
    '"config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, '
    '"digest": "sha256:' + "a" * 64 + '"}, "layers": [{"mediaType": '
    '"application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2048, "digest": "sha256:' + "b" * 64 + '"}]}'
)


@dataclass(frozen=True)
class Variant:
    name: str
    label: str
    header: str  # module-level code
    signature: str  # the test function's parameters
    body: str  # the test function's body (indented by the generator)
    moto: bool = False  # runs --moto-tests tests, against the moto baseline
    decorator: str = ""

    def source(self, tests: int) -> str:
        body = textwrap.indent(textwrap.dedent(self.body).strip("\n"), "    ")
        head = f"{self.decorator}\n" if self.decorator else ""
        functions = "\n\n".join(f"{head}def test_{i}({self.signature}):\n{body}\n" for i in range(tests))
        return f"{textwrap.dedent(self.header).strip()}\n\n\n{functions}"


VARIANTS = [
    Variant("empty", "(a) empty test (baseline)", "", "", "pass"),
    Variant("fixture", "(b) fake_ecr fixture", "", "fake_ecr", "pass"),
    Variant("client", "(c) ecr_client fixture, no call", "", "ecr_client", "pass"),
    Variant(
        "create",
        "(d) ecr_client + create_repository",
        "",
        "ecr_client",
        'ecr_client.create_repository(repositoryName="app")',
    ),
    Variant(
        "typical",
        "(e) ecr_client + create, put_image, describe_images",
        f"""
        import pytest

        pytestmark = pytest.mark.fake_ecr(require_blobs=False)
        MANIFEST = {MANIFEST!r}
        """,
        "ecr_client",
        """
        ecr_client.create_repository(repositoryName="app")
        ecr_client.put_image(repositoryName="app", imageManifest=MANIFEST, imageTag="v1")
        assert ecr_client.describe_images(repositoryName="app")["imageDetails"]
        """,
    ),
    Variant(
        "moto-empty",
        "(f0) empty test, moto imported (moto baseline)",
        "import boto3\nfrom moto import mock_aws",
        "",
        "pass",
        moto=True,
    ),
    Variant(
        "moto",
        "(f) moto: with mock_aws(), client, create_repository",
        "import boto3\nfrom moto import mock_aws",
        "",
        """
        with mock_aws():
            client = boto3.client("ecr", region_name="us-east-1")
            client.create_repository(repositoryName="app")
        """,
        moto=True,
    ),
    Variant(
        "moto-module",
        "(g) moto: module-level client, @mock_aws, create_repository",
        'import boto3\nfrom moto import mock_aws\n\nclient = boto3.client("ecr", region_name="us-east-1")',
        "",
        'client.create_repository(repositoryName="app")',
        moto=True,
        decorator="@mock_aws",
    ),
]
BY_NAME = {v.name: v for v in VARIANTS}


@dataclass
class Sample:
    cpu: float  # seconds of user + sys CPU of the pytest process
    wall: float


class Suite:
    """The generated modules in a temporary directory, and how to run pytest on each."""

    def __init__(self, directory: Path, tests: int, moto_tests: int, variants: list[Variant]) -> None:
        self.directory = directory
        self.variants = variants
        self.counts = {v.name: (moto_tests if v.moto else tests) for v in variants}
        (directory / "pytest.ini").write_text("[pytest]\n")  # the rootdir: no project ini applies
        for v in variants:
            (directory / f"test_{v.name.replace('-', '_')}.py").write_text(v.source(self.counts[v.name]))
        # Kept between runs (bytecode is checked against its source): compiling is not what is measured.
        self.env = child_environment(Path(tempfile.gettempdir()) / "fake_ecr_bench_pycache")

    def command(self, variant: Variant, *extra: str) -> list[str]:
        args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *plugin_args(), *extra]
        if variant.moto:
            # moto answers at before-send; with no fake active, the plugin must let the call through.
            args += ["-o", "fake_ecr_allow_real_aws=true"]
        return [*args, f"test_{variant.name.replace('-', '_')}.py"]

    def run(self, variant: Variant, *extra: str) -> Sample:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            self.command(variant, *extra), cwd=self.directory, env=self.env, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(
                f"pytest failed on variant {variant.name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return Sample(cpu, wall)

    def preflight(self) -> str:
        """Check that the children load this tree's fake_ecr and plugin; return where they are."""
        check = self.directory / "preflight" / "test_preflight.py"
        check.parent.mkdir()
        check.write_text(
            textwrap.dedent(
                """
                import sys


                def test_plugin_is_loaded(request):
                    import conftest_plugin.plugin as plugin
                    import fake_ecr

                    assert request.config.pluginmanager.is_registered(plugin), "fake_ecr's plugin is not loaded"
                    print("\\nLOADED", fake_ecr.__file__, plugin.__file__)
                """
            )
        )
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-s", *plugin_args(), str(check)],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
        )
        loaded = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
        if done.returncode != 0 or not loaded:
            raise RuntimeError(f"preflight failed:\n{done.stdout}\n{done.stderr}")
        _, package, plugin = loaded[0].split()
        for path in (package, plugin):
            if not Path(path).resolve().is_relative_to(ROOT):
                raise RuntimeError(f"the children import {path}, not this tree's ({ROOT})")
        return f"fake_ecr from {Path(package).parent}, plugin from {plugin}"

    def warm_up(self) -> None:
        """Write the bytecode of everything the children import, generated modules included."""
        for v in self.variants:
            subprocess.run(self.command(v, "--collect-only"), cwd=self.directory, env=self.env, capture_output=True)


def plugin_args() -> list[str]:
    """Load the plugin by module name when no installed distribution declares its entry point."""
    for entry in importlib.metadata.entry_points(group="pytest11"):
        if entry.value == "conftest_plugin.plugin":
            return []
    return ["-p", "conftest_plugin.plugin"]


def child_environment(pycache: Path) -> dict[str, str]:
    """This tree first on the path; bytecode allowed, as users run (into a private cache directory)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith(("PYTEST_", "COV_CORE_"))
    }
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    # moto's module-level client is built before any mock sets credentials.
    env.setdefault("AWS_ACCESS_KEY_ID", "testing")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    return env


@dataclass
class Row:
    variant: Variant
    tests: int
    process_cpu: float  # median seconds of the whole process
    per_test_cpu: Optional[float]  # median seconds per test beyond the baseline; None for baselines
    per_test_wall: Optional[float]


def measure(suite: Suite, rounds: int, progress: bool = True) -> list[Row]:
    samples: dict[str, list[Sample]] = {v.name: [] for v in suite.variants}
    for r in range(rounds):
        for v in suite.variants:
            samples[v.name].append(suite.run(v))
        if progress:
            print(f"round {r + 1}/{rounds} done", file=sys.stderr, flush=True)
    rows = []
    for v in suite.variants:
        base = "moto-empty" if v.moto else "empty"
        n = suite.counts[v.name]
        own = samples[v.name]
        cpu = wall = None
        if v.name != base and base in samples:
            # Each round against the baseline of the same round, then the median.
            cpu = statistics.median((s.cpu - b.cpu) / n for s, b in zip(own, samples[base]))
            wall = statistics.median((s.wall - b.wall) / n for s, b in zip(own, samples[base]))
        rows.append(Row(v, n, statistics.median(s.cpu for s in own), cpu, wall))
    return rows


def ms(seconds: Optional[float]) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.2f}"


def table(rows: list[Row]) -> str:
    moto = next((r.per_test_cpu for r in rows if r.variant.name == "moto"), None)
    lines = [
        "| variant | tests | process CPU (s) | per-test CPU (ms) | per-test wall (ms) | moto (f) / this |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = "-"
        if moto and r.per_test_cpu and r.per_test_cpu > 0 and not r.variant.moto:
            ratio = f"{moto / r.per_test_cpu:.0f}x"
        lines.append(
            f"| {r.variant.label} | {r.tests} | {r.process_cpu:.2f} | {ms(r.per_test_cpu)} "
            f"| {ms(r.per_test_wall)} | {ratio} |"
        )
    return "\n".join(lines)


TARGET_MS = 2.0
TARGET_RATIO = 100.0


def verdict(rows: list[Row]) -> str:
    by = {r.variant.name: r for r in rows}
    create = by.get("create")
    if create is None or create.per_test_cpu is None:
        return "target: not measured (variant 'create' not run)"
    cost = create.per_test_cpu * 1e3
    line = (
        f"target: ecr_client + one call at most {TARGET_MS:g} ms of CPU per test beyond an empty test: "
        f"{'met' if cost <= TARGET_MS else 'NOT met'} ({cost:.2f} ms)"
    )
    moto = by.get("moto")
    if moto is not None and moto.per_test_cpu:
        ratio = moto.per_test_cpu / create.per_test_cpu if create.per_test_cpu > 0 else float("inf")
        line += f"; {ratio:.0f}x cheaper than moto's (target over {TARGET_RATIO:g}x: {'met' if ratio > TARGET_RATIO else 'NOT met'})"
    return line


def _profiled(suite: Suite, variant: Variant) -> pstats.Stats:
    out = suite.directory / f"{variant.name}.prof"
    command = suite.command(variant)
    command[1:3] = ["-m", "cProfile", "-o", str(out), "-m", "pytest"]
    done = subprocess.run(command, cwd=suite.directory, env=suite.env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pytest failed under cProfile:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return pstats.Stats(str(out), stream=io.StringIO())


def _where(key: tuple[str, int, str]) -> str:
    path, line, name = key
    return f"{name} ({Path(path).name}:{line})" if line else name


def profile(suite: Suite, variant: Variant, top: int) -> str:
    """One variant's pytest process under cProfile, against its baseline's: per test, the functions
    whose own and cumulative time grew most (cProfile inflates small calls; compare, don't add)."""
    base = BY_NAME["moto-empty" if variant.moto else "empty"]
    n = suite.counts[variant.name]
    mine = _profiled(suite, variant).stats  # type: ignore[attr-defined]
    theirs = _profiled(suite, base).stats if base is not variant else {}  # type: ignore[attr-defined]
    total = sum(v[2] for v in mine.values()) - sum(v[2] for v in theirs.values())
    lines = [
        f"cProfile of {variant.label}, {n} tests, less {base.label}: {total / n * 1e3:.2f} ms per test (profiled)",
    ]
    for index, title in ((2, "own time"), (3, "cumulative time")):
        grown = sorted(
            (
                (v[index] - theirs.get(k, (0, 0, 0.0, 0.0))[index], v[1] - theirs.get(k, (0, 0))[1], k)
                for k, v in mine.items()
            ),
            reverse=True,
        )[:top]
        lines.append(f"\n-- by {title}, per test --\n{'µs':>9} {'calls':>7}  function")
        lines += [f"{delta / n * 1e6:9.1f} {calls / n:7.1f}  {_where(key)}" for delta, calls, key in grown]
    return "\n".join(lines)


def moto_available() -> bool:
    try:
        importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def main(argv: Optional[list[str]] = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tests", type=int, default=None, help="tests per fake_ecr variant (default 1000)")
    parser.add_argument("--moto-tests", type=int, default=None, help="tests per moto variant (default 100)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds, interleaved; the median is kept (3)")
    parser.add_argument("--quick", action="store_true", help="200 tests (moto 50), 2 rounds")
    parser.add_argument("--no-moto", action="store_true", help="leave moto out")
    parser.add_argument("--variants", help="comma-separated variant names to run (baselines are added)")
    parser.add_argument("--profile", metavar="VARIANT", choices=list(BY_NAME), help="profile one variant instead")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    parser.add_argument("--keep", action="store_true", help="keep the generated directory")
    args = parser.parse_args(argv)
    tests = args.tests or (200 if args.quick else 1000)
    moto_tests = args.moto_tests or (50 if args.quick else 100)
    rounds = args.rounds or (2 if args.quick else 3)

    with_moto = not args.no_moto and moto_available()
    if args.profile:
        chosen = [BY_NAME[args.profile]]
    elif args.variants:
        names = [n.strip() for n in args.variants.split(",") if n.strip()]
        unknown = [n for n in names if n not in BY_NAME]
        if unknown:
            parser.error(f"unknown variants {unknown}; known: {', '.join(BY_NAME)}")
        if any(BY_NAME[n].moto for n in names):
            names.insert(0, "moto-empty")
        if any(not BY_NAME[n].moto for n in names):
            names.insert(0, "empty")
        chosen = [v for v in VARIANTS if v.name in names]
    else:
        chosen = [v for v in VARIANTS if with_moto or not v.moto]

    directory = Path(tempfile.mkdtemp(prefix="fake_ecr_suite_bench_"))
    try:
        suite = Suite(directory, tests, moto_tests, chosen)
        print(suite.preflight(), file=sys.stderr, flush=True)
        suite.warm_up()
        if args.profile:
            output = profile(suite, chosen[0], args.top)
        else:
            rows = measure(suite, rounds)
            output = (
                f"{tests} tests per fake_ecr variant, {moto_tests} per moto variant, median of {rounds} rounds; "
                "per test: beyond an empty test (moto: beyond an empty test in a module that imports moto)\n\n"
                f"{table(rows)}\n\n{verdict(rows)}"
            )
        print(output, flush=True)
        return output
    finally:
        if args.keep:
            print(f"generated modules kept in {directory}", file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
