"""Image scanning: StartImageScan, DescribeImageScanFindings, scan on push, the waiter, controls."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError, WaiterError
from helpers import index, manifest, without_blobs

from fake_ecr import push_image

CRITICAL = {
    "name": "CVE-2024-0001",
    "severity": "CRITICAL",
    "uri": "https://example.com/CVE-2024-0001",
    "description": "heap overflow",
    "attributes": {"package_name": "openssl", "package_version": "3.0.1"},
}
LOW = {"name": "CVE-2024-0002", "severity": "LOW"}


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _findings(client, repo: str = "app", **image_id):
    return client.describe_image_scan_findings(repositoryName=repo, imageId=image_id or {"imageTag": "latest"})


# -- StartImageScan and the default outcome --------------------------------------------------------


def test_start_scan_is_in_progress_then_complete_without_findings(ecr_client, repo):
    digest = push_image(ecr_client, repo, "latest")
    started = ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    assert started["imageScanStatus"] == {"status": "IN_PROGRESS"}
    assert started["imageId"] == {"imageDigest": digest, "imageTag": "latest"}
    assert started["registryId"] == "123456789012" and started["repositoryName"] == repo

    result = _findings(ecr_client)
    assert result["imageScanStatus"] == {"status": "COMPLETE", "description": "The scan was completed successfully."}
    findings = result["imageScanFindings"]
    assert findings["findings"] == [] and findings["findingSeverityCounts"] == {}
    assert isinstance(findings["imageScanCompletedAt"], datetime)
    assert findings["imageScanCompletedAt"].tzinfo is not None
    assert "enhancedFindings" not in findings


def test_start_scan_by_digest_echoes_digest_only(ecr_client, repo):
    digest = push_image(ecr_client, repo, "latest")
    started = ecr_client.start_image_scan(repositoryName=repo, imageId={"imageDigest": digest})
    assert started["imageId"] == {"imageDigest": digest}


def test_start_scan_errors(ecr_client, repo):
    push_image(ecr_client, repo, "latest")
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName="missing", imageId={"imageTag": "latest"})
    assert _code(exc) == "RepositoryNotFoundException"
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "nope"})
    assert _code(exc) == "ImageNotFoundException"
    assert "imageTag:'nope'" in exc.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageDigest": "not-a-digest"})
    assert _code(exc) == "InvalidParameterException"


def test_basic_scan_runs_once_per_image_per_day(fake_ecr, ecr_client, repo):
    fake_ecr.clock.freeze()
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    assert _code(exc) == "LimitExceededException"
    fake_ecr.clock.advance(timedelta(hours=23, minutes=59))
    with pytest.raises(ClientError):
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    fake_ecr.clock.advance(timedelta(minutes=1))
    assert (
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})["imageScanStatus"]["status"]
        == "IN_PROGRESS"
    )


def test_scan_on_push_counts_toward_the_daily_limit(ecr_client):
    ecr_client.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True})
    push_image(ecr_client, "scanned", "latest")
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName="scanned", imageId={"imageTag": "latest"})
    assert _code(exc) == "LimitExceededException"


@without_blobs
def test_indexes_and_non_image_artifacts_cannot_be_scanned(ecr_client, repo):
    child = manifest("child")
    ecr_client.put_image(repositoryName=repo, imageManifest=child)
    ecr_client.put_image(repositoryName=repo, imageManifest=index([child]), imageTag="multi")
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "multi"})
    assert _code(exc) == "UnsupportedImageTypeException"
    assert "application/vnd.oci.image.index.v1+json" in exc.value.response["Error"]["Message"]

    helm = manifest(
        "chart",
        media_type="application/vnd.oci.image.manifest.v1+json",
        config_media_type="application/vnd.cncf.helm.config.v1+json",
    )
    ecr_client.put_image(repositoryName=repo, imageManifest=helm, imageTag="chart")
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "chart"})
    assert _code(exc) == "UnsupportedImageTypeException"


@without_blobs
def test_unsupported_image_pushed_to_scan_on_push_repository_is_marked(ecr_client):
    ecr_client.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True})
    child = manifest("child")
    ecr_client.put_image(repositoryName="scanned", imageManifest=child, imageTag="child")
    ecr_client.put_image(repositoryName="scanned", imageManifest=index([child]), imageTag="multi")
    status = _findings(ecr_client, "scanned", imageTag="multi")["imageScanStatus"]
    assert status["status"] == "UNSUPPORTED_IMAGE"
    assert _findings(ecr_client, "scanned", imageTag="child")["imageScanStatus"]["status"] == "COMPLETE"


# -- DescribeImageScanFindings -----------------------------------------------------------------------


def test_findings_of_an_unscanned_image_are_not_found(ecr_client, repo):
    push_image(ecr_client, repo, "latest")
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client)
    assert _code(exc) == "ScanNotFoundException"


def test_findings_errors_for_missing_image_and_repository(ecr_client, repo):
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client)
    assert _code(exc) == "ImageNotFoundException"
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client, "missing")
    assert _code(exc) == "RepositoryNotFoundException"


def test_controlled_findings_and_severity_counts(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_findings([CRITICAL, LOW, {"name": "CVE-3", "severity": "LOW"}], repository=repo)
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    findings = _findings(ecr_client)["imageScanFindings"]
    assert findings["findingSeverityCounts"] == {"CRITICAL": 1, "LOW": 2}
    assert findings["findings"][0] == {
        "name": "CVE-2024-0001",
        "severity": "CRITICAL",
        "uri": "https://example.com/CVE-2024-0001",
        "description": "heap overflow",
        "attributes": [{"key": "package_name", "value": "openssl"}, {"key": "package_version", "value": "3.0.1"}],
    }
    assert findings["findings"][1] == {"name": "CVE-2024-0002", "severity": "LOW", "attributes": []}


def test_image_setting_beats_repository_setting_and_default(fake_ecr, ecr_client, repo):
    ecr_client.create_repository(repositoryName="other")
    fake_ecr.scans.set_findings([LOW])
    fake_ecr.scans.set_findings([CRITICAL], repository=repo)
    fake_ecr.scans.set_findings([], repository=repo, image="clean")
    push_image(ecr_client, repo, "latest")
    push_image(ecr_client, repo, "clean")
    push_image(ecr_client, "other", "latest")
    for name, tag in ((repo, "latest"), (repo, "clean"), ("other", "latest")):
        ecr_client.start_image_scan(repositoryName=name, imageId={"imageTag": tag})
    assert _findings(ecr_client)["imageScanFindings"]["findingSeverityCounts"] == {"CRITICAL": 1}
    assert _findings(ecr_client, imageTag="clean")["imageScanFindings"]["findings"] == []
    assert _findings(ecr_client, "other")["imageScanFindings"]["findingSeverityCounts"] == {"LOW": 1}


def test_findings_from_a_function(fake_ecr, ecr_client, repo):
    seen = []

    def produce(target):
        seen.append(target)
        return [{"name": f"CVE-{target.repository}", "severity": "HIGH"}]

    fake_ecr.scans.set_findings(produce)
    digest = push_image(ecr_client, repo, "v1")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "v1"})
    assert _findings(ecr_client, imageTag="v1")["imageScanFindings"]["findings"][0]["name"] == f"CVE-{repo}"
    assert seen[0].digest == digest and seen[0].tags == ("v1",) and seen[0].region == "us-east-1"


def test_invalid_findings_are_refused_by_the_controller(fake_ecr):
    with pytest.raises(ValueError, match="severity"):
        fake_ecr.scans.set_findings([{"name": "CVE-1", "severity": "SEVERE"}])
    with pytest.raises(ValueError, match="name"):
        fake_ecr.scans.set_findings([{"severity": "LOW"}])
    with pytest.raises(ValueError, match="repository"):
        fake_ecr.scans.set_findings([], image="latest")


def test_findings_pagination(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_findings([{"name": f"CVE-{i}", "severity": "MEDIUM"} for i in range(5)])
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    first = ecr_client.describe_image_scan_findings(repositoryName=repo, imageId={"imageTag": "latest"}, maxResults=2)
    assert [f["name"] for f in first["imageScanFindings"]["findings"]] == ["CVE-0", "CVE-1"]
    assert first["imageScanFindings"]["findingSeverityCounts"] == {"MEDIUM": 5}
    second = ecr_client.describe_image_scan_findings(
        repositoryName=repo, imageId={"imageTag": "latest"}, maxResults=2, nextToken=first["nextToken"]
    )
    assert [f["name"] for f in second["imageScanFindings"]["findings"]] == ["CVE-2", "CVE-3"]
    paginator = ecr_client.get_paginator("describe_image_scan_findings")
    pages = list(
        paginator.paginate(repositoryName=repo, imageId={"imageTag": "latest"}, PaginationConfig={"PageSize": 2})
    )
    assert len(pages) == 3 and "nextToken" not in pages[-1]
    merged = paginator.paginate(repositoryName=repo, imageId={"imageTag": "latest"}).build_full_result()
    assert len(merged["imageScanFindings"]["findings"]) == 5
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_scan_findings(repositoryName=repo, imageId={"imageTag": "latest"}, nextToken="bogus")
    assert _code(exc) == "InvalidParameterException"


# -- how long a scan takes, and the waiter ---------------------------------------------------------


def test_scan_stays_in_progress_for_configured_calls(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_duration(calls=2)
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    statuses = [_findings(ecr_client)["imageScanStatus"]["status"] for _ in range(3)]
    assert statuses == ["IN_PROGRESS", "IN_PROGRESS", "COMPLETE"]
    assert "imageScanFindings" not in ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]


def test_scan_stays_in_progress_for_configured_clock_time(fake_ecr, ecr_client, repo):
    fake_ecr.clock.freeze()
    fake_ecr.scans.set_duration(seconds=30, repository=repo)
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    assert _findings(ecr_client)["imageScanStatus"]["status"] == "IN_PROGRESS"
    assert fake_ecr.scans.status(repo, "latest") == "IN_PROGRESS"
    fake_ecr.clock.advance(30)
    assert _findings(ecr_client)["imageScanStatus"]["status"] == "COMPLETE"
    with pytest.raises(ValueError):
        fake_ecr.scans.set_duration(calls=-1)


def test_waiter_waits_for_the_scan(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_duration(calls=3)
    fake_ecr.scans.set_findings([CRITICAL])
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    waiter = ecr_client.get_waiter("image_scan_complete")
    waiter.wait(repositoryName=repo, imageId={"imageTag": "latest"}, WaiterConfig={"Delay": 0, "MaxAttempts": 5})
    calls = [c for c in fake_ecr.calls if c.operation == "DescribeImageScanFindings"]
    assert len(calls) == 4
    assert _findings(ecr_client)["imageScanFindings"]["findingSeverityCounts"] == {"CRITICAL": 1}


def test_waiter_fails_on_a_failed_scan(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_failure("scanner exploded", repository=repo)
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    with pytest.raises(WaiterError, match="failure state"):
        ecr_client.get_waiter("image_scan_complete").wait(
            repositoryName=repo, imageId={"imageTag": "latest"}, WaiterConfig={"Delay": 0}
        )
    result = _findings(ecr_client)
    assert result["imageScanStatus"] == {"status": "FAILED", "description": "scanner exploded"}
    assert "imageScanFindings" not in result


def test_waiter_gives_up_while_scan_is_in_progress(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_duration(calls=10)
    push_image(ecr_client, repo, "latest")
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    with pytest.raises(WaiterError, match="Max attempts"):
        ecr_client.get_waiter("image_scan_complete").wait(
            repositoryName=repo, imageId={"imageTag": "latest"}, WaiterConfig={"Delay": 0, "MaxAttempts": 3}
        )


# -- DescribeImages -------------------------------------------------------------------------------


def test_describe_images_shows_scan_status_and_summary(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_findings([CRITICAL, LOW])
    push_image(ecr_client, repo, "latest")
    detail = ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]
    assert "imageScanStatus" not in detail and "imageScanFindingsSummary" not in detail
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    detail = ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]
    assert detail["imageScanStatus"]["status"] == "COMPLETE"
    summary = detail["imageScanFindingsSummary"]
    assert summary["findingSeverityCounts"] == {"CRITICAL": 1, "LOW": 1}
    assert summary["imageScanCompletedAt"].tzinfo is not None
    assert summary["vulnerabilitySourceUpdatedAt"].tzinfo is not None


# -- scan on push -------------------------------------------------------------------------------------


def test_repository_scan_on_push(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True})
    ecr_client.create_repository(repositoryName="manual")
    push_image(ecr_client, "scanned", "latest")
    push_image(ecr_client, "manual", "latest")
    assert _findings(ecr_client, "scanned")["imageScanStatus"]["status"] == "COMPLETE"
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client, "manual")
    assert _code(exc) == "ScanNotFoundException"


def test_retagging_does_not_scan_again_but_a_new_push_after_delete_does(fake_ecr, ecr_client):
    fake_ecr.clock.freeze()
    ecr_client.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True})
    same = [b"one layer"]
    push_image(ecr_client, "scanned", "v1", layers=same)
    first = _findings(ecr_client, "scanned", imageTag="v1")["imageScanFindings"]["imageScanCompletedAt"]
    fake_ecr.clock.advance(60)
    push_image(ecr_client, "scanned", "v2", layers=same)  # same manifest, new tag
    assert _findings(ecr_client, "scanned", imageTag="v2")["imageScanFindings"]["imageScanCompletedAt"] == first
    ecr_client.batch_delete_image(repositoryName="scanned", imageIds=[{"imageTag": "v1"}, {"imageTag": "v2"}])
    ecr_client.put_image_scanning_configuration(
        repositoryName="scanned", imageScanningConfiguration={"scanOnPush": False}
    )
    push_image(ecr_client, "scanned", "v3", layers=same)
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client, "scanned", imageTag="v3")
    assert _code(exc) == "ScanNotFoundException"


def test_registry_scan_on_push_filters(ecr_client):
    for name in ("repo-prod", "prodrepo", "dev"):
        ecr_client.create_repository(repositoryName=name)
    ecr_client.put_registry_scanning_configuration(
        scanType="BASIC",
        rules=[
            {
                "scanFrequency": "SCAN_ON_PUSH",
                "repositoryFilters": [
                    {"filter": "prod*", "filterType": "WILDCARD"},
                    {"filter": "dev", "filterType": "WILDCARD"},
                ],
            }
        ],
    )
    for name in ("repo-prod", "prodrepo", "dev"):
        push_image(ecr_client, name, "latest")
    assert _findings(ecr_client, "prodrepo")["imageScanStatus"]["status"] == "COMPLETE"
    assert _findings(ecr_client, "dev")["imageScanStatus"]["status"] == "COMPLETE"
    with pytest.raises(ClientError):
        _findings(ecr_client, "repo-prod")  # "prod*" must match the whole name


def test_enhanced_scanning_on_push_reports_inspector_findings(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="svc")
    ecr_client.put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}],
    )
    fake_ecr.scans.set_findings([CRITICAL, {"name": "CVE-9", "enhanced": {"score": 9.8}}])
    digest = push_image(ecr_client, "svc", "latest")
    result = _findings(ecr_client, "svc")
    assert result["imageScanStatus"]["status"] == "COMPLETE"
    findings = result["imageScanFindings"]
    assert "findings" not in findings
    assert findings["findingSeverityCounts"] == {"CRITICAL": 1, "UNDEFINED": 1}
    first, second = findings["enhancedFindings"]
    assert first["title"] == "CVE-2024-0001" and first["severity"] == "CRITICAL" and first["status"] == "ACTIVE"
    assert first["awsAccountId"] == "123456789012"
    assert first["findingArn"].startswith("arn:aws:inspector2:us-east-1:123456789012:finding/")
    assert first["packageVulnerabilityDetails"]["vulnerablePackages"] == [{"name": "openssl", "version": "3.0.1"}]
    image = first["resources"][0]["details"]["awsEcrContainerImage"]
    assert image["imageHash"] == digest and image["repositoryName"] == "svc"
    assert second["score"] == 9.8 and second["severity"] == "UNTRIAGED"


def test_enhanced_continuous_scanning_is_active_and_manual_scans_are_refused(ecr_client):
    ecr_client.create_repository(repositoryName="svc")
    ecr_client.put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[
            {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "svc", "filterType": "WILDCARD"}]}
        ],
    )
    push_image(ecr_client, "svc", "latest")
    assert _findings(ecr_client, "svc")["imageScanStatus"] == {
        "status": "ACTIVE",
        "description": "Continuous scan is selected for image.",
    }
    with pytest.raises(ClientError) as exc:
        ecr_client.start_image_scan(repositoryName="svc", imageId={"imageTag": "latest"})
    assert _code(exc) == "ValidationException"


# -- registry and repository scanning configuration -----------------------------------------------------


def test_registry_scanning_configuration_defaults_and_round_trip(ecr_client):
    default = ecr_client.get_registry_scanning_configuration()
    assert default["registryId"] == "123456789012"
    assert default["scanningConfiguration"] == {"scanType": "BASIC", "rules": []}
    rules = [
        {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod-*", "filterType": "WILDCARD"}]},
        {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]},
    ]
    put = ecr_client.put_registry_scanning_configuration(scanType="ENHANCED", rules=rules)
    assert put["registryScanningConfiguration"] == {"scanType": "ENHANCED", "rules": rules}
    assert ecr_client.get_registry_scanning_configuration()["scanningConfiguration"] == {
        "scanType": "ENHANCED",
        "rules": rules,
    }
    ecr_client.put_registry_scanning_configuration(scanType="BASIC")
    assert ecr_client.get_registry_scanning_configuration()["scanningConfiguration"]["rules"] == []


def test_registry_scanning_configuration_validation(ecr_client):
    def put(scan_type, *frequencies):
        rules = [
            {"scanFrequency": f, "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]} for f in frequencies
        ]
        return ecr_client.put_registry_scanning_configuration(scanType=scan_type, rules=rules)

    for scan_type, frequencies in (
        ("BASIC", ["CONTINUOUS_SCAN"]),
        ("ENHANCED", ["MANUAL"]),
        ("BASIC", ["SCAN_ON_PUSH", "SCAN_ON_PUSH"]),
    ):
        with pytest.raises(ClientError) as exc:
            put(scan_type, *frequencies)
        assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        ecr_client.put_registry_scanning_configuration(
            rules=[
                {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "UPPER", "filterType": "WILDCARD"}]}
            ]
        )
    assert _code(exc) == "InvalidParameterException"


def test_batch_get_repository_scanning_configuration(ecr_client):
    for name in ("prod-api", "prod-web", "dev-api"):
        ecr_client.create_repository(repositoryName=name)
    ecr_client.put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[
            {"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*api", "filterType": "WILDCARD"}]},
            {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod", "filterType": "WILDCARD"}]},
        ],
    )
    result = ecr_client.batch_get_repository_scanning_configuration(
        repositoryNames=["prod-api", "dev-api", "prod-web", "ghost"]
    )
    by_name = {c["repositoryName"]: c for c in result["scanningConfigurations"]}
    assert by_name["prod-api"] == {
        "repositoryArn": "arn:aws:ecr:us-east-1:123456789012:repository/prod-api",
        "repositoryName": "prod-api",
        "scanOnPush": True,
        "scanFrequency": "CONTINUOUS_SCAN",  # continuous wins over scan on push
        "appliedScanFilters": [{"filter": "prod", "filterType": "WILDCARD"}],
    }
    assert by_name["dev-api"]["scanFrequency"] == "SCAN_ON_PUSH"
    assert by_name["dev-api"]["appliedScanFilters"] == [{"filter": "*api", "filterType": "WILDCARD"}]
    assert by_name["prod-web"]["scanFrequency"] == "CONTINUOUS_SCAN"
    assert result["failures"] == [
        {
            "repositoryName": "ghost",
            "failureCode": "REPOSITORY_NOT_FOUND",
            "failureReason": "The repository with name 'ghost' does not exist in the registry with id '123456789012'",
        }
    ]


def test_batch_get_repository_scanning_configuration_basic_defaults(ecr_client):
    ecr_client.create_repository(repositoryName="flagged", imageScanningConfiguration={"scanOnPush": True})
    ecr_client.create_repository(repositoryName="plain")
    result = ecr_client.batch_get_repository_scanning_configuration(repositoryNames=["flagged", "plain"])
    flagged, plain = result["scanningConfigurations"]
    assert (flagged["scanOnPush"], flagged["scanFrequency"], flagged["appliedScanFilters"]) == (
        True,
        "SCAN_ON_PUSH",
        [],
    )
    assert (plain["scanOnPush"], plain["scanFrequency"], plain["appliedScanFilters"]) == (False, "MANUAL", [])
    assert result["failures"] == []


def test_settings_are_forgotten_on_reset(fake_ecr, ecr_client, repo):
    fake_ecr.scans.set_findings([CRITICAL])
    fake_ecr.reset()
    ecr_client.create_repository(repositoryName="again")
    push_image(ecr_client, "again", "latest")
    ecr_client.start_image_scan(repositoryName="again", imageId={"imageTag": "latest"})
    assert _findings(ecr_client, "again")["imageScanFindings"]["findings"] == []


def test_default_scan_lets_the_waiter_return_on_its_first_poll(fake_ecr, ecr_client, repo):
    push_image(ecr_client, repo, "latest")
    assert fake_ecr.scans.status(repo, "latest") is None
    ecr_client.start_image_scan(repositoryName=repo, imageId={"imageTag": "latest"})
    assert fake_ecr.scans.status(repo, "latest") == "IN_PROGRESS"
    ecr_client.get_waiter("image_scan_complete").wait(repositoryName=repo, imageId={"imageTag": "latest"})
    assert len([c for c in fake_ecr.calls if c.operation == "DescribeImageScanFindings"]) == 1
    assert fake_ecr.scans.status(repo, "latest") == "COMPLETE"


def test_enhanced_scanning_ignores_repository_flag_and_unmatched_repositories(ecr_client):
    ecr_client.create_repository(repositoryName="flagged", imageScanningConfiguration={"scanOnPush": True})
    ecr_client.put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "other", "filterType": "WILDCARD"}]}],
    )
    push_image(ecr_client, "flagged", "latest")
    with pytest.raises(ClientError) as exc:
        _findings(ecr_client, "flagged")
    assert _code(exc) == "ScanNotFoundException"
    config = ecr_client.batch_get_repository_scanning_configuration(repositoryNames=["flagged"])
    assert config["scanningConfigurations"][0]["scanOnPush"] is False
