"""One stored manifest in a repository, with its tags and the facts DescribeImages reports."""

from __future__ import annotations

from typing import Any, Optional


def _rare(name: str, doc: str) -> property:
    """An attribute few images set: kept in the image's ``_rare`` dict, made on first use, so
    that the 10,000 images of a repository do not each pay a slot for it."""

    def get(image: Image) -> Any:
        rare = image._rare
        return None if rare is None else rare.get(name)

    def set_(image: Image, value: Any) -> None:
        rare = image._rare
        if rare is None:
            if value is None:
                return
            rare = image._rare = {}
        rare[name] = value

    return property(get, set_, doc=doc)


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
        "child_digests",
        "status",
        "_rare",
        "_detail",
    )

    subject_digest = _rare("subject_digest", "the digest of the manifest this one refers to (OCI subject)")
    artifact_type = _rare("artifact_type", "the manifest's artifactType")
    last_archived_at = _rare("last_archived_at", "when the image last entered the archive")
    last_activated_at = _rare("last_activated_at", "when the image was last restored from the archive")
    restore_started_at = _rare("restore_started_at", "when a restore from the archive began")

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
        self.child_digests = child_digests
        # Storage class state (see features/archive): ACTIVE, ARCHIVED or ACTIVATING.
        self.status = "ACTIVE"
        self._rare: Optional[dict[str, Any]] = None
        # DescribeImages' detail of this image without its tags, made on its first listing
        # (every member in it is fixed for the image's life); a listing copies it.
        self._detail: Optional[dict[str, Any]] = None
        if subject_digest is not None:
            self.subject_digest = subject_digest
        if artifact_type is not None:
            self.artifact_type = artifact_type

    @property
    def has_rare_attributes(self) -> bool:
        """Whether any of the rarely set attributes is set (hot loops skip them all when not)."""
        return self._rare is not None

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
