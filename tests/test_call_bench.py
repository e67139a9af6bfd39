"""bench/bench.py's per-call verdict: fake / stubber is the median of ratios taken within rounds.

A machine whose speed drifts between rounds moves both sides of one round alike, so the ratio of
each round is what is kept; a ratio of two medians from different rounds would not be.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import bench as module

    monkeypatch.setattr(module, "ROWS", [])
    monkeypatch.setattr(module, "PAIRED_RATIOS", {})
    yield module
    sys.modules.pop("bench", None)


def test_per_call_ratios_are_the_median_of_ratios_within_rounds(bench):
    fake, stub = iter([2.0, 3.0, 30.0]), iter([1.0, 1.0, 20.0])  # a slow third round for both
    runners = {"fake_ecr": lambda: next(fake), "stubber": lambda: next(stub)}
    result = bench.paired_rounds(3, runners, "call: example")
    assert result == {"fake_ecr": 3.0, "stubber": 1.0}  # the medians, as every row reports them
    assert bench.PAIRED_RATIOS["call: example"] == 2.0  # rounds: 2x, 3x, 1.5x (medians alone: 3x)
    bench.ROWS.append(("call: example", result))
    assert "| 2.00x |" in bench.ratios_table()
    verdict = bench.per_call_verdict()
    assert "geometric mean of fake / stubber over 1 workloads 2.00x" in verdict
    assert "NOT met" in verdict


def test_fake_ecr_and_the_stubber_swap_places_every_other_round(bench):
    ran: list[str] = []
    runners = {name: (lambda name=name: ran.append(name) or 1.0) for name in ("fake_ecr", "stubber", "bare", "moto")}
    bench.paired_rounds(3, runners, "call: order")
    assert ran == ["fake_ecr", "stubber", "bare", "moto"] + ["stubber", "fake_ecr", "bare", "moto"] + [
        "fake_ecr",
        "stubber",
        "bare",
        "moto",
    ]


def test_memory_per_image_counts_the_manifest_text_the_mock_keeps(bench, monkeypatch):
    # fake_ecr keeps the caller's own manifest text: the bench makes each text in the measured
    # loop, so that what the mock keeps is counted whoever allocated it.
    monkeypatch.setattr(bench, "impls", lambda: [bench.Fake()])  # moto's calls are blocked here
    bench.bench_memory(50)
    rows = dict(bench.ROWS)
    for label in ("beyond manifest", "incl. call log", "once all are listed"):
        (result,) = (value for key, value in rows.items() if label in key)
        assert 0 < result["fake_ecr"] < 4096
