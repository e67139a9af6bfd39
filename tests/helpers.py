"""Builders for what the public ``push_image`` does not make: bare manifests and indexes whose
digests a test chooses (stored with ``require_blobs=False``), and a PNG for ECR Public logos.

A test that pushes a real image uses ``fake_ecr.push_image(client, ...)`` or ``fake.push_image(...)``.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from typing import Any, Optional

import pytest

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


def put_manifest(client: Any, repository: str, seed: str = "x", tag: str | None = None,
                 **manifest_options: Any) -> dict[str, Any]:
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
                {"mediaType": OCI_MANIFEST, "size": len(c), "digest": sha(c),
                 "platform": {"architecture": "amd64", "os": "linux"}}
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
