"""bench/suite_bench.py keeps working: its modules generate, its pytest processes pass, its table prints.

Timings are not asserted: speed targets are checked by running the benchmark, not by unit tests.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_bench():
    spec = importlib.util.spec_from_file_location("suite_bench", ROOT / "bench" / "suite_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_generated_modules_are_valid_python():
    bench = _load_bench()
    for variant in bench.VARIANTS:
        compile(variant.source(3), f"test_{variant.name}.py", "exec")
        assert variant.source(3).count("def test_") == 3


@pytest.mark.slow
def test_tiny_run_prints_the_table(capsys):
    bench = _load_bench()
    output = bench.main(["--tests", "5", "--rounds", "1", "--no-moto"])
    assert output == capsys.readouterr().out.strip()
    for variant in bench.VARIANTS:
        if not variant.moto:
            assert f"| {variant.label} | 5 |" in output
    assert "| (f" not in output and "| (g" not in output  # moto left out
    assert "target: ecr_client + one call at most 2 ms" in output


@pytest.mark.slow
def test_profile_prints_the_growth_over_the_baseline(capsys):
    bench = _load_bench()
    output = bench.main(["--tests", "3", "--profile", "create", "--top", "5"])
    assert "less (a) empty test (baseline)" in output
    assert "-- by own time, per test --" in output and "-- by cumulative time, per test --" in output
