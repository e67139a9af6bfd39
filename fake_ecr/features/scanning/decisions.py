"""What image scans find and how long they take, as a test decided through ``fake.scans``.

Settings are kept in the fake's model (so ``fake.reset()`` forgets them) and read by
:mod:`fake_ecr.features.scanning.scans` when a scan starts (its duration) and when it settles (its outcome).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Union

from fake_ecr.errors import FakeECRError

if TYPE_CHECKING:
    from fake_ecr.model import Backend

SEVERITIES = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL", "UNDEFINED")
DEFAULT_FAILURE = "The scan failed."


class ScanConfigurationError(FakeECRError, ValueError):
    """Findings or settings given to ``fake.scans`` that ECR could never report."""


class ScanTarget(NamedTuple):
    """The image a findings function is asked about."""

    registry_id: str
    region: str
    repository: str
    digest: str
    tags: tuple[str, ...]


FindingsSource = Union[Iterable[dict[str, Any]], Callable[[ScanTarget], Iterable[dict[str, Any]]]]


class Scoped:
    """A setting for every image, one repository, or one image (tag or digest) of it."""

    __slots__ = ("repository", "image", "value")

    def __init__(self, repository: Optional[str], image: Optional[str], value: Any) -> None:
        if image is not None and repository is None:
            raise ScanConfigurationError("fake_ecr: give the repository of the image as well")
        self.repository = repository
        self.image = image
        self.value = value

    def specificity(self, target: ScanTarget) -> int:
        """-1 if it does not apply; higher is more specific."""
        if self.repository is not None and self.repository != target.repository:
            return -1
        if self.image is not None and self.image != target.digest and self.image not in target.tags:
            return -1
        return (self.repository is not None) + 2 * (self.image is not None)


class ScanSettings:
    """Backend state set through ``fake.scans``: scoped outcomes and durations, latest last."""

    def __init__(self) -> None:
        self.outcomes: list[Scoped] = []
        self.durations: list[Scoped] = []


def _pick(options: list[Scoped], target: ScanTarget) -> Any:
    best: Optional[Scoped] = None
    best_rank = -1
    for option in options:  # later settings win among equally specific ones
        rank = option.specificity(target)
        if rank >= best_rank and rank >= 0:
            best, best_rank = option, rank
    return None if best is None else best.value


def settings_of(backend: Backend) -> ScanSettings:
    return backend.state(ScanSettings)


def normalise(finding: Any) -> dict[str, Any]:
    if not isinstance(finding, dict) or not isinstance(finding.get("name"), str):
        raise ScanConfigurationError(f"fake_ecr: a finding needs a 'name' string, got {finding!r}")
    severity = finding.get("severity", "UNDEFINED")
    if severity not in SEVERITIES:
        raise ScanConfigurationError(
            f"fake_ecr: finding severity must be one of {', '.join(SEVERITIES)}, got {severity!r}"
        )
    attributes = finding.get("attributes") or {}
    if isinstance(attributes, dict):
        attributes = [{"key": str(k), "value": str(v)} for k, v in attributes.items()]
    spec = {"name": finding["name"], "severity": severity, "attributes": list(attributes)}
    for key in ("description", "uri", "enhanced"):
        if finding.get(key) is not None:
            spec[key] = finding[key]
    return spec


class Failure:
    """The outcome "this scan fails"."""

    __slots__ = ("description",)

    def __init__(self, description: str) -> None:
        self.description = description


def duration_for(backend: Backend, target: ScanTarget) -> tuple[int, float]:
    """(DescribeImageScanFindings calls, clock seconds) a scan of ``target`` stays IN_PROGRESS."""
    return _pick(settings_of(backend).durations, target) or (0, 0.0)


def outcome_for(backend: Backend, target: ScanTarget) -> tuple[Optional[str], list[dict[str, Any]]]:
    """(failure description or None, findings) of a scan of ``target`` that settles now."""
    outcome = _pick(settings_of(backend).outcomes, target)
    if isinstance(outcome, Failure):
        return outcome.description, []
    if callable(outcome):
        return None, [normalise(f) for f in outcome(target)]
    return None, list(outcome or [])
