"""ECR image scanning: StartImageScan, DescribeImageScanFindings and the scanning configurations."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import ServiceError, repository_not_found
from fake_ecr.features.images.image_ids import describe_id, echo_id, require
from fake_ecr.features.scanning import configuration as scanning_config
from fake_ecr.features.scanning import scans as scanning
from fake_ecr.model import Image, Repository

operations = OperationTable()


def _image(call: Call, params: dict[str, Any]) -> tuple[Repository, Image]:
    repo = call.registry(params.get("registryId")).repository(params["repositoryName"])
    return repo, require(repo, params["imageId"], repo.name, repo.registry_id)


@operations.serves("ecr", "StartImageScan")
def start_image_scan(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo, image = _image(call, params)
    registry = scanning.registry_of(call, repo)
    if scanning_config.scan_type(registry) == scanning_config.ENHANCED:
        # With enhanced scanning Amazon Inspector scans; manual basic scans are switched off.
        raise ServiceError("ValidationException", "This feature is disabled")
    reason = scanning.unsupported_reason(image)
    if reason is not None:
        raise ServiceError("UnsupportedImageTypeException", reason)
    scanning.check_basic_limit(repo, image, call.now)
    scan = scanning.start(call, repo, image, enhanced=False)
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "imageId": echo_id(params["imageId"], image),
        "imageScanStatus": scanning.status_view(scan),
    }


@operations.serves("ecr", "DescribeImageScanFindings")
def describe_image_scan_findings(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo, image = _image(call, params)
    scan = scanning.observe(call, repo, image, poll=True)
    if scan is None:
        raise ServiceError(
            "ScanNotFoundException",
            f"Image scan does not exist for the image with '{describe_id(params['imageId'])}' in the "
            f"repository with name '{repo.name}' in the registry with id '{repo.registry_id}'",
        )
    result: dict[str, Any] = {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "imageId": echo_id(params["imageId"], image),
        "imageScanStatus": scanning.status_view(scan),
    }
    if not scan.has_findings:
        return result
    scope = f"DescribeImageScanFindings:{repo.registry_id}:{call.region}:{repo.name}:{image.digest}:{scan.completed_at}"
    page, next_token = pagination.page_of_list(scan.findings, params, scope)
    findings = result["imageScanFindings"] = scanning.summary_view(call, scan)
    if scan.enhanced:
        findings["enhancedFindings"] = [scanning.enhanced_finding(call, repo, image, scan, f) for f in page]
    else:
        findings["findings"] = [scanning.basic_finding(f) for f in page]
    if next_token is not None:
        result["nextToken"] = next_token
    return result


@operations.serves("ecr", "PutRegistryScanningConfiguration")
def put_registry_scanning_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    config = scanning_config.put_configuration(call.registry(), params.get("scanType"), params.get("rules"))
    return {"registryScanningConfiguration": config}


@operations.serves("ecr", "GetRegistryScanningConfiguration")
def get_registry_scanning_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    config = scanning_config.configuration(registry)
    return {
        "registryId": registry.registry_id,
        "scanningConfiguration": {"scanType": config["scanType"], "rules": [dict(r) for r in config["rules"]]},
    }


@operations.serves("ecr", "BatchGetRepositoryScanningConfiguration")
def batch_get_repository_scanning_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    configurations: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for name in params["repositoryNames"]:
        repo = registry.repositories.get(name)
        if repo is None:
            reason = repository_not_found(name, registry.registry_id).message
            failures.append({"repositoryName": name, "failureCode": "REPOSITORY_NOT_FOUND", "failureReason": reason})
            continue
        rule = scanning_config.applied_rule(registry, repo)
        configurations.append(
            {
                "repositoryArn": repo.arn,
                "repositoryName": repo.name,
                "scanOnPush": rule.scan_on_push,
                "scanFrequency": rule.frequency,
                "appliedScanFilters": rule.filters,
            }
        )
    return {"scanningConfigurations": configurations, "failures": failures}
