"""Image scans: their lifecycle, the findings tests choose, and the controller API to choose them.

A scan starts IN_PROGRESS (StartImageScan, or scan on push) and settles when it is next looked
at (DescribeImageScanFindings, DescribeImages) once its configured duration has passed: a number
of DescribeImageScanFindings calls and/or seconds of the fake's clock, both 0 by default. It then
becomes COMPLETE with the findings the test set (none by default), or FAILED if the test said so.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Optional, Union

from . import manifests, scanning_config
from .errors import FakeECRError, ServiceError
from .state import Image, Registry, Repository

if TYPE_CHECKING:
    from ._dispatch import Call
    from .mock import FakeECR

IN_PROGRESS = "IN_PROGRESS"
COMPLETE = "COMPLETE"
FAILED = "FAILED"
ACTIVE = "ACTIVE"
UNSUPPORTED_IMAGE = "UNSUPPORTED_IMAGE"

SEVERITIES = ("INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL", "UNDEFINED")
BASIC_SCAN_INTERVAL = 24 * 3600.0

_DESCRIPTIONS = {
    COMPLETE: "The scan was completed successfully.",
    ACTIVE: "Continuous scan is selected for image.",
}
_DEFAULT_FAILURE = "The scan failed."
_IMAGE_CONFIGS = ("application/vnd.docker.container.image.v1+json", "application/vnd.oci.image.config.v1+json")
_SCANS = "scanning.scans"
_SETTINGS = "scanning.settings"


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


class Scan:
    """The latest scan of one image."""

    __slots__ = (
        "image_seq", "enhanced", "final_status", "status", "description", "started_at",
        "completed_at", "polls_left", "ready_at", "findings",
    )

    def __init__(self, image: Image, *, enhanced: bool, final_status: str, started_at: float) -> None:
        self.image_seq = image.seq
        self.enhanced = enhanced
        self.final_status = final_status
        self.status = IN_PROGRESS
        self.description: Optional[str] = None
        self.started_at = started_at
        self.completed_at: Optional[float] = None
        self.polls_left = 0
        self.ready_at = started_at
        self.findings: list[dict[str, Any]] = []

    @property
    def has_findings(self) -> bool:
        return self.status in (COMPLETE, ACTIVE)


# -- settings a test controls ------------------------------------------------------------------


class _Scoped:
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


class _Settings:
    def __init__(self) -> None:
        self.outcomes: list[_Scoped] = []
        self.durations: list[_Scoped] = []


def _pick(options: list[_Scoped], target: ScanTarget) -> Any:
    best: Optional[_Scoped] = None
    best_rank = -1
    for option in options:  # later settings win among equally specific ones
        rank = option.specificity(target)
        if rank >= best_rank and rank >= 0:
            best, best_rank = option, rank
    return None if best is None else best.value


def _settings(fake: FakeECR) -> _Settings:
    settings = fake.backend.extras.get(_SETTINGS)
    if settings is None:
        settings = fake.backend.extras[_SETTINGS] = _Settings()
    return settings  # type: ignore[no-any-return]


def _normalise(finding: Any) -> dict[str, Any]:
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


class ScanControls:
    """``fake.scans``: decide what scans find and how long they take.

    ``repository`` and ``image`` (a tag or digest) narrow a setting; the most specific setting
    wins, and among equals the latest. Settings apply in every region and account of the fake.
    """

    def __init__(self, fake: FakeECR) -> None:
        self._fake = fake

    def set_findings(
        self, findings: FindingsSource, *, repository: Optional[str] = None, image: Optional[str] = None
    ) -> None:
        """Findings for scans that complete from now on: a list of dicts or a function of a
        :class:`ScanTarget` returning one. A finding is ``{"name", "severity", "description",
        "uri", "attributes": {key: value}, "enhanced": {extra EnhancedImageScanFinding members}}``;
        only ``name`` is required (severity defaults to UNDEFINED)."""
        value: Any = findings if callable(findings) else [_normalise(f) for f in findings]
        with self._fake.backend.lock:
            _settings(self._fake).outcomes.append(_Scoped(repository, image, value))

    def set_failure(
        self, description: str = _DEFAULT_FAILURE, *, repository: Optional[str] = None, image: Optional[str] = None
    ) -> None:
        """Make matching scans end FAILED with ``description``."""
        with self._fake.backend.lock:
            _settings(self._fake).outcomes.append(_Scoped(repository, image, _Failure(description)))

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
        with self._fake.backend.lock:
            _settings(self._fake).durations.append(_Scoped(repository, image, (int(calls), float(seconds))))

    def status(self, repository: str, image: str, *, region: Optional[str] = None) -> Optional[str]:
        """The current scan status of ``image`` (tag or digest) as stored, or None if never scanned."""
        repo = self._fake.repository(repository, region)
        with self._fake.backend.lock:
            found = repo.image_for_tag(image) or repo.image(image)
            scan = None if found is None else scan_of(repo, found)
            return None if scan is None else scan.status


class _Failure:
    __slots__ = ("description",)

    def __init__(self, description: str) -> None:
        self.description = description


# -- the lifecycle ------------------------------------------------------------------------------


def _target(repo: Repository, image: Image) -> ScanTarget:
    return ScanTarget(repo.registry_id, repo.region, repo.name, image.digest, tuple(image.tags))


def _scans(repo: Repository) -> dict[str, Scan]:
    return repo.extras.setdefault(_SCANS, {})  # type: ignore[no-any-return]


def scan_of(repo: Repository, image: Image) -> Optional[Scan]:
    """The image's latest scan (a scan of an earlier, deleted push of the same digest is gone)."""
    scan = _scans(repo).get(image.digest)
    return scan if scan is not None and scan.image_seq == image.seq else None


def unsupported_reason(image: Image) -> Optional[str]:
    """Why ECR refuses to scan ``image`` (indexes and non-image artifacts), or None."""
    if image.manifest_media_type in (manifests.DOCKER_MANIFEST_LIST, manifests.OCI_INDEX):
        media_type: Optional[str] = image.manifest_media_type
    elif image.artifact_media_type and image.artifact_media_type not in _IMAGE_CONFIGS:
        media_type = image.artifact_media_type
    else:
        return None
    return (
        f"An artifact with media type '{media_type}' cannot be scanned. "
        "For more information, see the Amazon ECR documentation."
    )


def start(call: Call, repo: Repository, image: Image, *, enhanced: bool, final_status: str = COMPLETE) -> Scan:
    """Begin a scan of ``image`` now, with the duration the test configured."""
    scan = Scan(image, enhanced=enhanced, final_status=final_status, started_at=call.now)
    calls, seconds = _pick(_settings(call.fake).durations, _target(repo, image)) or (0, 0.0)
    scan.polls_left = calls
    scan.ready_at = call.now + seconds
    _scans(repo)[image.digest] = scan
    return scan


def record_unsupported(call: Call, repo: Repository, image: Image, reason: str) -> None:
    scan = start(call, repo, image, enhanced=False)
    scan.status, scan.description = UNSUPPORTED_IMAGE, reason


def check_basic_limit(repo: Repository, image: Image, now: float) -> None:
    """A basic scan runs at most once per image per 24 hours, scan on push included."""
    scan = scan_of(repo, image)
    if scan is not None and not scan.enhanced and now - scan.started_at < BASIC_SCAN_INTERVAL:
        raise ServiceError(
            "LimitExceededException", "The scan quota per image has been exceeded. Wait and try again."
        )


def observe(call: Call, repo: Repository, image: Image, *, poll: bool = False) -> Optional[Scan]:
    """The image's scan as a caller sees it now; ``poll`` counts a DescribeImageScanFindings call."""
    scan = scan_of(repo, image)
    if scan is None or scan.status != IN_PROGRESS:
        return scan
    if scan.polls_left > 0:
        if poll:
            scan.polls_left -= 1
        return scan
    if call.now >= scan.ready_at:
        _settle(call, repo, image, scan)
    return scan


def _settle(call: Call, repo: Repository, image: Image, scan: Scan) -> None:
    target = _target(repo, image)
    outcome = _pick(_settings(call.fake).outcomes, target)
    scan.completed_at = call.now
    if isinstance(outcome, _Failure):
        scan.status, scan.description = FAILED, outcome.description
        return
    if callable(outcome):
        found = [_normalise(f) for f in outcome(target)]
    else:
        found = list(outcome or [])
    scan.findings = found
    scan.status = scan.final_status
    scan.description = _DESCRIPTIONS[scan.final_status]


def start_on_push(call: Call, repo: Repository, image: Image, tag: Any) -> None:
    """``extensions.image_pushed``: scan a newly stored image if the repository scans on push."""
    if scan_of(repo, image) is not None:
        return  # a re-tag is not a new push of the image
    registry = registry_of(call, repo)
    rule = scanning_config.applied_rule(registry, repo)
    if not rule.scan_on_push:
        return
    reason = unsupported_reason(image)
    if reason is not None:
        record_unsupported(call, repo, image, reason)
        return
    enhanced = scanning_config.scan_type(registry) == scanning_config.ENHANCED
    continuous = rule.frequency == scanning_config.CONTINUOUS_SCAN
    start(call, repo, image, enhanced=enhanced, final_status=ACTIVE if continuous else COMPLETE)


# -- rendering ----------------------------------------------------------------------------------


def status_view(scan: Scan) -> dict[str, str]:
    view = {"status": scan.status}
    if scan.description is not None:
        view["description"] = scan.description
    return view


def severity_counts(scan: Scan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in scan.findings:
        severity = _enhanced_severity(finding) if scan.enhanced else finding["severity"]
        counts[severity] = counts.get(severity, 0) + 1
    return counts


def summary_view(call: Call, scan: Scan) -> dict[str, Any]:
    """``imageScanFindingsSummary`` of DescribeImages (also the head of the findings response)."""
    assert scan.completed_at is not None
    return {
        "imageScanCompletedAt": call.timestamp(scan.completed_at),
        "vulnerabilitySourceUpdatedAt": call.timestamp(scan.completed_at),
        "findingSeverityCounts": severity_counts(scan),
    }


def basic_finding(finding: dict[str, Any]) -> dict[str, Any]:
    view = {"name": finding["name"], "severity": finding["severity"], "attributes": list(finding["attributes"])}
    for key in ("description", "uri"):
        if key in finding:
            view[key] = finding[key]
    return view


def _enhanced_severity(finding: dict[str, Any]) -> str:
    # Amazon Inspector calls a severity it could not determine UNTRIAGED.
    return "UNTRIAGED" if finding["severity"] == "UNDEFINED" else str(finding["severity"])


def enhanced_finding(call: Call, repo: Repository, image: Image, scan: Scan, finding: dict[str, Any]) -> dict[str, Any]:
    """An Amazon Inspector style finding built from the test's finding."""
    seen = call.timestamp(scan.completed_at or call.now)
    attributes = {a["key"]: a["value"] for a in finding["attributes"]}
    package = {k: attributes[a] for k, a in (("name", "package_name"), ("version", "package_version")) if a in attributes}
    key = hashlib.sha256(f"{image.digest}/{finding['name']}".encode()).hexdigest()[:32]
    details: dict[str, Any] = {"vulnerabilityId": finding["name"], "source": "NVD"}
    if package:
        details["vulnerablePackages"] = [package]
    if "uri" in finding:
        details["sourceUrl"] = finding["uri"]
        details["referenceUrls"] = [finding["uri"]]
    view: dict[str, Any] = {
        "awsAccountId": repo.registry_id,
        "findingArn": f"arn:aws:inspector2:{repo.region}:{repo.registry_id}:finding/{key}",
        "firstObservedAt": seen,
        "lastObservedAt": seen,
        "updatedAt": seen,
        "severity": _enhanced_severity(finding),
        "status": "ACTIVE",
        "title": finding["name"],
        "type": "PACKAGE_VULNERABILITY",
        "packageVulnerabilityDetails": details,
        "resources": [
            {
                "id": f"arn:aws:ecr:{repo.region}:{repo.registry_id}:repository/{repo.name}/{image.digest}",
                "type": "AWS_ECR_CONTAINER_IMAGE",
                "details": {
                    "awsEcrContainerImage": {
                        "imageHash": image.digest,
                        "imageTags": list(image.tags),
                        "pushedAt": call.timestamp(image.pushed_at),
                        "registry": repo.registry_id,
                        "repositoryName": repo.name,
                    }
                },
            }
        ],
    }
    if "description" in finding:
        view["description"] = finding["description"]
    view.update(finding.get("enhanced") or {})
    return view


def image_detail(call: Call, repo: Repository, image: Image, detail: dict[str, Any]) -> None:
    """``extensions.image_detail``: DescribeImages shows the scan status and summary."""
    scan = observe(call, repo, image)
    if scan is None:
        return
    detail["imageScanStatus"] = status_view(scan)
    if scan.has_findings:
        detail["imageScanFindingsSummary"] = summary_view(call, scan)


def registry_of(call: Call, repo: Repository) -> Registry:
    return call.backend.registry(repo.registry_id, repo.region)
