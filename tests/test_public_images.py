"""ECR Public images: PutImage, DescribeImages, DescribeImageTags, BatchDeleteImage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from botocore.exceptions import ClientError
from helpers import DOCKER_CONFIG, DOCKER_MANIFEST, manifest, put_manifest, sha

# These tests are about manifests and tags; layer uploads are covered in test_public_layers.py.
pytestmark = pytest.mark.fake_ecr(require_blobs=False)


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


@pytest.fixture
def repo(ecr_public_client) -> str:
    ecr_public_client.create_repository(repositoryName="app")
    return "app"


def test_put_image_returns_the_image(ecr_public_client, fake_ecr, repo):
    body = manifest("one")
    image = ecr_public_client.put_image(repositoryName=repo, imageManifest=body, imageTag="v1")["image"]
    assert image == {
        "registryId": fake_ecr.account_id,
        "repositoryName": repo,
        "imageId": {"imageDigest": sha(body), "imageTag": "v1"},
        "imageManifest": body,
        "imageManifestMediaType": DOCKER_MANIFEST,
    }


def test_put_image_through_the_registry_alias(ecr_public_client, fake_ecr, repo):
    alias = fake_ecr.public_registry().primary_alias.name
    image = ecr_public_client.put_image(registryId=alias, repositoryName=repo, imageManifest=manifest("a"))["image"]
    assert image["registryId"] == fake_ecr.account_id
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(registryId="no-such-alias", repositoryName=repo, imageManifest=manifest("b"))
    assert _code(err) == "RegistryNotFoundException"


def test_put_image_errors(ecr_public_client, fake_ecr, repo):
    put_manifest(ecr_public_client, repo, "one", tag="v1")
    with pytest.raises(ClientError) as err:
        put_manifest(ecr_public_client, repo, "one", tag="v1")
    assert _code(err) == "ImageAlreadyExistsException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName=repo, imageManifest=manifest("two"), imageDigest=sha("other"))
    assert _code(err) == "ImageDigestDoesNotMatchException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName=repo, imageManifest="{not json")
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName="missing", imageManifest=manifest("two"))
    assert _code(err) == "RepositoryNotFoundException"


def test_tags_move_between_images(ecr_public_client, repo):
    first = put_manifest(ecr_public_client, repo, "one", tag="latest")
    second = put_manifest(ecr_public_client, repo, "two", tag="latest")
    details = {d["imageDigest"]: d for d in ecr_public_client.describe_images(repositoryName=repo)["imageDetails"]}
    assert details[second["imageId"]["imageDigest"]]["imageTags"] == ["latest"]
    assert "imageTags" not in details[first["imageId"]["imageDigest"]]


def test_describe_images_reports_the_public_image_detail(ecr_public_client, fake_ecr, repo):
    pushed = put_manifest(ecr_public_client, repo, "one", tag="v1")
    [detail] = ecr_public_client.describe_images(repositoryName=repo)["imageDetails"]
    assert set(detail) == {
        "registryId",
        "repositoryName",
        "imageDigest",
        "imageTags",
        "imageSizeInBytes",
        "imagePushedAt",
        "imageManifestMediaType",
        "artifactMediaType",
    }
    assert detail["imageDigest"] == pushed["imageId"]["imageDigest"]
    assert detail["imageSizeInBytes"] == 50 + 100 + 200
    assert detail["artifactMediaType"] == DOCKER_CONFIG
    assert detail["registryId"] == fake_ecr.account_id


def test_describe_images_by_id_and_paged(ecr_public_client, repo):
    digests = [put_manifest(ecr_public_client, repo, s, tag=s)["imageId"]["imageDigest"] for s in ("a", "b", "c")]
    by_id = ecr_public_client.describe_images(
        repositoryName=repo, imageIds=[{"imageTag": "c"}, {"imageDigest": digests[0]}]
    )
    assert [d["imageDigest"] for d in by_id["imageDetails"]] == [digests[2], digests[0]]
    first = ecr_public_client.describe_images(repositoryName=repo, maxResults=2)
    rest = ecr_public_client.describe_images(repositoryName=repo, maxResults=2, nextToken=first["nextToken"])
    assert [d["imageDigest"] for d in first["imageDetails"] + rest["imageDetails"]] == digests
    assert "nextToken" not in rest


def test_describe_images_errors(ecr_public_client, fake_ecr, repo):
    put_manifest(ecr_public_client, repo, "a", tag="a")
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_images(repositoryName=repo, imageIds=[{"imageTag": "nope"}])
    assert _code(err) == "ImageNotFoundException"
    assert err.value.response["Error"]["Message"] == (
        "The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository "
        f"with name 'app' in the registry with id '{fake_ecr.account_id}'"
    )
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_images(repositoryName=repo, imageIds=[{"imageTag": "a"}], maxResults=1)
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_images(repositoryName="missing")
    assert _code(err) == "RepositoryNotFoundException"


def test_describe_image_tags(ecr_public_client, fake_ecr, repo):
    fake_ecr.clock.freeze()
    one = put_manifest(ecr_public_client, repo, "one", tag="v1")
    fake_ecr.clock.advance(timedelta(minutes=1))
    ecr_public_client.put_image(repositoryName=repo, imageManifest=manifest("one"), imageTag="stable")
    fake_ecr.clock.advance(timedelta(minutes=1))
    put_manifest(ecr_public_client, repo, "untagged")
    details = ecr_public_client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    assert [d["imageTag"] for d in details] == ["v1", "stable"]
    assert details[1]["createdAt"] - details[0]["createdAt"] == timedelta(minutes=1)
    image = details[0]["imageDetail"]
    assert image["imageDigest"] == one["imageId"]["imageDigest"]
    assert set(image) == {
        "imageDigest",
        "imageSizeInBytes",
        "imagePushedAt",
        "imageManifestMediaType",
        "artifactMediaType",
    }
    # Moving a tag renews its creation time and moves it to the end.
    fake_ecr.clock.advance(timedelta(minutes=1))
    two = put_manifest(ecr_public_client, repo, "two", tag="v1")
    details = ecr_public_client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    assert [d["imageTag"] for d in details] == ["stable", "v1"]
    assert details[1]["imageDetail"]["imageDigest"] == two["imageId"]["imageDigest"]
    first = ecr_public_client.describe_image_tags(repositoryName=repo, maxResults=1)
    rest = ecr_public_client.describe_image_tags(repositoryName=repo, nextToken=first["nextToken"])
    assert [d["imageTag"] for d in first["imageTagDetails"] + rest["imageTagDetails"]] == ["stable", "v1"]


def test_describe_image_tags_errors(ecr_public_client, repo):
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_image_tags(repositoryName="missing")
    assert _code(err) == "RepositoryNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_image_tags(repositoryName=repo, nextToken="bogus")
    assert _code(err) == "InvalidParameterException"


def test_batch_delete_image(ecr_public_client, repo):
    one = put_manifest(ecr_public_client, repo, "one", tag="v1")["imageId"]["imageDigest"]
    ecr_public_client.put_image(repositoryName=repo, imageManifest=manifest("one"), imageTag="v2")
    two = put_manifest(ecr_public_client, repo, "two")["imageId"]["imageDigest"]
    result = ecr_public_client.batch_delete_image(
        repositoryName=repo,
        imageIds=[{"imageTag": "v1"}, {"imageDigest": two}, {"imageTag": "gone"}, {"imageDigest": "bad"}],
    )
    assert result["imageIds"] == [{"imageDigest": one, "imageTag": "v1"}, {"imageDigest": two}]
    assert [f["failureCode"] for f in result["failures"]] == ["ImageNotFound", "InvalidImageDigest"]
    assert result["failures"][0]["failureReason"] == "Requested image not found"
    tags = ecr_public_client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    assert [t["imageTag"] for t in tags] == ["v2"]
    # Removing the last tag deletes the image.
    ecr_public_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": "v2"}])
    assert ecr_public_client.describe_images(repositoryName=repo)["imageDetails"] == []
    assert ecr_public_client.describe_image_tags(repositoryName=repo)["imageTagDetails"] == []


def test_batch_delete_image_errors(ecr_public_client, repo):
    with pytest.raises(ClientError) as err:
        ecr_public_client.batch_delete_image(repositoryName="missing", imageIds=[{"imageTag": "x"}])
    assert _code(err) == "RepositoryNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": f"t{i}"} for i in range(101)])
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.batch_delete_image(
            registryId="unknown-alias", repositoryName=repo, imageIds=[{"imageTag": "x"}]
        )
    assert _code(err) == "RepositoryNotFoundException"


def test_image_quota(ecr_public_client, fake_ecr, repo):
    assert fake_ecr.public_registry().image_quota == 100_000
    fake_ecr.public_registry().image_quota = 1
    put_manifest(ecr_public_client, repo, "one", tag="v1")
    # Tagging the image already there is not a new image.
    ecr_public_client.put_image(repositoryName=repo, imageManifest=manifest("one"), imageTag="v2")
    with pytest.raises(ClientError) as err:
        put_manifest(ecr_public_client, repo, "two")
    assert _code(err) == "LimitExceededException"
