"""Push and pull a large image with skopeo: fake_ecr's registry endpoint vs Debian's docker-registry.

    apt-get install skopeo docker-registry apache2-utils
    python bench/registry_bench.py [--size-mib 100] [--rounds 3]

Both registries run on 127.0.0.1 with Basic authentication, in the same run, interleaved round by
round (a fresh random layer each round, so no client or registry reuses a blob). The reference
registry is CNCF distribution (Debian's ``docker-registry``) storing on the local file system;
fake_ecr keeps blobs in memory. A separate pass measures, with ``tracemalloc``, what a push adds
to fake_ecr's memory, in multiples of the layer size.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any, Callable, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fake_ecr import FakeECR  # noqa: E402

MIB = 1024 * 1024
PASSWORD = "bench-password"


def sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def write_image(directory: Path, layer: bytes) -> Path:
    """An ``oci:`` layout with one (uncompressed) layer; the tag is ``v1``."""
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [sha(layer)]}}
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": sha(config),
                "size": len(config),
            },
            "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha(layer), "size": len(layer)}
            ],
        }
    ).encode()
    blobs = directory / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    for blob in (layer, config, manifest):
        (blobs / sha(blob)[7:]).write_bytes(blob)
    (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (directory / "index.json").write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [
                    {
                        "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": sha(manifest),
                        "size": len(manifest),
                        "annotations": {"org.opencontainers.image.ref.name": "v1"},
                    }
                ],
            }
        )
    )
    return directory


def skopeo(*args: str) -> None:
    subprocess.run(["skopeo", *args], check=True, capture_output=True, timeout=600)


def push(layout: Path, address: str, repo: str, password: str) -> None:
    skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--dest-creds",
        f"AWS:{password}",
        f"oci:{layout}:v1",
        f"docker://{address}/{repo}:v1",
    )


def pull(address: str, repo: str, password: str, into: Path) -> None:
    skopeo(
        "copy",
        "--src-tls-verify=false",
        "--src-creds",
        f"AWS:{password}",
        f"docker://{address}/{repo}:v1",
        f"dir:{into}",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Distribution:
    """Debian's docker-registry on a free loopback port, Basic auth for user AWS."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        htpasswd = subprocess.run(["htpasswd", "-Bbn", "AWS", PASSWORD], check=True, capture_output=True, text=True)
        (workdir / "htpasswd").write_text(htpasswd.stdout)
        self.port = free_port()
        (workdir / "config.yml").write_text(
            "version: 0.1\n"
            f"storage:\n  filesystem: {{rootdirectory: {workdir / 'data'}}}\n  delete: {{enabled: true}}\n"
            f"http:\n  addr: 127.0.0.1:{self.port}\n"
            f"auth:\n  htpasswd: {{realm: basic-realm, path: {workdir / 'htpasswd'}}}\n"
        )
        self.process: Optional[subprocess.Popen[bytes]] = None

    def __enter__(self) -> Distribution:
        log = open(self.workdir / "log", "wb")
        self.process = subprocess.Popen(
            ["/usr/bin/docker-registry", "serve", str(self.workdir / "config.yml")], stdout=log, stderr=log
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("docker-registry did not start")

    def __exit__(self, *exc: Any) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def memory_pass(fake: FakeECR, password: str, layout: Path, size: int, workdir: Path) -> tuple[float, float]:
    """What one push adds to fake_ecr's memory: (peak, kept) in multiples of the layer size."""
    fake.client().create_repository(repositoryName="memory")
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    push(layout, fake.registry_endpoint.address, "memory", password)
    current, peak = tracemalloc.get_traced_memory()
    pull(fake.registry_endpoint.address, "memory", password, workdir / "memory-pull")
    tracemalloc.stop()
    return (peak - before) / size, (current - before) / size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    for tool in ("skopeo", "htpasswd", "/usr/bin/docker-registry"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install skopeo docker-registry apache2-utils")
    size = options.size_mib * MIB
    times: dict[str, list[float]] = {
        k: [] for k in ("fake push", "fake pull", "distribution push", "distribution pull")
    }
    with tempfile.TemporaryDirectory() as tmp, FakeECR(registry=True) as fake, Distribution(Path(tmp)) as reference:
        work = Path(tmp)
        ecr = fake.client()
        token = ecr.get_authorization_token()["authorizationData"][0]["authorizationToken"]
        password = base64.b64decode(token).decode().split(":", 1)[1]
        for round_ in range(options.rounds):
            layout = write_image(work / f"image-{round_}", os.urandom(size))
            repo = f"bench-{round_}"
            ecr.create_repository(repositoryName=repo)
            times["fake push"].append(timed(lambda: push(layout, fake.registry_endpoint.address, repo, password)))
            times["distribution push"].append(timed(lambda: push(layout, reference.address, repo, PASSWORD)))
            times["fake pull"].append(
                timed(lambda: pull(fake.registry_endpoint.address, repo, password, work / f"fake-pull-{round_}"))
            )
            times["distribution pull"].append(
                timed(lambda: pull(reference.address, repo, PASSWORD, work / f"dist-pull-{round_}"))
            )
            shutil.rmtree(layout)
        peak, kept = memory_pass(fake, password, write_image(work / "image-memory", os.urandom(size)), size, work)
    print(f"skopeo push/pull of a {options.size_mib} MiB image, median of {options.rounds} rounds")
    for name, values in times.items():
        print(f"  {name:20s} {statistics.median(values):7.2f} s")
    print(f"  fake_ecr memory for one push: peak {peak:.2f}x the layer size, kept {kept:.2f}x")


if __name__ == "__main__":
    main()
