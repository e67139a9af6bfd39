"""Builders for the ECR Public tests."""

from __future__ import annotations

import struct
import zlib
from typing import Any, Optional

from helpers import manifest


def png(width: int = 64, height: int = 64) -> bytes:
    """A minimal valid PNG of the given size (one grey pixel row repeated)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def push(client: Any, repository: str, *, seed: str = "x", tag: Optional[str] = None) -> dict[str, Any]:
    """PutImage of a manifest derived from ``seed``; returns the pushed ``image``."""
    kwargs: dict[str, Any] = {"repositoryName": repository, "imageManifest": manifest(seed)}
    if tag is not None:
        kwargs["imageTag"] = tag
    return client.put_image(**kwargs)["image"]
