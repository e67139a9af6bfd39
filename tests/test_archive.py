"""UpdateImageStorageClass: archiving and restoring images, and what archived images cannot do."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest

from fake_ecr import push_image

T0 = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def image(ecr_client, repo, fake_ecr) -> str:
    fake_ecr.clock.freeze(T0)
    return push_image(ecr_client, repo, "v1", layers=[b"layer"])


def set_class(client, repo: str, target: str, **image_id) -> dict:
    return client.update_image_storage_class(repositoryName=repo, imageId=image_id, targetStorageClass=target)


def detail(client, repo: str, digest: str) -> dict:
    return client.describe_images(repositoryName=repo, imageIds=[{"imageDigest": digest}])["imageDetails"][0]


def test_new_images_are_active(ecr_client, repo, image):
    info = detail(ecr_client, repo, image)
    assert info["imageStatus"] == "ACTIVE"
    assert "lastArchivedAt" not in info and "lastActivatedAt" not in info


def test_archive_an_image(ecr_client, repo, image, fake_ecr):
    fake_ecr.clock.advance(days=1)
    answer = set_class(ecr_client, repo, "ARCHIVE", imageTag="v1")
    assert answer["imageStatus"] == "ARCHIVED"
    assert answer["imageId"] == {"imageDigest": image, "imageTag": "v1"}
    assert answer["repositoryName"] == repo and answer["registryId"] == "123456789012"
    info = detail(ecr_client, repo, image)
    assert info["imageStatus"] == "ARCHIVED"
    assert info["lastArchivedAt"] == T0 + timedelta(days=1)


def test_archived_images_are_listed_only_with_a_status_filter(ecr_client, repo, image):
    other = push_image(ecr_client, repo, "v2")
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    assert [i["imageDigest"] for i in ecr_client.list_images(repositoryName=repo)["imageIds"]] == [other]
    archived = ecr_client.list_images(repositoryName=repo, filter={"imageStatus": "ARCHIVED"})["imageIds"]
    assert archived == [{"imageDigest": image, "imageTag": "v1"}]
    described = ecr_client.describe_images(repositoryName=repo)["imageDetails"]
    assert [d["imageDigest"] for d in described] == [other]
    described = ecr_client.describe_images(repositoryName=repo, filter={"imageStatus": "ARCHIVED"})["imageDetails"]
    assert [d["imageDigest"] for d in described] == [image]


def test_archived_images_cannot_be_pulled(ecr_client, repo, image):
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    answer = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}])
    assert answer["images"] == []
    assert answer["failures"][0]["failureCode"] == "ImageInaccessible"
    assert "lastRecordedPullTime" not in detail(ecr_client, repo, image)


def test_layers_of_archived_images(ecr_client, repo, image):
    layer = "sha256:" + hashlib.sha256(b"layer").hexdigest()
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    answer = ecr_client.batch_check_layer_availability(repositoryName=repo, layerDigests=[layer])
    assert answer["layers"][0]["layerAvailability"] == "ARCHIVED"
    with pytest.raises(ecr_client.exceptions.LayerInaccessibleException):
        ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=layer)


def test_restore_takes_twenty_minutes(ecr_client, repo, image, fake_ecr):
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    fake_ecr.clock.advance(hours=1)
    answer = set_class(ecr_client, repo, "STANDARD", imageDigest=image)
    assert answer["imageStatus"] == "ACTIVATING"
    assert ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": image}])["images"] == []
    activating = ecr_client.list_images(repositoryName=repo, filter={"imageStatus": "ACTIVATING"})["imageIds"]
    assert [i["imageDigest"] for i in activating] == [image]
    fake_ecr.clock.advance(minutes=20)
    info = detail(ecr_client, repo, image)
    assert info["imageStatus"] == "ACTIVE"
    assert info["lastActivatedAt"] == T0 + timedelta(hours=1, minutes=20)
    assert info["lastArchivedAt"] == T0
    assert len(ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": image}])["images"]) == 1


def test_pushing_an_archived_image_again_restores_it_at_once(ecr_client, repo, image, fake_ecr):
    manifest = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": image}])["images"][0][
        "imageManifest"
    ]
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    fake_ecr.clock.advance(minutes=5)
    ecr_client.put_image(repositoryName=repo, imageManifest=manifest, imageTag="v1")
    info = detail(ecr_client, repo, image)
    assert info["imageStatus"] == "ACTIVE"
    assert info["lastActivatedAt"] == T0 + timedelta(minutes=5)


def test_transitions_that_are_not_supported(ecr_client, repo, image):
    with pytest.raises(ecr_client.exceptions.ImageStorageClassUpdateNotSupportedException):
        set_class(ecr_client, repo, "STANDARD", imageDigest=image)
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    with pytest.raises(ecr_client.exceptions.ImageStorageClassUpdateNotSupportedException):
        set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    set_class(ecr_client, repo, "STANDARD", imageDigest=image)
    with pytest.raises(ecr_client.exceptions.ImageStorageClassUpdateNotSupportedException):
        set_class(ecr_client, repo, "STANDARD", imageDigest=image)


def test_missing_image(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.ImageNotFoundException) as excinfo:
        set_class(ecr_client, repo, "ARCHIVE", imageTag="nope")
    assert excinfo.value.response["Error"]["Message"] == (
        "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository "
        "with name 'app' in the registry with id '123456789012'"
    )


def test_invalid_image_id(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        set_class(ecr_client, repo, "ARCHIVE", imageDigest="not-a-digest")


def test_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        set_class(ecr_client, "nope", "ARCHIVE", imageTag="v1")


def test_archived_images_can_be_deleted(ecr_client, repo, image):
    set_class(ecr_client, repo, "ARCHIVE", imageDigest=image)
    answer = ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": image}])
    assert answer["failures"] == []
