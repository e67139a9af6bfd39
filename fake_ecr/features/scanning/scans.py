"""Image scans: their lifecycle, per-image state, and how ECR shows them.

A scan starts IN_PROGRESS (StartImageScan, or scan on push) and settles when it is next looked
at (DescribeImageScanFindings, DescribeImages) once its configured duration has passed: a number
of DescribeImageScanFindings calls and/or seconds of the fake's clock, both 0 by default. It then
becomes COMPLETE with the findings the test set (none by default), or FAILED if the test said so
(see :mod:`fake_ecr.features.scanning.decisions`).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.aws.partitions import arn
from fake_ecr.errors import ServiceError
from fake_ecr.features.scanning import configuration as scanning_config
from fake_ecr.features.scanning.decisions import ScanTarget, duration_for, outcome_for
from fake_ecr.model import Image, Registry, Repository, manifests

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

IN_PROGRESS = "IN_PROGRESS"
COMPLETE = "COMPLETE"
FAILED = "FAILED"
ACTIVE = "ACTIVE"
UNSUPPORTED_IMAGE = "UNSUPPORTED_IMAGE"

BASIC_SCAN_INTERVAL = 24 * 3600.0

_DESCRIPTIONS = {
    COMPLETE: "The scan was completed successfully.",
    ACTIVE: "Continuous scan is selected for image.",
}
_IMAGE_CONFIGS = ("application/vnd.docker.container.image.v1+json", "application/vnd.oci.image.config.v1+json")


class Scan:
    """The latest scan of one image."""

    __slots__ = (
        "image_seq",
        "enhanced",
        "final_status",
        "status",
        "description",
        "started_at",
        "completed_at",
        "polls_left",
        "ready_at",
        "findings",
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
        """Whether the scan has settled with findings to report (possibly none)."""
        return self.status in (COMPLETE, ACTIVE)


# -- the lifecycle ------------------------------------------------------------------------------


class ImageScans:
    """Repository state: each digest's latest scan."""

    def __init__(self) -> None:
        self.by_digest: dict[str, Scan] = {}


def _target(repo: Repository, image: Image) -> ScanTarget:
    return ScanTarget(repo.registry_id, repo.region, repo.name, image.digest, tuple(image.tags))


def _scans(repo: Repository) -> dict[str, Scan]:
    return repo.state(ImageScans).by_digest


def scan_of(repo: Repository, image: Image) -> Optional[Scan]:
    """The image's latest scan (a scan of an earlier, deleted push of the same digest is gone)."""
    if not repo.has_state(ImageScans):
        return None
    scans = repo.state(ImageScans).by_digest
    scan = scans.get(image.digest)
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
    calls, seconds = duration_for(call.backend, _target(repo, image))
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
        raise ServiceError("LimitExceededException", "The scan quota per image has been exceeded. Wait and try again.")


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
    failure, scan.findings = outcome_for(call.backend, _target(repo, image))
    scan.completed_at = call.now
    if failure is not None:
        scan.status, scan.description = FAILED, failure
        return
    scan.status = scan.final_status
    scan.description = _DESCRIPTIONS[scan.final_status]


def start_on_push(call: Call, repo: Repository, image: Image, tag: Any) -> None:
    """``IMAGE_PUSHED``: scan a newly stored image if the repository scans on push."""
    registry = registry_of(call, repo)
    if not repo.scan_on_push and not (
        # A registry whose scanning was never configured has no rules (the default has none).
        registry.has_state(scanning_config.ScanningConfiguration) and scanning_config.configuration(registry)["rules"]
    ):
        return  # what applied_rule answers (MANUAL) without its work: the common case
    if scan_of(repo, image) is not None:
        return  # a re-tag is not a new push of the image
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
    """Counts by ECR's FindingSeverity (also for enhanced scans, whose findings say UNTRIAGED)."""
    counts: dict[str, int] = {}
    for finding in scan.findings:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
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
    package = {
        k: attributes[a] for k, a in (("name", "package_name"), ("version", "package_version")) if a in attributes
    }
    key = hashlib.sha256(f"{image.digest}/{finding['name']}".encode()).hexdigest()[:32]
    details: dict[str, Any] = {"vulnerabilityId": finding["name"], "source": "NVD"}
    if package:
        details["vulnerablePackages"] = [package]
    if "uri" in finding:
        details["sourceUrl"] = finding["uri"]
        details["referenceUrls"] = [finding["uri"]]
    view: dict[str, Any] = {
        "awsAccountId": repo.registry_id,
        "findingArn": arn("inspector2", repo.region, repo.registry_id, f"finding/{key}"),
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
                "id": f"{repo.arn}/{image.digest}",
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


def image_details(call: Call, repo: Repository, images: list[Image], details: list[dict[str, Any]]) -> None:
    """``IMAGE_DETAILS``: DescribeImages shows each image's scan status and summary."""
    if not repo.has_state(ImageScans):
        return  # nothing was ever scanned here
    for image, detail in zip(images, details):
        scan = observe(call, repo, image)
        if scan is None:
            continue
        detail["imageScanStatus"] = status_view(scan)
        if scan.has_findings:
            detail["imageScanFindingsSummary"] = summary_view(call, scan)


def registry_of(call: Call, repo: Repository) -> Registry:
    return call.backend.registry(repo.registry_id, repo.region)
