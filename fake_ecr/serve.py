"""``fake-ecr serve``: a standalone fake_ecr for non-Python test suites and local development.

It serves the ECR and ECR Public APIs over HTTP (AWS's JSON protocol) and, unless told not to,
the registry endpoint on the same port, from one fake's state; it can load a state snapshot at
start and save one at exit. It listens on loopback only unless ``--allow-remote`` is given, logs
one line per request, and stops cleanly on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, Optional

from fake_ecr.controller import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, FakeECR
from fake_ecr.errors import FakeECRError


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fake-ecr serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on (default 5000; 0: a free one)")
    parser.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID, help="the fake's own AWS account")
    parser.add_argument("--region", default=DEFAULT_REGION, help="the fake's default Region")
    parser.add_argument("--no-registry", action="store_true", help="serve the API only, not the registry endpoint")
    parser.add_argument("--state", help="a snapshot to load at start (if it exists) and save at exit")
    parser.add_argument(
        "--no-require-blobs", action="store_true", help="let PutImage store manifests whose layers were never uploaded"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host that is not a loopback address (nothing checks signatures)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    return parser


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    if not _is_loopback(args.host) and not args.allow_remote:
        print(
            f"fake-ecr serve: refusing to listen on {args.host}, which is not a loopback address; "
            "pass --allow-remote if you really mean it",
            file=sys.stderr,
        )
        return 2
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    fake = FakeECR(account_id=args.account_id, region=args.region, require_blobs=not args.no_require_blobs)
    with fake:
        if args.state:
            _load(fake, args.state)
        log = None if args.quiet else _log
        server = fake.http_server(host=args.host, port=args.port, log=log)
        url = fake.endpoint_url
        if not args.no_registry:
            fake.registry_endpoint  # noqa: B018 (mounts the registry on the same port)
        print(
            f"fake-ecr serving ECR and ECR Public at {url}"
            + ("" if args.no_registry else f" (registry: {server.address})"),
            flush=True,
        )
        while not stopping.wait(0.2):
            pass
        if args.state:
            fake.save_state(args.state)
    print("fake-ecr stopped", flush=True)
    return 0


def _load(fake: FakeECR, path: str) -> None:
    try:
        fake.load_state(path)
    except FileNotFoundError:
        return  # a first run: the state file is written at exit
    except (FakeECRError, ValueError) as exc:
        raise SystemExit(f"fake-ecr serve: cannot load {path}: {exc}") from None


def _log(line: str, _out: Any = sys.stderr) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=_out, flush=True)
