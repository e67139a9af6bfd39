"""Requests per second over HTTP: fake_ecr's API endpoint against moto's server mode, in one run.

    python -m pip install -e '.[bench]' && python bench/http_bench.py [--seconds 3]

One client connection with keep-alive sends the same AWS JSON requests to each server, in turns
(fake_ecr, moto, fake_ecr, moto, ...), and the best rate of each is reported: DescribeRepositories
of a registry with 20 repositories, and PutImage of distinct small manifests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import time
from typing import Any, Callable

AUTH = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261203/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00"
TARGET = "AmazonEC2ContainerRegistry_V20150921"


def _caller(port: int) -> Callable[[str, dict[str, Any]], int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(operation: str, body: dict[str, Any]) -> int:
        connection.request(
            "POST",
            "/",
            json.dumps(body),
            {
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"{TARGET}.{operation}",
                "Authorization": AUTH,
                "Host": f"127.0.0.1:{port}",
            },
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status

    return call


def _manifest(n: int) -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": f"sha256:{n:064x}",
                "size": 2,
            },
            "layers": [],
        }
    )


def _rate(
    call: Callable[[str, dict[str, Any]], int], operation: str, body: Callable[[int], dict[str, Any]], seconds: float
) -> float:
    done, n, deadline = 0, 0, time.perf_counter() + seconds
    start = time.perf_counter()
    while time.perf_counter() < deadline:
        status = call(operation, body(n))
        assert status == 200, (operation, status)
        done += 1
        n += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()

    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

    from fake_ecr import FakeECR

    fake = FakeECR(require_blobs=False).start()
    fake_port = int(fake.endpoint_url.rsplit(":", 1)[1])
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    moto_port = int(moto.get_host_and_port()[1])
    servers = {"fake_ecr": _caller(fake_port), "moto server": _caller(moto_port)}
    for call in servers.values():
        for i in range(20):
            call("CreateRepository", {"repositoryName": f"bench/repo{i}"})
    workloads = {
        "DescribeRepositories (20 repositories)": ("DescribeRepositories", lambda n: {}),
        "PutImage (distinct small manifests)": (
            "PutImage",
            lambda n: {"repositoryName": "bench/repo0", "imageManifest": _manifest(n), "imageTag": f"t{n}"},
        ),
    }
    print("| workload | fake_ecr req/s | moto server req/s | fake / moto |")
    print("|---|---|---|---|")
    for label, (operation, body) in workloads.items():
        best = {name: 0.0 for name in servers}
        offsets = {name: 0 for name in servers}
        for _ in range(options.rounds):
            for name, call in servers.items():
                base = offsets[name]
                best[name] = max(best[name], _rate(call, operation, lambda n, b=base: body(b + n), options.seconds))
                offsets[name] += 100_000
        print(
            f"| {label} | {best['fake_ecr']:.0f} | {best['moto server']:.0f} | "
            f"{best['fake_ecr'] / best['moto server']:.1f}x |"
        )
    moto.stop()
    fake.stop()


if __name__ == "__main__":
    main()
