"""Blobs (layers and config blobs) stored in a repository, and layer uploads in progress.

Uploaded parts are kept as a list of chunks and joined once, when the upload completes, so a
large upload costs memory and time in proportion to its size (no quadratic copying).
"""

from __future__ import annotations

from typing import Optional


class Blob:
    """One content-addressed blob of a repository."""

    __slots__ = ("digest", "data", "media_type", "users")

    def __init__(self, digest: str, data: bytes, media_type: Optional[str] = None) -> None:
        self.digest = digest
        self.data = data
        # Learnt from the first manifest that references the blob (uploads carry no media type).
        self.media_type = media_type
        # Digests of the manifests that reference this blob (pruned lazily: see ``BlobStore``).
        self.users: set[str] = set()

    @property
    def size(self) -> int:
        return len(self.data)


class Upload:
    """A layer upload between InitiateLayerUpload and CompleteLayerUpload."""

    __slots__ = ("upload_id", "chunks", "received", "started_at")

    def __init__(self, upload_id: str, started_at: float) -> None:
        self.upload_id = upload_id
        self.chunks: list[bytes] = []
        self.received = 0  # bytes received so far; the next part must start here
        self.started_at = started_at


class BlobStore:
    """The blobs and uploads of one repository (ECR keeps blobs per repository).

    Besides blobs it keeps two reverse indexes that pushes maintain, so that "which indexes list
    this manifest" and "which manifests name this one as subject" cost O(answer), not O(images).
    Entries are pruned lazily: a digest whose image is gone is skipped and dropped when read.
    """

    __slots__ = ("blobs", "uploads", "parents", "referrers", "__weakref__")

    def __init__(self) -> None:
        self.blobs: dict[str, Blob] = {}
        self.uploads: dict[str, Upload] = {}
        # child manifest digest -> digests of the indexes that list it.
        self.parents: dict[str, set[str]] = {}
        # subject manifest digest -> digests of the manifests whose ``subject`` it is.
        self.referrers: dict[str, set[str]] = {}

    def blob(self, digest: str) -> Optional[Blob]:
        return self.blobs.get(digest)
