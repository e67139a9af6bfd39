"""The ECR archival storage class: archiving images, restoring them, and what archived images
may no longer do.

From the ECR user guide: archived images cannot be pulled but can still be listed and described
(with an image status filter); a restore "typically takes up to 20 minutes", during which the image
is ACTIVATING and still cannot be pulled; pushing an archived image again restores it at once.
The fake completes a restore when its clock has advanced ``RESTORE_SECONDS`` past the request.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from fake_ecr.model import Image, Repository

ACTIVE = "ACTIVE"
ARCHIVED = "ARCHIVED"
ACTIVATING = "ACTIVATING"
ANY = "ANY"
STATUSES = (ACTIVE, ARCHIVED, ACTIVATING)

RESTORE_SECONDS = 20 * 60


def status(image: Image, now: float) -> str:
    """The image's status at ``now``, finishing a restore whose time has come."""
    started = image.restore_started_at
    if image.status == ACTIVATING and started is not None and now >= started + RESTORE_SECONDS:
        activate(image, started + RESTORE_SECONDS)
    return image.status


def is_pullable(image: Image, now: float) -> bool:
    return status(image, now) == ACTIVE


class LeftActive:
    """Repository state, present once an image of the repository was archived: until then every
    image is ACTIVE, and listings need not look at each image's status."""


def archive(repo: Repository, image: Image, now: float) -> None:
    repo.state(LeftActive)
    image.status = ARCHIVED
    image.last_archived_at = now
    image.restore_started_at = None


def start_restore(repo: Repository, image: Image, now: float) -> None:
    repo.state(LeftActive)
    image.status = ACTIVATING
    image.restore_started_at = now


def activate(image: Image, now: float) -> None:
    """Make an archived or restoring image active now (a completed restore or a re-push)."""
    image.status = ACTIVE
    image.last_activated_at = now
    image.restore_started_at = None


def matches(image: Image, now: float, wanted: Optional[str]) -> bool:
    """Whether ``image`` passes an ``imageStatus`` filter (absent: only ACTIVE images; ANY: all)."""
    return status_filter(now, wanted)(image)


def listing_filter(repo: Repository, now: float, wanted: Optional[str]) -> Optional[Callable[[Image], bool]]:
    """The ``keep`` of a listing of ``repo`` filtered by ``imageStatus`` ``wanted``: None when
    every image passes (nothing here was ever archived, and ACTIVE or ANY images are wanted)."""
    if wanted in (None, ACTIVE, ANY) and not repo.has_state(LeftActive):
        return None
    return status_filter(now, wanted)


def status_filter(now: float, wanted: Optional[str]) -> Callable[[Image], bool]:
    """:func:`matches` for one listing, as a function of the image alone (one call per image)."""
    target = wanted or ACTIVE

    def keep(image: Image) -> bool:
        current = image.status
        if current == ACTIVATING:
            current = status(image, now)  # finish a due restore first
        return wanted == ANY or current == target

    return keep


def detail_fields(image: Image, now: float, timestamp: Any) -> dict[str, Any]:
    """The ImageDetail members that describe the storage class state."""
    current = image.status
    fields: dict[str, Any] = {"imageStatus": current if current != ACTIVATING else status(image, now)}
    if image.last_archived_at is not None:
        fields["lastArchivedAt"] = timestamp(image.last_archived_at)
    if image.last_activated_at is not None:
        fields["lastActivatedAt"] = timestamp(image.last_activated_at)
    return fields
