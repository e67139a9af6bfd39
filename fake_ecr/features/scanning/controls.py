"""``fake.scans``: the control a test uses to decide what scans find and how long they take."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.features.scanning.decisions import (
    DEFAULT_FAILURE,
    Failure,
    FindingsSource,
    ScanConfigurationError,
    Scoped,
    normalise,
    settings_of,
)
from fake_ecr.features.scanning.scans import scan_of

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server


class ScanControls:
    """``fake.scans``: decide what scans find and how long they take.

    ``repository`` and ``image`` (a tag or digest) narrow a setting; the most specific setting
    wins, and among equals the latest. Settings apply in every region and account of the fake.
    """

    def __init__(self, server: Server) -> None:
        self._server = server

    def set_findings(
        self, findings: FindingsSource, *, repository: Optional[str] = None, image: Optional[str] = None
    ) -> None:
        """Findings for scans that complete from now on: a list of dicts or a function of a
        :class:`ScanTarget` returning one. A finding is ``{"name", "severity", "description",
        "uri", "attributes": {key: value}, "enhanced": {extra EnhancedImageScanFinding members}}``;
        only ``name`` is required (severity defaults to UNDEFINED)."""
        value: Any = findings if callable(findings) else [normalise(f) for f in findings]
        with self._server.lock:
            settings_of(self._server.backend).outcomes.append(Scoped(repository, image, value))

    def set_failure(
        self, description: str = DEFAULT_FAILURE, *, repository: Optional[str] = None, image: Optional[str] = None
    ) -> None:
        """Make matching scans end FAILED with ``description``."""
        with self._server.lock:
            settings_of(self._server.backend).outcomes.append(Scoped(repository, image, Failure(description)))

    def set_duration(
        self,
        *,
        calls: int = 0,
        seconds: float = 0.0,
        repository: Optional[str] = None,
        image: Optional[str] = None,
    ) -> None:
        """Keep matching scans IN_PROGRESS for ``calls`` DescribeImageScanFindings responses and
        until ``seconds`` have passed on the fake's clock (both, when both are given)."""
        if calls < 0 or seconds < 0:
            raise ScanConfigurationError("fake_ecr: scan durations cannot be negative")
        with self._server.lock:
            settings_of(self._server.backend).durations.append(Scoped(repository, image, (int(calls), float(seconds))))

    def status(self, repository: str, image: str, *, region: Optional[str] = None) -> Optional[str]:
        """The current scan status of ``image`` (tag or digest) as stored, or None if never scanned."""
        repo = self._server.repository(repository, region)
        with self._server.lock:
            found = repo.image_for_tag(image) or repo.image(image)
            scan = None if found is None else scan_of(repo, found)
            return None if scan is None else scan.status
