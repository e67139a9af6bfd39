"""Benchmark fake_ecr against moto and against botocore's Stubber (the floor).

    python -m pip install -e '.[bench]' && python bench/bench.py [--quick]

Every workload runs all implementations in one process, interleaved round by round, and reports
the median of the rounds, so that ratios hold on a noisy machine. The Stubber is the cost of a
call with no backend at all: botocore's client-side work plus a queued canned response.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import types
from typing import Any, Callable, Optional

os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
import botocore.awsrequest  # noqa: E402
from botocore.stub import Stubber  # noqa: E402

import fake_ecr  # noqa: E402

try:
    from moto import mock_aws
except ImportError:  # pragma: no cover - moto is only in the bench extra
    mock_aws = None

REGION = "us-east-1"


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


_MANIFESTS: dict[int, str] = {}


def manifest(i: int) -> str:
    """A realistic Docker manifest (config + 5 layers, ~1 KiB), different for every ``i``."""
    text = _MANIFESTS.get(i)
    if text is None:
        text = _MANIFESTS[i] = _build_manifest(i)
    return text


def prebuild(count: int, start: int = 0) -> None:
    """Build manifests ahead, so that timed loops measure the mock, not the manifest builder."""
    for i in range(start, start + count):
        manifest(i)


def _build_manifest(i: int) -> str:
    layers = [
        {
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 1000 + i + n,
            "digest": sha(f"layer-{i}-{n}".encode()),
        }
        for n in range(5)
    ]
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1469,
                "digest": sha(f"config-{i}".encode()),
            },
            "layers": layers,
        },
        indent=3,
    )


# -- the implementations ------------------------------------------------------------------------


class Impl:
    """One mock. ``with impl:`` is a fresh activation; ``impl.resumed()`` re-activates with state kept.

    Only one mock may be active at a time: fake_ecr answers at ``before-call``, before moto's
    ``before-send`` hook would ever see the call.
    """

    name = ""

    def __enter__(self) -> Any:
        self.start(fresh=True)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self, fresh: bool) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def client(self) -> Any:
        return boto3.client("ecr", region_name=REGION)

    def around(self, run: Callable[[], float]) -> Callable[[], float]:
        """``run`` wrapped in an activation that keeps the state seeded earlier."""

        def measured() -> float:
            self.start(fresh=False)
            try:
                return run()
            finally:
                self.stop()

        return measured


class Fake(Impl):
    name = "fake_ecr"

    def start(self, fresh: bool) -> None:
        if fresh or not hasattr(self, "mock"):
            self.mock = fake_ecr.FakeECR(**FAKE_OPTIONS)
        self.mock.start()

    def stop(self) -> None:
        self.mock.stop()


class Moto(Impl):
    name = "moto"

    def start(self, fresh: bool) -> None:
        if fresh or not hasattr(self, "mock"):
            self.mock = mock_aws()
            self.mock.start()
        else:
            self.mock.start(reset=False)

    def stop(self) -> None:
        self.mock.stop(remove_data=False)

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# Options for the fake in benchmarks: manifests are pushed without uploading their blobs.
FAKE_OPTIONS: dict[str, Any] = {}


def _fake_options() -> dict[str, Any]:
    import inspect

    if "require_blobs" in inspect.signature(fake_ecr.FakeECR).parameters:
        return {"require_blobs": False}
    return {}


FAKE_OPTIONS.update(_fake_options())


def impls() -> list[Impl]:
    out: list[Impl] = [Fake()]
    if mock_aws is not None:
        out.append(Moto())
    return out


# -- measuring ------------------------------------------------------------------------------------


def median_rounds(rounds: int, runners: dict[str, Callable[[], float]]) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(rounds):
        for name, run in runners.items():
            gc.collect()
            samples[name].append(run())
    return {name: statistics.median(values) for name, values in samples.items()}


# Per-call rows: the median over rounds of fake_ecr's time divided by the Stubber's in the same
# round (measured one right after the other), which a machine whose speed drifts between rounds
# disturbs less than a ratio of two medians taken from different rounds.
PAIRED_RATIOS: dict[str, float] = {}


def paired_rounds(rounds: int, runners: dict[str, Callable[[], float]], label: str) -> dict[str, float]:
    """:func:`median_rounds`, also keeping the median per-round ratio of fake_ecr to the Stubber.
    fake_ecr and the Stubber swap places every other round, so that neither always runs first
    on caches the runner before it (moto's, in the last round) left cold."""
    samples: dict[str, list[float]] = {name: [] for name in runners}
    for round_number in range(rounds):
        order = list(runners)
        if round_number % 2:
            first, second = order.index("fake_ecr"), order.index("stubber")
            order[first], order[second] = order[second], order[first]
        for name in order:
            gc.collect()
            samples[name].append(runners[name]())
    PAIRED_RATIOS[label] = statistics.median(f / s for f, s in zip(samples["fake_ecr"], samples["stubber"]))
    return {name: statistics.median(values) for name, values in samples.items()}


def per_call(fn: Callable[[], Any], n: int, budget: float = 0.5) -> float:
    """Mean seconds per call over ``n`` calls, or fewer (at least 3) if ``budget`` seconds run out."""
    fn()
    start = time.perf_counter()
    done = 0
    while done < n:
        fn()
        done += 1
        if done >= 3 and time.perf_counter() - start > budget:
            break
    return (time.perf_counter() - start) / done


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


ROWS: list[tuple[str, dict[str, float]]] = []


def report(label: str, result: dict[str, float]) -> None:
    ROWS.append((label, result))
    cells = "  ".join(f"{k}={fmt(v)}" for k, v in result.items())
    print(f"{label:<44} {cells}", flush=True)


# -- workloads ------------------------------------------------------------------------------------


def bench_import(rounds: int) -> None:
    def importing(statement: str) -> Callable[[], float]:
        code = f"import time, boto3; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"

        # Measured as users import it: from bytecode (an environment that forbids writing
        # bytecode, as some CI images do, would measure compiling instead).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def run() -> float:
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
            return float(out.stdout.strip())

        run()  # writes the bytecode
        return run

    runners = {"fake_ecr": importing("import fake_ecr")}
    if mock_aws is not None:
        runners["moto"] = importing("from moto import mock_aws")
    report("import (after boto3)", median_rounds(rounds, runners))


def bench_activation(rounds: int, n: int) -> None:
    def activation(impl: Impl) -> Callable[[], float]:
        def once() -> None:
            with impl:
                pass

        return lambda: per_call(once, n)

    report("activation (enter + exit)", median_rounds(rounds, {i.name: activation(i) for i in impls()}))


def bench_first_call(rounds: int, n: int) -> None:
    def first_call(impl: Impl) -> Callable[[], float]:
        def once() -> None:
            with impl:
                impl.client().describe_repositories()

        return lambda: per_call(once, n)

    report("first call (enter, client, call, exit)", median_rounds(rounds, {i.name: first_call(i) for i in impls()}))


_FIRST_OF_PROCESS = """
import json, time
import boto3, fake_ecr
from botocore.stub import Stubber

t = time.perf_counter
keys = dict(region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench")


def stubbed():
    client = boto3.client("ecr", **keys)
    stub = Stubber(client)
    stub.add_response("describe_repositories", {"repositories": []})
    stub.add_response("describe_repositories", {"repositories": []})
    stub.activate()
    a = t(); client.describe_repositories(); b = t(); client.describe_repositories(); c = t()
    return b - a, c - b


stubbed()  # botocore's once-per-process work (models, endpoint rules), which any first call pays
stub_first, stub_second = stubbed()  # what a new client's first call costs botocore alone
a = t()
with fake_ecr.FakeECR():
    b = t()
    client = boto3.client("ecr", **keys)
    c = t()
    client.describe_repositories()
    d = t()
    client.describe_repositories()
    e = t()
f = t()
print(json.dumps({
    "enter": b - a, "client": c - b, "first": d - c, "second": e - d, "exit": f - e,
    "share": (b - a) + (f - e) + ((d - c) - (e - d)) - (stub_first - stub_second),
}))
"""


def bench_first_call_of_process(rounds: int) -> None:
    """The first fake-served call of a fresh process, and how much of it is fake_ecr's own.

    Each round is a new interpreter that imports boto3 and fake_ecr (from bytecode, like
    ``bench_import``), lets botocore do its once-per-process work with a Stubber, then enters a
    FakeECR, builds a client and calls ``describe_repositories`` twice. fake_ecr's share is the
    activation, the exit and what its first call costs beyond the second, less what a new
    client's first call costs botocore alone (measured with a Stubber in the same process).
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run() -> dict[str, float]:
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_OF_PROCESS], capture_output=True, text=True, check=True, env=env
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    run()  # writes the bytecode
    samples = [run() for _ in range(rounds)]
    median = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
    report("first served call of a process: fake's share", {"fake_ecr": median["share"]})
    report("first served call of a process (enter, call)", {"fake_ecr": median["enter"] + median["first"]})
    print(
        "    " + ", ".join(f"{key}={fmt(median[key])}" for key in ("enter", "client", "first", "second", "exit")),
        flush=True,
    )


def seeded(impl: Impl, images: int) -> Any:
    client = impl.client()
    client.create_repository(repositoryName="bench")
    for i in range(images):
        client.put_image(repositoryName="bench", imageManifest=manifest(i), imageTag=f"v{i}")
    return client


# The per-call workloads, on the repository ``seeded`` makes: label -> (client method, the
# parameters of the n-th call; names and manifests that must be new take ``n``).
CALL_WORKLOADS: dict[str, tuple[str, Callable[[int], dict[str, Any]]]] = {
    "describe_repositories": ("describe_repositories", lambda n: {}),
    "create_repository": ("create_repository", lambda n: {"repositoryName": f"r{n}"}),
    "put_image": (
        "put_image",
        lambda n: {"repositoryName": "bench", "imageManifest": manifest(n), "imageTag": "latest"},
    ),
    "batch_get_image": ("batch_get_image", lambda n: {"repositoryName": "bench", "imageIds": [{"imageTag": "v7"}]}),
    "list_images": ("list_images", lambda n: {"repositoryName": "bench", "maxResults": 10}),
    "describe_images(maxResults=10)": ("describe_images", lambda n: {"repositoryName": "bench", "maxResults": 10}),
    "list_images(maxResults=100)": ("list_images", lambda n: {"repositoryName": "bench", "maxResults": 100}),
    "describe_images(maxResults=100)": ("describe_images", lambda n: {"repositoryName": "bench", "maxResults": 100}),
}


def bench_calls(rounds: int, n: int) -> None:
    """Per-call latency of common operations on a repository of 100 images, with the Stubber floor."""
    states = []
    for impl in impls():
        with impl:
            states.append((impl, seeded(impl, 100)))
    # Each workload numbers its calls from its own range (repository names, manifests), shared by
    # every runner: fake_ecr, the Stubber and the bare floor make their parameters the same way.
    calls_per_workload = (len(impls()) + 2) * rounds * (n + 2) + 10
    fake_impl, fake_client = states[0]
    for number, (label, (method, make)) in enumerate(CALL_WORKLOADS.items()):
        first = 1000 + number * calls_per_workload
        if method == "put_image":
            prebuild(calls_per_workload, start=first)
        unique = itertools.count(first).__next__

        def call(
            c: Any, method: str = method, make: Callable[[int], dict[str, Any]] = make, unique: Any = unique
        ) -> Any:
            return getattr(c, method)(**make(unique()))

        runners = {
            impl.name: impl.around(lambda call=call, c=client: per_call(lambda: call(c), n)) for impl, client in states
        }
        # The floor: the same call answered by botocore's Stubber with fake_ecr's own response.
        fake_impl.start(fresh=False)
        example = call(fake_client)
        fake_impl.stop()
        body = {k: v for k, v in example.items() if k != "ResponseMetadata"}
        floor_client = boto3.client("ecr", region_name=REGION)
        stubber = Stubber(floor_client)

        def run_floor(
            stubber: Stubber = stubber,
            method: str = method,
            body: dict = body,
            client: Any = floor_client,
            call: Callable[[Any], Any] = call,
        ) -> float:
            for _ in range(n + 1):
                stubber.add_response(method, body)
            with stubber:  # the same parameters as fake_ecr's calls, made the same way
                return per_call(lambda: call(client), n)

        runners["stubber"] = run_floor

        # The true minimum: a before-call handler that returns a ready answer (no validation,
        # no state, no response building): what botocore's own client-side work costs.
        bare_client = boto3.client("ecr", region_name=REGION)
        ready = (
            botocore.awsrequest.AWSResponse("https://bare", 200, {}, None),
            {**body, "ResponseMetadata": {"HTTPStatusCode": 200, "RetryAttempts": 0}},
        )
        bare_client.meta.events.register(
            f"before-call.ecr.{bare_client.meta.method_to_api_mapping[method]}", lambda ready=ready, **kwargs: ready
        )
        runners["bare"] = lambda c=bare_client, call=call: per_call(lambda: call(c), n)
        # fake_ecr and the Stubber run first and second, in turn (paired_rounds), moto last.
        order = ["fake_ecr", "stubber", "bare"] + [
            name for name in runners if name not in ("fake_ecr", "stubber", "bare")
        ]
        report(f"call: {label}", paired_rounds(rounds, {name: runners[name] for name in order}, f"call: {label}"))


def bench_describe_scaling(rounds: int, n: int, sizes: list[int]) -> None:
    for size in sizes:
        runners = {}
        for impl in impls():
            with impl:
                client = seeded(impl, size)
            runners[impl.name] = impl.around(
                lambda c=client: per_call(lambda: c.describe_images(repositoryName="bench", maxResults=10), n)
            )
        report(f"describe_images page of 10 @ {size} images", median_rounds(rounds, runners))


def bench_preview_paging(rounds: int, n: int, sizes: list[int]) -> None:
    """Reading a page of a lifecycle policy preview must cost the same whatever the preview's size."""
    untagged = json.dumps(
        {
            "rules": [
                {
                    "rulePriority": 1,
                    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1},
                    "action": {"type": "expire"},
                }
            ]
        }
    )
    for size in sizes:
        runners = {}
        for impl in impls():
            with impl:
                client = seeded(impl, size)
                try:
                    client.start_lifecycle_policy_preview(repositoryName="bench", lifecyclePolicyText=untagged)
                    token = client.get_lifecycle_policy_preview(repositoryName="bench", maxResults=10)["nextToken"]
                except Exception:  # an implementation without previews is left out of this row
                    continue
            runners[impl.name] = impl.around(
                lambda c=client, t=token: per_call(
                    lambda: c.get_lifecycle_policy_preview(repositoryName="bench", maxResults=10, nextToken=t), n
                )
            )
        report(f"lifecycle preview page of 10 @ {size} images", median_rounds(rounds, runners))


def bench_restore(images: int) -> None:
    """A checkpoint restored for each test against seeding the same images again."""
    fake = fake_ecr.FakeECR(**FAKE_OPTIONS)
    with fake:
        started = time.perf_counter()
        seeded(types.SimpleNamespace(client=lambda: boto3.client("ecr", region_name=REGION)), images)
        seeding = time.perf_counter() - started
        checkpoint = fake.snapshot()
        restores = []
        for _ in range(5):
            started = time.perf_counter()
            fake.restore(checkpoint)
            restores.append(time.perf_counter() - started)
    report(f"seed {images} images (API)", {"fake_ecr": seeding})
    report(f"restore a checkpoint of {images} images", {"fake_ecr": statistics.median(restores)})


def bench_threads(rounds: int, per_thread: int) -> None:
    def threaded(impl: Impl) -> Callable[[], float]:
        def run() -> float:
            with impl:
                impl.client().create_repository(repositoryName="bench")
                base = 10**7 + (int(time.time() * 1000) % 10**6) * 1000
                batches = [[_build_manifest(base + t * per_thread + i) for i in range(per_thread)] for t in range(8)]
                clients = [boto3.session.Session().client("ecr", region_name=REGION) for _ in range(8)]

                def push(t: int) -> None:
                    for text in batches[t]:
                        clients[t].put_image(repositoryName="bench", imageManifest=text)

                threads = [threading.Thread(target=push, args=(t,)) for t in range(8)]
                start = time.perf_counter()
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                return time.perf_counter() - start

        return run

    report(f"8 threads x {per_thread} put_image (total)", median_rounds(rounds, {i.name: threaded(i) for i in impls()}))


def bench_memory(images: int) -> None:
    """Memory per pushed image beyond its manifest bytes: the state alone, everything a test
    holds (the state and the call log, at the fake's default ``call_log_limit``), and the state
    once DescribeImages has listed every image (fake_ecr keeps each listed image's detail)."""
    state: dict[str, float] = {}
    held: dict[str, float] = {}
    listed: dict[str, float] = {}
    manifest_bytes = sum(len(_build_manifest(i)) for i in range(images))
    for impl in impls():
        with impl:
            client = impl.client()
            client.create_repository(repositoryName="bench")
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            # Each manifest is made in the measured loop and dropped after its push, as a test
            # drops it: what stays is the text the mock keeps, its own copy or the caller's.
            for i in range(images):
                client.put_image(repositoryName="bench", imageManifest=_build_manifest(i), imageTag=f"v{i}")
            gc.collect()
            with_log = tracemalloc.get_traced_memory()[0]
            if isinstance(impl, Fake):
                impl.mock.calls.clear()  # the call log is not image storage
            gc.collect()
            after = tracemalloc.get_traced_memory()[0]
            pages: dict[str, Any] = {"nextToken": None}
            while "nextToken" in pages:
                token = {"nextToken": pages["nextToken"]} if pages["nextToken"] else {}
                pages = client.describe_images(repositoryName="bench", maxResults=1000, **token)
            del pages
            if isinstance(impl, Fake):
                impl.mock.calls.clear()
            gc.collect()
            after_listing = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
        state[impl.name] = (after - before - manifest_bytes) / images
        held[impl.name] = (with_log - before - manifest_bytes) / images
        listed[impl.name] = (after_listing - before - manifest_bytes) / images
    for label, result in (
        (f"memory per image beyond manifest ({images} images)", state),
        (f"memory per image incl. call log ({images} images)", held),
        (f"memory per image once all are listed ({images} images)", listed),
    ):
        ROWS.append((label, result))
        print(f"{label:<44} " + "  ".join(f"{k}={v:.0f} B" for k, v in result.items()), flush=True)


def bench_memory_push(size_mib: int) -> None:
    """Peak memory (tracemalloc) of pushing one layer of ``size_mib`` MiB with push_image."""
    layer = os.urandom(size_mib * 1024 * 1024)
    with fake_ecr.FakeECR() as fake:
        client = fake.client()
        client.create_repository(repositoryName="big")
        gc.collect()
        tracemalloc.start()
        fake_ecr.push_image(client, "big", "v1", layers=[layer])
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    label = f"memory: push of a {size_mib} MiB layer (peak)"
    ROWS.append((label, {"fake_ecr": float(peak)}))
    print(f"{label:<44} fake_ecr peak={peak / 2**20:.0f} MiB held={held / 2**20:.0f} MiB", flush=True)


def bench_memory_calls(calls: int) -> None:
    """Memory the call log holds after ``calls`` small calls (ListImages): every record kept
    (``call_log_limit=0``), and at the default limit."""
    for label, options in (("every call kept", {"call_log_limit": 0}), ("default limit", {})):
        with fake_ecr.FakeECR(**options) as fake:
            client = fake.client()
            client.create_repository(repositoryName="bench")
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for i in range(calls):
                client.list_images(repositoryName="bench", maxResults=10)
            gc.collect()
            after, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            kept = len(fake.calls)
        row = f"memory: {calls} calls, {label} (held)"
        ROWS.append((row, {"fake_ecr": float(after - before)}))
        print(
            f"{row:<44} fake_ecr held={(after - before) / 2**20:.2f} MiB for {kept} records "
            f"({(after - before) / kept:.0f} B per record), peak={(peak - before) / 2**20:.1f} MiB",
            flush=True,
        )


def _fake_per_stubber(label: str, fake: Optional[float], stub: Optional[float]) -> str:
    if label in PAIRED_RATIOS:
        return f"{PAIRED_RATIOS[label]:.2f}x"
    return f"{fake / stub:.2f}x" if fake and stub else "-"


def ratios_table() -> str:
    lines = [
        "| workload | fake_ecr | moto | stubber | bare before-call | moto / fake | fake / stubber | fake / bare |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, result in ROWS:
        is_memory = label.startswith("memory")
        show = (lambda v: f"{v:.0f} B") if is_memory else fmt
        fake, moto, stub, bare = (result.get(k) for k in ("fake_ecr", "moto", "stubber", "bare"))
        lines.append(
            f"| {label} | {show(fake) if fake is not None else '-'} | {show(moto) if moto is not None else '-'} "
            f"| {fmt(stub) if stub is not None else '-'} | {fmt(bare) if bare is not None else '-'} "
            f"| {f'{moto / fake:.1f}x' if fake and moto else '-'} | {_fake_per_stubber(label, fake, stub)} "
            f"| {f'{fake / bare:.2f}x' if fake and bare else '-'} |"
        )
    return "\n".join(lines)


def per_call_verdict() -> str:
    """The per-call targets of the Stubber floor: geometric mean of the six common workloads at
    most 1.3x, no workload (the 100-result listings included) above 2x."""
    ratios = {
        label: PAIRED_RATIOS.get(label, r["fake_ecr"] / r["stubber"])
        for label, r in ROWS
        if "stubber" in r and "fake_ecr" in r
    }
    if not ratios:
        return "per call: not measured"
    common = [v for label, v in ratios.items() if "maxResults=100" not in label]
    geomean = math.exp(sum(math.log(v) for v in common) / len(common))
    worst_label, worst = max(ratios.items(), key=lambda item: item[1])
    return (
        f"per call: geometric mean of fake / stubber over {len(common)} workloads {geomean:.2f}x "
        f"(target 1.3x: {'met' if geomean <= 1.3 else 'NOT met'}); highest {worst:.2f}x, {worst_label} "
        f"(target 2x: {'met' if worst <= 2 else 'NOT met'})"
    )


def bench_per_test(quick: bool) -> None:
    """What a test costs in a real pytest process, with the fixtures (bench/suite_bench.py)."""
    import suite_bench  # beside this file

    print(flush=True)
    suite_bench.main(["--quick"] if quick else [])


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller repositories")
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else 7
    n = 50 if args.quick else 300
    sizes = [100, 1000] if args.quick else [100, 1000, 10000]
    if mock_aws is None:
        print("moto is not installed (pip install -e '.[bench]'): comparing with the Stubber only")
    bench_import(rounds)
    bench_activation(rounds, n)
    bench_first_call(rounds, max(5, n // 10))
    bench_first_call_of_process(rounds)
    bench_calls(rounds * 2 + 1, n // 2)  # more, shorter rounds: each ratio is taken within one round
    bench_describe_scaling(rounds, n, sizes)
    bench_preview_paging(rounds, n, sizes)
    bench_restore(1000 if args.quick else 10000)
    bench_threads(3, 25 if args.quick else 100)
    bench_memory(10000)  # beyond the call log's default limit of 1,000, as a seeded fixture is
    bench_memory_push(100)
    bench_memory_calls(10000)
    print()
    print(ratios_table())
    print()
    print(per_call_verdict())
    bench_per_test(args.quick)


if __name__ == "__main__":
    main()
