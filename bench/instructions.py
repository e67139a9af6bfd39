"""Instructions per call, fake_ecr against botocore's Stubber, counted by valgrind (callgrind).

    apt-get install valgrind && python bench/instructions.py [--calls 200]

Timings on a shared machine swing by a third from run to run; instruction counts do not. Each
measurement is a separate interpreter under callgrind with instrumentation off until the timed
loop starts (``callgrind_control -i on``), so set-up costs nothing and the count is the loop's
alone. It does not see what instructions cost (cache misses, a retained call log's effect on the
garbage collector's timing beyond its own instructions): bench.py's timings remain the target;
this shows where the work is. ``--cache`` adds the first-level cache misses of callgrind's
simulated caches: a fake's call runs after botocore's own work has evicted the fake's code and
data, so its misses explain why its time per instruction is higher than botocore's.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# The measured process: seed 100 images like bench.py, then run ``calls`` calls with counting on.
CHILD = r"""
import itertools, os, subprocess, sys
sys.path.insert(0, {here!r})
import bench
import fake_ecr
from botocore.stub import Stubber

impl, label, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
method, make = bench.CALL_WORKLOADS[label]
fake = fake_ecr.FakeECR(**bench.FAKE_OPTIONS).start()
client = bench.seeded(bench.Fake(), 100)  # a plain boto3 client, served by the fake started above
bench.prebuild(calls + 20, start=1000)
unique = itertools.count(1000)
call = lambda: getattr(client, method)(**make(next(unique)))
for _ in range(5):
    call()
if impl == "stubber":
    body = {{k: v for k, v in call().items() if k != "ResponseMetadata"}}
    fake.stop()
    stubber = Stubber(client)
    for _ in range(calls + 5):
        stubber.add_response(method, body)
    stubber.activate()
    for _ in range(5):
        call()
pid = str(os.getpid())
subprocess.run(["callgrind_control", "-i", "on", pid], stdout=subprocess.DEVNULL, check=True)
for _ in range(calls):
    call()
subprocess.run(["callgrind_control", "-i", "off", pid], stdout=subprocess.DEVNULL, check=True)
"""


def _workload_labels() -> list[str]:
    sys.path.insert(0, HERE)
    import bench  # beside this file; imported only here, as it sets up boto3 and fake_ecr

    return list(bench.CALL_WORKLOADS)


def count(impl: str, label: str, calls: int, script: str, cache: bool = False) -> dict[str, float]:
    """Instructions per call of ``impl`` ("fake_ecr" or "stubber") on workload ``label``
    (``instructions``), and with ``cache`` the first-level cache misses per call of callgrind's
    simulated caches (``l1_misses``: instruction and data)."""
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--instr-atstart=no",
                f"--cache-sim={'yes' if cache else 'no'}",
                f"--callgrind-out-file={os.path.join(scratch, 'out')}",
                sys.executable,
                script,
                impl,
                label,
                str(calls),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    counted = {"instructions": int(found.group(1)) / calls}
    if cache:
        misses = [int(m.replace(",", "")) for m in re.findall(r"[ID]1 +misses: +([\d,]+)", done.stderr)]
        counted["l1_misses"] = sum(misses) / calls
    return counted


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200, help="calls counted per measurement (200)")
    parser.add_argument("--only", action="append", help="measure only these workloads (bench.CALL_WORKLOADS labels)")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="also count first-level cache misses (callgrind's cache simulation; slower): what the "
        "fake's code costs beyond its instructions, as botocore's work between two calls evicts it",
    )
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as scratch:
        script = os.path.join(scratch, "child.py")
        with open(script, "w") as f:
            f.write(CHILD.format(here=HERE))
        lines = [
            "| workload | fake_ecr (instructions) | stubber | fake / stubber |"
            + (" fake_ecr (L1 misses) | stubber | fake / stubber |" if args.cache else ""),
            "|---|---|---|---|" + ("---|---|---|" if args.cache else ""),
        ]
        ratios = {}
        for label in args.only or list(_workload_labels()):
            fake, stub = (count(impl, label, args.calls, script, args.cache) for impl in ("fake_ecr", "stubber"))
            ratio = fake["instructions"] / stub["instructions"]
            ratios[label] = ratio
            row = f"| call: {label} | {fake['instructions'] / 1e3:.0f} k | {stub['instructions'] / 1e3:.0f} k | {ratio:.2f}x |"
            if args.cache:
                f1, s1 = fake["l1_misses"], stub["l1_misses"]
                row += f" {f1 / 1e3:.1f} k | {s1 / 1e3:.1f} k | {f1 / s1:.2f}x |"
            lines.append(row)
            print(lines[-1], file=sys.stderr, flush=True)
    common = [v for label, v in ratios.items() if "maxResults=100" not in label] or list(ratios.values())
    geomean = math.exp(sum(map(math.log, common)) / len(common))
    output = "\n".join(lines) + f"\n\ngeometric mean of fake / stubber over {len(common)} workloads: {geomean:.2f}x"
    print(output)
    return output


if __name__ == "__main__":
    main()
