"""PutImage, BatchGetImage, BatchDeleteImage, ListImages and DescribeImages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from botocore.exceptions import ClientError
from helpers import DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST, index, manifest, sha, without_blobs

# These tests are about manifests and tags; layer uploads are covered in test_layers.py.
pytestmark = without_blobs


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def put(client, text: str, tag: str | None = None, repo: str = "app", **kwargs):
    args = {"repositoryName": repo, "imageManifest": text, **kwargs}
    if tag is not None:
        args["imageTag"] = tag
    return client.put_image(**args)["image"]


def tags_by_digest(client, repo: str = "app") -> dict[str, list[str]]:
    details = client.describe_images(repositoryName=repo)["imageDetails"]
    return {d["imageDigest"]: d.get("imageTags", []) for d in details}


# -- PutImage -----------------------------------------------------------------------------------


def test_digest_is_sha256_of_the_exact_manifest_bytes(ecr_client, repo):
    text = manifest(indent=3)
    image = put(ecr_client, text, "v1")
    assert image["imageId"] == {"imageDigest": sha(text), "imageTag": "v1"}
    assert image["imageManifest"] == text
    assert image["imageManifestMediaType"] == DOCKER_MANIFEST
    compact = put(ecr_client, json.dumps(json.loads(text)), "v2")
    assert compact["imageId"]["imageDigest"] != sha(text)  # whitespace matters


def test_image_digest_must_match(ecr_client, repo):
    text = manifest()
    assert put(ecr_client, text, imageDigest=sha(text))["imageId"]["imageDigest"] == sha(text)
    with pytest.raises(ecr_client.exceptions.ImageDigestDoesNotMatchException):
        put(ecr_client, manifest("other"), imageDigest=sha(text))


def test_media_type_from_request_when_manifest_has_none(ecr_client, repo):
    text = manifest(media_type=None)
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        put(ecr_client, text)
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"
    )
    image = put(ecr_client, text, imageManifestMediaType=OCI_MANIFEST)
    assert image["imageManifestMediaType"] == OCI_MANIFEST


def test_media_type_conflict_and_unsupported_types(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        put(ecr_client, manifest(), imageManifestMediaType=OCI_MANIFEST)
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        put(ecr_client, manifest(media_type="application/vnd.example+json"))


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"mediaType": 5}', '"string"'])
def test_malformed_manifests(ecr_client, repo, text):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        put(ecr_client, text)
    assert "ImageManifest" in error_of(excinfo)[1]


def test_invalid_tag_characters(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        put(ecr_client, manifest(), "sha256:abc")
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'imageTag' failed to satisfy constraint: "
        "'must satisfy regular expression '[a-zA-Z0-9-_.]+''"
    )


def test_pushing_a_tag_again_moves_it_and_leaves_the_old_image_untagged(ecr_client, repo):
    old = put(ecr_client, manifest("old"), "latest")["imageId"]["imageDigest"]
    new = put(ecr_client, manifest("new"), "latest")["imageId"]["imageDigest"]
    assert tags_by_digest(ecr_client) == {old: [], new: ["latest"]}
    untagged = ecr_client.list_images(repositoryName="app", filter={"tagStatus": "UNTAGGED"})["imageIds"]
    assert untagged == [{"imageDigest": old}]


def test_retag_adds_a_tag_without_a_new_image(ecr_client, fake_ecr, repo):
    fake_ecr.clock.freeze(datetime(2026, 5, 1, tzinfo=timezone.utc))
    text = manifest()
    put(ecr_client, text, "v1")
    fake_ecr.clock.advance(days=1)
    put(ecr_client, text, "stable")
    details = ecr_client.describe_images(repositoryName="app")["imageDetails"]
    assert len(details) == 1
    assert details[0]["imageTags"] == ["v1", "stable"]
    assert details[0]["imagePushedAt"] == datetime(2026, 5, 1, tzinfo=timezone.utc)


def test_same_manifest_and_tag_again_is_image_already_exists(ecr_client, repo):
    text = manifest()
    put(ecr_client, text, "v1")
    with pytest.raises(ecr_client.exceptions.ImageAlreadyExistsException) as excinfo:
        put(ecr_client, text, "v1")
    assert error_of(excinfo)[1] == (
        f"Image with digest '{sha(text)}' and tag 'v1' already exists in the repository with name "
        "'app' in registry with id '123456789012'"
    )
    put(ecr_client, manifest("untagged"))
    with pytest.raises(ecr_client.exceptions.ImageAlreadyExistsException):
        put(ecr_client, manifest("untagged"))


def test_immutable_tags_cannot_move(ecr_client):
    ecr_client.create_repository(repositoryName="app", imageTagMutability="IMMUTABLE")
    put(ecr_client, manifest("a"), "v1")
    with pytest.raises(ecr_client.exceptions.ImageTagAlreadyExistsException) as excinfo:
        put(ecr_client, manifest("b"), "v1")
    assert error_of(excinfo)[1] == (
        "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten "
        "because the repository is immutable."
    )
    with pytest.raises(ecr_client.exceptions.ImageTagAlreadyExistsException):
        put(ecr_client, manifest("a"), "v1")  # the same push again is refused too
    put(ecr_client, manifest("a"), "v1-alias")  # a new tag on an existing image is fine
    assert sorted(next(iter(tags_by_digest(ecr_client).values()))) == ["v1", "v1-alias"]


@pytest.mark.parametrize(
    "mode, tag, movable",
    [
        ("IMMUTABLE_WITH_EXCLUSION", "dev-1", True),
        ("IMMUTABLE_WITH_EXCLUSION", "release-1", False),
        ("MUTABLE_WITH_EXCLUSION", "dev-1", False),
        ("MUTABLE_WITH_EXCLUSION", "release-1", True),
    ],
)
def test_exclusion_filters(ecr_client, mode, tag, movable):
    ecr_client.create_repository(
        repositoryName="app",
        imageTagMutability=mode,
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "dev-*"}],
    )
    put(ecr_client, manifest("a"), tag)
    if movable:
        new = put(ecr_client, manifest("b"), tag)["imageId"]["imageDigest"]
        assert tags_by_digest(ecr_client)[new] == [tag]
    else:
        with pytest.raises(ecr_client.exceptions.ImageTagAlreadyExistsException):
            put(ecr_client, manifest("b"), tag)


def test_put_image_into_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        put(ecr_client, manifest(), "v1", repo="nope")


def test_sizes_and_artifact_media_type(ecr_client, repo):
    put(ecr_client, manifest("a", layer_sizes=(17743696, 2565026, 28005981, 775), config_size=2777))
    detail = ecr_client.describe_images(repositoryName="app")["imageDetails"][0]
    assert detail["imageSizeInBytes"] == 48318255  # the AWS CLI example's numbers
    assert detail["artifactMediaType"] == "application/vnd.docker.container.image.v1+json"
    helm = manifest("chart", media_type=OCI_MANIFEST, config_media_type="application/vnd.cncf.helm.config.v1+json")
    digest = put(ecr_client, helm, "chart")["imageId"]["imageDigest"]
    detail = ecr_client.describe_images(repositoryName="app", imageIds=[{"imageDigest": digest}])["imageDetails"][0]
    assert detail["artifactMediaType"] == "application/vnd.cncf.helm.config.v1+json"
    assert detail["imageManifestMediaType"] == OCI_MANIFEST


def test_index_size_is_the_largest_child(ecr_client, repo):
    small = manifest("s", layer_sizes=(10,), config_size=1)
    big = manifest("b", layer_sizes=(1000,), config_size=1)
    put(ecr_client, small)
    put(ecr_client, big)
    digest = put(ecr_client, index([small, big]), "multi")["imageId"]["imageDigest"]
    detail = ecr_client.describe_images(repositoryName="app", imageIds=[{"imageDigest": digest}])["imageDetails"][0]
    assert detail["imageSizeInBytes"] == 1001
    assert detail["imageManifestMediaType"] == OCI_INDEX


def test_schema1_manifest_without_media_type(ecr_client, repo):
    text = json.dumps(
        {"schemaVersion": 1, "name": "app", "tag": "v1", "fsLayers": [{"blobSum": sha("l1")}], "history": []}
    )
    image = put(ecr_client, text, "v1")
    assert image["imageManifestMediaType"] == "application/vnd.docker.distribution.manifest.v1+json"


# -- BatchGetImage --------------------------------------------------------------------------------


def test_batch_get_image_by_tag_and_digest(ecr_client, fake_ecr, repo):
    fake_ecr.clock.freeze(datetime(2026, 3, 1, tzinfo=timezone.utc))
    text = manifest()
    put(ecr_client, text, "v1")
    out = ecr_client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}, {"imageDigest": sha(text)}])
    assert out["failures"] == []
    assert [i["imageId"] for i in out["images"]] == [
        {"imageDigest": sha(text), "imageTag": "v1"},
        {"imageDigest": sha(text)},
    ]
    assert all(i["imageManifest"] == text for i in out["images"])
    fake_ecr.clock.advance(hours=1)
    ecr_client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    detail = ecr_client.describe_images(repositoryName="app")["imageDetails"][0]
    assert detail["lastRecordedPullTime"] == datetime(2026, 3, 1, 1, tzinfo=timezone.utc)


def test_batch_get_image_failures(ecr_client, repo):
    text = manifest()
    put(ecr_client, text, "v1")
    ids = [
        {"imageTag": "missing"},
        {"imageDigest": sha("nothing")},
        {"imageDigest": "not-a-digest"},
        {"imageDigest": sha(text), "imageTag": "other"},
    ]
    out = ecr_client.batch_get_image(repositoryName="app", imageIds=ids)
    assert out["images"] == []
    assert [(f["imageId"], f["failureCode"]) for f in out["failures"]] == [
        (ids[0], "ImageNotFound"),
        (ids[1], "ImageNotFound"),
        (ids[2], "InvalidImageDigest"),
        (ids[3], "ImageTagDoesNotMatchDigest"),
    ]
    assert out["failures"][0]["failureReason"] == "Requested image not found"


def test_batch_get_image_too_many_ids(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": f"t{i}"} for i in range(101)])
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'imageIds' failed to satisfy constraint: "
        "'Member must have length less than or equal to 100'"
    )


def test_batch_get_image_accepted_media_types(ecr_client, repo):
    put(ecr_client, manifest(), "v1")
    out = ecr_client.batch_get_image(
        repositoryName="app", imageIds=[{"imageTag": "v1"}], acceptedMediaTypes=[OCI_MANIFEST]
    )
    assert out["images"] == [] and len(out["failures"]) == 1
    out = ecr_client.batch_get_image(
        repositoryName="app", imageIds=[{"imageTag": "v1"}], acceptedMediaTypes=[DOCKER_MANIFEST]
    )
    assert len(out["images"]) == 1


# -- BatchDeleteImage -----------------------------------------------------------------------------


def test_batch_delete_by_tag_removes_only_that_tag_until_the_last(ecr_client, repo):
    text = manifest()
    put(ecr_client, text, "v1")
    put(ecr_client, text, "latest")
    out = ecr_client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert out == {**out, "imageIds": [{"imageDigest": sha(text), "imageTag": "v1"}], "failures": []}
    assert tags_by_digest(ecr_client) == {sha(text): ["latest"]}
    ecr_client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "latest"}])
    assert tags_by_digest(ecr_client) == {}


def test_batch_delete_by_digest_removes_every_tag(ecr_client, repo):
    text = manifest()
    put(ecr_client, text, "v1")
    put(ecr_client, text, "latest")
    put(ecr_client, manifest("untagged"))
    out = ecr_client.batch_delete_image(
        repositoryName="app", imageIds=[{"imageDigest": sha(text)}, {"imageDigest": sha(manifest("untagged"))}]
    )
    assert out["imageIds"] == [
        {"imageDigest": sha(text), "imageTag": "v1"},
        {"imageDigest": sha(text), "imageTag": "latest"},
        {"imageDigest": sha(manifest("untagged"))},
    ]
    assert ecr_client.list_images(repositoryName="app")["imageIds"] == []


def test_batch_delete_failures(ecr_client, repo):
    out = ecr_client.batch_delete_image(repositoryName="app", imageIds=[{"imageTag": "latest"}, {}])
    assert out["imageIds"] == []
    assert out["failures"] == [
        {
            "imageId": {"imageTag": "latest"},
            "failureCode": "ImageNotFound",
            "failureReason": "Requested image not found",
        },
        {
            "imageId": {},
            "failureCode": "MissingDigestAndTag",
            "failureReason": "Invalid request parameters: both tag and digest cannot be null",
        },
    ]
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.batch_delete_image(repositoryName="nope", imageIds=[{"imageTag": "x"}])


# -- ListImages and DescribeImages ----------------------------------------------------------------


def test_list_images_has_one_row_per_tag(ecr_client, repo):
    a, b = manifest("a"), manifest("b")
    put(ecr_client, a, "v1")
    put(ecr_client, a, "v2")
    put(ecr_client, b)
    rows = ecr_client.list_images(repositoryName="app")["imageIds"]
    assert rows == [
        {"imageDigest": sha(a), "imageTag": "v1"},
        {"imageDigest": sha(a), "imageTag": "v2"},
        {"imageDigest": sha(b)},
    ]
    tagged = ecr_client.list_images(repositoryName="app", filter={"tagStatus": "TAGGED"})["imageIds"]
    assert tagged == rows[:2]


def test_list_images_pages_split_inside_an_image(ecr_client, repo):
    expected = []
    for i in range(5):
        text = manifest(str(i))
        for tag in ("a", "b", "c"):
            put(ecr_client, text, f"{tag}{i}")
            expected.append({"imageDigest": sha(text), "imageTag": f"{tag}{i}"})
    for size in (1, 2, 4, 7, 15, 16):
        pages = list(
            ecr_client.get_paginator("list_images").paginate(repositoryName="app", PaginationConfig={"PageSize": size})
        )
        assert [r for p in pages for r in p["imageIds"]] == expected
        assert all(len(p["imageIds"]) <= size for p in pages)
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.list_images(repositoryName="app", nextToken="nonsense")


def test_a_token_only_works_where_it_was_issued(ecr_client, repo):
    for i in range(3):
        put(ecr_client, manifest(str(i)), f"t{i}")
    token = ecr_client.list_images(repositoryName="app", maxResults=1)["nextToken"]
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.describe_images(repositoryName="app", nextToken=token)


def test_describe_images_pages_and_filters(ecr_client, fake_ecr, repo):
    for i in range(12):
        put(ecr_client, manifest(str(i)), f"v{i}" if i % 2 else None)
    pages = list(
        ecr_client.get_paginator("describe_images").paginate(
            repositoryName="app", filter={"tagStatus": "UNTAGGED"}, PaginationConfig={"PageSize": 4}
        )
    )
    untagged = [d for p in pages for d in p["imageDetails"]]
    assert len(untagged) == 6 and all("imageTags" not in d for d in untagged)
    assert [len(p["imageDetails"]) for p in pages] == [4, 2]


def test_describe_images_by_id_and_not_found(ecr_client, repo):
    put(ecr_client, manifest(), "v1")
    detail = ecr_client.describe_images(repositoryName="app", imageIds=[{"imageTag": "v1"}])["imageDetails"]
    assert detail[0]["imageTags"] == ["v1"]
    with pytest.raises(ecr_client.exceptions.ImageNotFoundException) as excinfo:
        ecr_client.describe_images(repositoryName="app", imageIds=[{"imageTag": "latest"}])
    assert error_of(excinfo)[1] == (
        "The image with imageId {imageDigest:'null', imageTag:'latest'} does not exist within the "
        "repository with name 'app' in the registry with id '123456789012'"
    )
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.describe_images(repositoryName="app", imageIds=[{"imageTag": "v1"}], maxResults=5)


def test_describe_images_uses_the_fake_clock(ecr_client, fake_ecr, repo):
    when = datetime(2025, 12, 24, 18, 0, tzinfo=timezone.utc)
    fake_ecr.clock.freeze(when)
    put(ecr_client, manifest(), "v1")
    detail = ecr_client.describe_images(repositoryName="app")["imageDetails"][0]
    assert detail["imagePushedAt"] == when
    assert detail["imagePushedAt"].tzinfo is not None
    assert "lastRecordedPullTime" not in detail
    fake_ecr.clock.advance(timedelta(minutes=5))
    assert fake_ecr.clock.now() == when + timedelta(minutes=5)
