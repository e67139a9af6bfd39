"""One stored manifest in a repository, with its tags and the facts DescribeImages reports."""

from __future__ import annotations

from typing import Optional


class Image:
    """An image (any manifest: image, index, artifact) stored under its digest.

    ``__slots__`` keeps the per-image overhead small: repositories of 10,000 images are normal.
    """

    __slots__ = (
        "digest",
        "manifest",
        "manifest_media_type",
        "artifact_media_type",
        "size_in_bytes",
        "pushed_at",
        "tags",
        "seq",
        "last_pulled_at",
        "subject_digest",
        "child_digests",
        "artifact_type",
        "status",
        "last_archived_at",
        "last_activated_at",
        "restore_started_at",
    )

    def __init__(
        self,
        *,
        digest: str,
        manifest: str,
        manifest_media_type: str,
        artifact_media_type: Optional[str],
        size_in_bytes: int,
        pushed_at: float,
        seq: int,
        subject_digest: Optional[str] = None,
        child_digests: tuple[str, ...] = (),
        artifact_type: Optional[str] = None,
    ) -> None:
        self.digest = digest
        self.manifest = manifest
        self.manifest_media_type = manifest_media_type
        self.artifact_media_type = artifact_media_type
        self.size_in_bytes = size_in_bytes
        self.pushed_at = pushed_at
        self.seq = seq
        self.tags: list[str] = []
        self.last_pulled_at: Optional[float] = None
        self.subject_digest = subject_digest
        self.child_digests = child_digests
        self.artifact_type = artifact_type
        # Storage class state (see fake_ecr/archive.py): ACTIVE, ARCHIVED or ACTIVATING.
        self.status = "ACTIVE"
        self.last_archived_at: Optional[float] = None
        self.last_activated_at: Optional[float] = None
        self.restore_started_at: Optional[float] = None

    @property
    def storage_class(self) -> str:
        """ECR's storage class: ARCHIVE while archived or being restored, else STANDARD."""
        return "STANDARD" if self.status == "ACTIVE" else "ARCHIVE"

    @property
    def archived_at(self) -> Optional[float]:
        """When the image entered the archive, while it is there (lifecycle ages count from it)."""
        return None if self.status == "ACTIVE" else self.last_archived_at

    def __repr__(self) -> str:
        return f"<Image {self.digest[:19]} tags={self.tags}>"
