"""bench/instructions.py keeps working: it counts a workload's instructions under callgrind.

Counts are not asserted against targets (benchmarks check those); only that both sides were
counted and that a call costs something of the order botocore's client-side work costs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.skipif(
    sys.platform != "linux", reason="valgrind runs on Linux only (CI installs it from Debian in .ci/run)"
)
def test_instructions_bench_counts_both_sides():
    assert shutil.which("valgrind"), "valgrind is installed by .ci/run (apt-get install valgrind)"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "instructions.py"),
            "--calls",
            "5",
            "--only",
            "describe_repositories",
            "--cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    row = next(line for line in done.stdout.splitlines() if line.startswith("| call: describe_repositories"))
    fake, stub = (int(cell.strip().removesuffix(" k")) for cell in row.split("|")[2:4])
    assert 100 < stub < 10_000 and stub < fake < 10 * stub  # thousands of instructions per call
    fake_misses, stub_misses = (float(cell.strip().removesuffix(" k")) for cell in row.split("|")[5:7])
    assert 0 < stub_misses < stub and 0 < fake_misses < fake  # --cache: L1 misses, fewer than instructions
