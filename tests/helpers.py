"""Builders for what the public ``push_image`` does not make: bare manifests and indexes whose
digests a test chooses (stored with ``require_blobs=False``), a PNG for ECR Public logos, and for
the registry endpoint tests: images in ``oci:`` layouts on disk and container clients to run;
and the row-by-row pager the listings' fast paths are compared with.

A test that pushes a real image uses ``fake_ecr.push_image(client, ...)`` or ``fake.push_image(...)``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import tarfile
import zlib
from pathlib import Path
from typing import Any, Optional

import pytest

from fake_ecr.model import Image

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


# The digests in ``manifest()`` and ``index()`` name blobs and images that were never uploaded. ECR
# (and fake_ecr by default) refuses such manifests with LayersNotFoundException; a test module that
# pushes them says so with ``pytestmark = without_blobs``. Use ``fake_ecr.push_image`` for real images.
without_blobs = pytest.mark.fake_ecr(require_blobs=False)


def sha(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode()
    return "sha256:" + hashlib.sha256(data).hexdigest()


def manifest(
    seed: str = "x",
    *,
    layer_sizes: tuple[int, ...] = (100, 200),
    config_size: int = 50,
    media_type: Optional[str] = DOCKER_MANIFEST,
    config_media_type: str = DOCKER_CONFIG,
    indent: Optional[int] = None,
    extra: Optional[dict[str, Any]] = None,
) -> str:
    """A manifest whose digests are derived from ``seed`` (different seed, different image)."""
    doc: dict[str, Any] = {"schemaVersion": 2}
    if media_type is not None:
        doc["mediaType"] = media_type
    doc["config"] = {"mediaType": config_media_type, "size": config_size, "digest": sha(f"config-{seed}")}
    doc["layers"] = [
        {"mediaType": DOCKER_LAYER, "size": size, "digest": sha(f"layer-{seed}-{i}")}
        for i, size in enumerate(layer_sizes)
    ]
    if extra:
        doc.update(extra)
    return json.dumps(doc, indent=indent)


def put_manifest(
    client: Any, repository: str, seed: str = "x", tag: str | None = None, **manifest_options: Any
) -> dict[str, Any]:
    """PutImage of ``manifest(seed, **manifest_options)`` (its blobs are not uploaded: the test runs
    ``without_blobs``); return the ``image`` of the answer. Works with ``ecr`` and ``ecr-public`` clients."""
    params: dict[str, Any] = {"repositoryName": repository, "imageManifest": manifest(seed, **manifest_options)}
    if tag is not None:
        params["imageTag"] = tag
    return dict(client.put_image(**params)["image"])


def index(children: list[str], media_type: str = OCI_INDEX) -> str:
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": media_type,
            "manifests": [
                {
                    "mediaType": OCI_MANIFEST,
                    "size": len(c),
                    "digest": sha(c),
                    "platform": {"architecture": "amd64", "os": "linux"},
                }
                for c in children
            ],
        }
    )


def png(width: int = 64, height: int = 64) -> bytes:
    """A minimal valid PNG of the given size (one grey pixel row repeated), for ECR Public logos."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# -- the registry endpoint tests: images on disk and container clients ---------------------------------

CLIENT_TIMEOUT = 60  # seconds any one client command may take


def _layer(files: dict[str, bytes]) -> tuple[bytes, bytes]:
    """A gzip layer holding ``files``, and its uncompressed tar (for the config's diff_ids)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            archive.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue(), raw.getvalue()


class TestImage:
    """An OCI image built in memory: layer, config and manifest bytes."""

    __test__ = False  # not a test class

    def __init__(self, text: str = "hello from fake_ecr\n", extra: Optional[bytes] = None) -> None:
        files = {"hello.txt": text.encode()}
        if extra is not None:
            files["extra.bin"] = extra
        self.layer, diff = _layer(files)
        config = {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Cmd": ["/bin/cat", "/hello.txt"]},
            "rootfs": {"type": "layers", "diff_ids": [sha(diff)]},
        }
        self.config = json.dumps(config, separators=(",", ":")).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": sha(self.config),
                "size": len(self.config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": sha(self.layer),
                    "size": len(self.layer),
                }
            ],
        }
        self.manifest = json.dumps(manifest, separators=(",", ":")).encode()
        self.digest = sha(self.manifest)
        self.size = len(self.config) + len(self.layer)

    def write_oci(self, directory: Path, tag: str = "v1") -> Path:
        """An ``oci:`` layout directory holding the image under ``tag``."""
        blobs = directory / "blobs" / "sha256"
        blobs.mkdir(parents=True, exist_ok=True)
        for blob in (self.layer, self.config, self.manifest):
            (blobs / sha(blob).split(":")[1]).write_bytes(blob)
        (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
        index = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": self.digest,
                    "size": len(self.manifest),
                    "annotations": {"org.opencontainers.image.ref.name": tag},
                }
            ],
        }
        (directory / "index.json").write_text(json.dumps(index))
        return directory


def write_index(directory: Path, images: dict[str, TestImage], tag: str = "v1") -> str:
    """An ``oci:`` layout holding a multi-platform index of ``images`` (by architecture); its digest."""
    for image in images.values():
        image.write_oci(directory)
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": image.digest,
                    "size": len(image.manifest),
                    "platform": {"architecture": arch, "os": "linux"},
                }
                for arch, image in images.items()
            ],
        }
    ).encode()
    (directory / "blobs" / "sha256" / sha(index)[7:]).write_bytes(index)
    (directory / "index.json").write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [
                    {
                        "mediaType": "application/vnd.oci.image.index.v1+json",
                        "digest": sha(index),
                        "size": len(index),
                        "annotations": {"org.opencontainers.image.ref.name": tag},
                    }
                ],
            }
        )
    )
    return sha(index)


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        pytest.skip(f"{binary} is not installed here (CI installs skopeo; the docker CLI ships with some images)")
    return path


def run(
    args: list[str], *, stdin: Optional[str] = None, env: Optional[dict[str, str]] = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a client command, bounded in time; fail with its output if ``check`` and it failed."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=CLIENT_TIMEOUT, env=full_env)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def password(token: str) -> str:
    """The docker-login password inside a GetAuthorizationToken token (``AWS:<password>``)."""
    user, _, secret = base64.b64decode(token).decode().partition(":")
    assert user == "AWS"
    return secret


def login_password(client: Any) -> str:
    """What ``aws ecr get-login-password`` prints, for the client's registry."""
    return password(client.get_authorization_token()["authorizationData"][0]["authorizationToken"])


def rows_page_reference(entries: list[tuple[int, list[Any]]], start: int, offset: int, limit: int) -> Any:
    """Paging rows grouped under sequence numbers the plain way, row by row from (start, offset):
    the page, and the (seq, row) of the first row left out (None when none is). The reference
    the listings' fast pagers are compared with."""
    out: list[Any] = []
    for seq, rows in entries:
        if seq < start:
            continue
        for index in range(offset if seq == start else 0, len(rows)):
            if len(out) == limit:
                return out, (seq, index)
            out.append(rows[index])
    return out, None


def model_image(seq: int, **members: Any) -> Image:
    """An image of the model made directly (no push), numbered ``seq`` (its digest too): an empty
    OCI manifest of 1 byte pushed at 0, with ``members`` overriding any of those."""
    fields: dict[str, Any] = {
        "digest": f"sha256:{seq:064x}",
        "manifest": "{}",
        "manifest_media_type": "application/vnd.oci.image.manifest.v1+json",
        "artifact_media_type": None,
        "size_in_bytes": 1,
        "pushed_at": 0.0,
        "seq": seq,
    }
    return Image(**{**fields, **members})
