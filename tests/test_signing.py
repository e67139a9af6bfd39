"""Managed signing: Put/Get/DeleteSigningConfiguration and DescribeImageSigningStatus."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from fake_ecr import push_image

PROFILE_A = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ProfileA"
PROFILE_B = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ProfileB"


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _statuses(client, repository: str, tag: str = "latest"):
    return client.describe_image_signing_status(repositoryName=repository, imageId={"imageTag": tag})["signingStatuses"]


def test_configuration_not_found_before_put_and_after_delete(ecr_client):
    for call in (ecr_client.get_signing_configuration, ecr_client.delete_signing_configuration):
        with pytest.raises(ClientError) as exc:
            call()
        assert _code(exc) == "SigningConfigurationNotFoundException"
    config = {"rules": [{"signingProfileArn": PROFILE_A}]}
    assert ecr_client.put_signing_configuration(signingConfiguration=config)["signingConfiguration"] == config
    got = ecr_client.get_signing_configuration()
    assert got["registryId"] == "123456789012" and got["signingConfiguration"] == config
    deleted = ecr_client.delete_signing_configuration()
    assert deleted["registryId"] == "123456789012" and deleted["signingConfiguration"] == config
    with pytest.raises(ClientError) as exc:
        ecr_client.get_signing_configuration()
    assert _code(exc) == "SigningConfigurationNotFoundException"


def test_put_replaces_the_configuration(ecr_client):
    ecr_client.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": PROFILE_A}]})
    new = {
        "rules": [
            {
                "signingProfileArn": PROFILE_B,
                "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD_MATCH"}],
            }
        ]
    }
    ecr_client.put_signing_configuration(signingConfiguration=new)
    assert ecr_client.get_signing_configuration()["signingConfiguration"] == new


def test_put_validates_profile_arn_and_filters(ecr_client):
    with pytest.raises(ClientError) as exc:
        ecr_client.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": "not-an-arn"}]})
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        ecr_client.put_signing_configuration(
            signingConfiguration={
                "rules": [
                    {
                        "signingProfileArn": PROFILE_A,
                        "repositoryFilters": [{"filter": "Bad Name", "filterType": "WILDCARD_MATCH"}],
                    }
                ]
            }
        )
    assert _code(exc) == "InvalidParameterException"


def test_pushed_images_get_one_status_per_matching_profile(ecr_client):
    for name in ("prod/api", "dev/api"):
        ecr_client.create_repository(repositoryName=name)
    ecr_client.put_signing_configuration(
        signingConfiguration={
            "rules": [
                {"signingProfileArn": PROFILE_A},
                {
                    "signingProfileArn": PROFILE_B,
                    "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD_MATCH"}],
                },
                {
                    "signingProfileArn": PROFILE_A,
                    "repositoryFilters": [{"filter": "*api", "filterType": "WILDCARD_MATCH"}],
                },
            ]
        }
    )
    digest = push_image(ecr_client, "prod/api", "latest")
    push_image(ecr_client, "dev/api", "latest")
    result = ecr_client.describe_image_signing_status(repositoryName="prod/api", imageId={"imageTag": "latest"})
    assert result["imageId"] == {"imageDigest": digest, "imageTag": "latest"}
    assert result["registryId"] == "123456789012" and result["repositoryName"] == "prod/api"
    assert result["signingStatuses"] == [
        {"signingProfileArn": PROFILE_A, "status": "COMPLETE"},
        {"signingProfileArn": PROFILE_B, "status": "COMPLETE"},
    ]
    assert _statuses(ecr_client, "dev/api") == [{"signingProfileArn": PROFILE_A, "status": "COMPLETE"}]


def test_images_pushed_without_configuration_are_unsigned_and_deleting_keeps_signatures(ecr_client, repo):
    push_image(ecr_client, repo, "before")
    assert _statuses(ecr_client, repo, "before") == []
    ecr_client.put_signing_configuration(signingConfiguration={"rules": [{"signingProfileArn": PROFILE_A}]})
    push_image(ecr_client, repo, "signed")
    ecr_client.delete_signing_configuration()
    push_image(ecr_client, repo, "after")
    assert _statuses(ecr_client, repo, "signed") == [{"signingProfileArn": PROFILE_A, "status": "COMPLETE"}]
    assert _statuses(ecr_client, repo, "after") == []


def test_controlled_outcomes(fake_ecr, ecr_client, repo):
    ecr_client.put_signing_configuration(
        signingConfiguration={"rules": [{"signingProfileArn": PROFILE_A}, {"signingProfileArn": PROFILE_B}]}
    )
    fake_ecr.signing.set_outcome(
        "FAILED", failure_code="AccessDenied", failure_reason="no signer:SignPayload", profile_arn=PROFILE_B
    )
    fake_ecr.signing.set_outcome("IN_PROGRESS", repository=repo, profile_arn=PROFILE_A)
    push_image(ecr_client, repo, "latest")
    assert _statuses(ecr_client, repo) == [
        {"signingProfileArn": PROFILE_A, "status": "IN_PROGRESS"},
        {
            "signingProfileArn": PROFILE_B,
            "status": "FAILED",
            "failureCode": "AccessDenied",
            "failureReason": "no signer:SignPayload",
        },
    ]
    fake_ecr.signing.set_status(repo, "latest", PROFILE_A, "COMPLETE")
    assert _statuses(ecr_client, repo)[-1] == {"signingProfileArn": PROFILE_A, "status": "COMPLETE"}
    with pytest.raises(ValueError):
        fake_ecr.signing.set_outcome("SIGNED")
    with pytest.raises(KeyError):
        fake_ecr.signing.set_status(repo, "nope", PROFILE_A, "COMPLETE")


def test_signing_status_errors(ecr_client, repo):
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_signing_status(repositoryName=repo, imageId={"imageTag": "latest"})
    assert _code(exc) == "ImageNotFoundException"
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_signing_status(repositoryName="missing", imageId={"imageTag": "latest"})
    assert _code(exc) == "RepositoryNotFoundException"
