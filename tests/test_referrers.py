"""ListImageReferrers: OCI 1.1 referrers of an image, with filters and pagination."""

from __future__ import annotations

import json

import pytest

from fake_ecr import push_image

SIG = "application/vnd.dev.cosign.artifact.sig.v1+json"
SBOM = "application/spdx+json"


@pytest.fixture
def subject(ecr_client, repo) -> str:
    return push_image(ecr_client, repo, "v1")


def referrers(client, repo: str, subject: str, **kwargs) -> dict:
    return client.list_image_referrers(repositoryName=repo, subjectId={"imageDigest": subject}, **kwargs)


def test_referrers_of_an_image(ecr_client, repo, subject):
    sig = push_image(
        ecr_client,
        repo,
        artifact_type=SIG,
        layers=[b"sig"],
        subject=subject,
        annotations={"dev.cosignproject.cosign/signature": "abc"},
    )
    sbom = push_image(ecr_client, repo, artifact_type=SBOM, layers=[b"{}"], subject=subject)
    push_image(ecr_client, repo, "unrelated")
    raw = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": sig}])["images"][0]["imageManifest"]
    answer = referrers(ecr_client, repo, subject)
    assert "nextToken" not in answer
    assert answer["referrers"] == [
        {
            "digest": sig,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": SIG,
            "size": len(raw.encode()),
            "annotations": {"dev.cosignproject.cosign/signature": "abc"},
            "artifactStatus": "ACTIVE",
        },
        {
            "digest": sbom,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "artifactType": SBOM,
            "size": answer["referrers"][1]["size"],
            "artifactStatus": "ACTIVE",
        },
    ]


def test_a_referrer_without_artifact_type_is_typed_by_its_config(ecr_client, repo, subject):
    digest = push_image(ecr_client, repo, media_type="oci", subject=subject)
    [referrer] = referrers(ecr_client, repo, subject)["referrers"]
    assert referrer["digest"] == digest
    assert referrer["artifactType"] == "application/vnd.oci.image.config.v1+json"


def test_an_image_without_referrers(ecr_client, repo, subject):
    assert referrers(ecr_client, repo, subject)["referrers"] == []


def test_the_subject_need_not_exist(ecr_client, repo, fake_ecr):
    # OCI allows pushing a referrer before its subject.
    subject = "sha256:" + "ab" * 32
    with_blobs = push_image(ecr_client, repo, artifact_type=SIG, layers=[b"sig"])
    manifest = json.loads(
        ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": with_blobs}])["images"][0][
            "imageManifest"
        ]
    )
    manifest["subject"] = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 1, "digest": subject}
    digest = ecr_client.put_image(repositoryName=repo, imageManifest=json.dumps(manifest))["image"]["imageId"][
        "imageDigest"
    ]
    assert [r["digest"] for r in referrers(ecr_client, repo, subject)["referrers"]] == [digest]


def test_filter_by_artifact_type(ecr_client, repo, subject):
    push_image(ecr_client, repo, artifact_type=SIG, layers=[b"sig"], subject=subject)
    sbom = push_image(ecr_client, repo, artifact_type=SBOM, layers=[b"{}"], subject=subject)
    answer = referrers(ecr_client, repo, subject, filter={"artifactTypes": [SBOM]})
    assert [r["digest"] for r in answer["referrers"]] == [sbom]


def test_deleted_referrers_are_gone(ecr_client, repo, subject):
    sig = push_image(ecr_client, repo, artifact_type=SIG, layers=[b"sig"], subject=subject)
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": sig}])
    assert referrers(ecr_client, repo, subject)["referrers"] == []


def test_pagination(ecr_client, repo, subject):
    pushed = [push_image(ecr_client, repo, artifact_type=SIG, layers=[bytes([i])], subject=subject) for i in range(5)]
    seen, token = [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = referrers(ecr_client, repo, subject, maxResults=2, **kwargs)
        assert len(page["referrers"]) <= 2
        seen += [r["digest"] for r in page["referrers"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == pushed


def test_a_token_is_bound_to_its_request(ecr_client, repo, subject):
    for i in range(3):
        push_image(ecr_client, repo, artifact_type=SIG, layers=[bytes([i])], subject=subject)
    token = referrers(ecr_client, repo, subject, maxResults=1)["nextToken"]
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        referrers(ecr_client, repo, subject, maxResults=1, nextToken=token, filter={"artifactTypes": [SBOM]})
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        referrers(ecr_client, repo, subject, nextToken="garbage")


def test_archived_referrers_need_a_status_filter(ecr_client, repo, subject):
    sig = push_image(ecr_client, repo, artifact_type=SIG, layers=[b"sig"], subject=subject)
    ecr_client.update_image_storage_class(
        repositoryName=repo, imageId={"imageDigest": sig}, targetStorageClass="ARCHIVE"
    )
    assert referrers(ecr_client, repo, subject)["referrers"] == []
    archived = referrers(ecr_client, repo, subject, filter={"artifactStatus": "ARCHIVED"})["referrers"]
    assert [(r["digest"], r["artifactStatus"]) for r in archived] == [(sig, "ARCHIVED")]
    assert len(referrers(ecr_client, repo, subject, filter={"artifactStatus": "ANY"})["referrers"]) == 1


def test_invalid_subject_digest(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        referrers(ecr_client, repo, "not-a-digest")


def test_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        referrers(ecr_client, "nope", "sha256:" + "0" * 64)
