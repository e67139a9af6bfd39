"""Layer uploads and downloads: InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
BatchCheckLayerAvailability, GetDownloadUrlForLayer."""

from __future__ import annotations

import json

import pytest
from helpers import sha

from fake_ecr import push_image

MiB = 1024 * 1024


def upload(client, repo: str, *parts: bytes, digest: str | None = None) -> str:
    upload_id = client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    first = 0
    for part in parts:
        client.upload_layer_part(
            repositoryName=repo,
            uploadId=upload_id,
            partFirstByte=first,
            partLastByte=first + len(part) - 1,
            layerPartBlob=part,
        )
        first += len(part)
    data = b"".join(parts)
    return client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[digest or sha(data)])[
        "layerDigest"
    ]


def error_code(excinfo: pytest.ExceptionInfo) -> str:
    return excinfo.value.response["Error"]["Code"]


# -- InitiateLayerUpload / UploadLayerPart -----------------------------------------------------


def test_initiate_returns_an_upload_id_and_the_part_size(ecr_client, repo):
    started = ecr_client.initiate_layer_upload(repositoryName=repo)
    assert len(started["uploadId"]) == 36 and started["uploadId"].count("-") == 4
    assert started["partSize"] == 10 * MiB


def test_initiate_in_a_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.initiate_layer_upload(repositoryName="nope")


def test_upload_part_reports_the_last_byte_received(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    answer = ecr_client.upload_layer_part(
        repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=9, layerPartBlob=b"0123456789"
    )
    assert answer["lastByteReceived"] == 9
    assert answer["uploadId"] == upload_id
    assert answer["repositoryName"] == repo and answer["registryId"] == "123456789012"


def test_a_part_must_continue_where_the_last_one_ended(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    ecr_client.upload_layer_part(
        repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=3, layerPartBlob=b"abcd"
    )
    with pytest.raises(ecr_client.exceptions.InvalidLayerPartException) as excinfo:
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=5, partLastByte=6, layerPartBlob=b"ef"
        )
    error = excinfo.value.response
    assert error["lastValidByteReceived"] == 3
    assert error["uploadId"] == upload_id
    # A gap is refused, and so is an overlap.
    with pytest.raises(ecr_client.exceptions.InvalidLayerPartException):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=2, partLastByte=3, layerPartBlob=b"ef"
        )


def test_the_first_part_must_start_at_zero(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ecr_client.exceptions.InvalidLayerPartException):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=1, partLastByte=2, layerPartBlob=b"ab"
        )


def test_the_byte_range_must_match_the_part_size(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ecr_client.exceptions.InvalidLayerPartException):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=9, layerPartBlob=b"abc"
        )


def test_unknown_upload_id(ecr_client, repo):
    unknown = "6cb64b8a-9378-0e33-2ab1-b780fab8a9e9"
    with pytest.raises(ecr_client.exceptions.UploadNotFoundException):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=unknown, partFirstByte=0, partLastByte=0, layerPartBlob=b"a"
        )
    with pytest.raises(ecr_client.exceptions.UploadNotFoundException):
        ecr_client.complete_layer_upload(repositoryName=repo, uploadId=unknown, layerDigests=[sha(b"a")])


def test_an_upload_belongs_to_its_repository(ecr_client, repo):
    ecr_client.create_repository(repositoryName="other")
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ecr_client.exceptions.UploadNotFoundException):
        ecr_client.upload_layer_part(
            repositoryName="other", uploadId=upload_id, partFirstByte=0, partLastByte=0, layerPartBlob=b"a"
        )


# -- CompleteLayerUpload ----------------------------------------------------------------------


def test_complete_returns_the_digest_of_the_uploaded_bytes(ecr_client, repo):
    answer_digest = upload(ecr_client, repo, b"hello layer")
    assert answer_digest == sha(b"hello layer")


def test_parts_of_at_least_5_mib_are_joined_in_order(ecr_client, repo, fake_ecr):
    first, last = b"a" * (5 * MiB), b"tail"
    digest = upload(ecr_client, repo, first, last)
    assert digest == sha(first + last)


def test_a_non_final_part_under_5_mib_is_too_small(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    for first, part in ((0, b"abc"), (3, b"def")):
        ecr_client.upload_layer_part(
            repositoryName=repo,
            uploadId=upload_id,
            partFirstByte=first,
            partLastByte=first + 2,
            layerPartBlob=part,
        )
    with pytest.raises(ecr_client.exceptions.LayerPartTooSmallException) as excinfo:
        ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"abcdef")])
    assert excinfo.value.response["Error"]["Message"] == "Layer parts must be at least 5 MiB in size"


def test_complete_without_parts_is_an_empty_upload(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ecr_client.exceptions.EmptyUploadException):
        ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"")])


def test_a_wrong_digest_is_an_invalid_layer(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidLayerException) as excinfo:
        upload(ecr_client, repo, b"data", digest=sha(b"other data"))
    assert "does not match the digest specified" in excinfo.value.response["Error"]["Message"]


def test_uploading_a_layer_twice(ecr_client, repo):
    upload(ecr_client, repo, b"same bytes")
    with pytest.raises(ecr_client.exceptions.LayerAlreadyExistsException):
        upload(ecr_client, repo, b"same bytes")


def test_a_completed_upload_is_gone(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    ecr_client.upload_layer_part(
        repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=0, layerPartBlob=b"x"
    )
    ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"x")])
    with pytest.raises(ecr_client.exceptions.UploadNotFoundException):
        ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"x")])


def test_blobs_are_stored_per_repository(ecr_client, repo):
    ecr_client.create_repository(repositoryName="other")
    digest = upload(ecr_client, repo, b"shared")
    answer = ecr_client.batch_check_layer_availability(repositoryName="other", layerDigests=[digest])
    assert answer["layers"] == [{"layerDigest": digest, "layerAvailability": "UNAVAILABLE"}]
    assert upload(ecr_client, "other", b"shared") == digest


# -- BatchCheckLayerAvailability ----------------------------------------------------------------


def test_availability_of_pushed_layers_and_config(ecr_client, repo):
    layer = b"layer bytes"
    digest = push_image(ecr_client, repo, "v1", layers=[layer])
    manifest = json.loads(
        ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])["images"][0][
            "imageManifest"
        ]
    )
    config = manifest["config"]
    answer = ecr_client.batch_check_layer_availability(
        repositoryName=repo, layerDigests=[sha(layer), config["digest"], sha(b"missing")]
    )
    assert answer["failures"] == []
    assert answer["layers"] == [
        {
            "layerDigest": sha(layer),
            "layerAvailability": "AVAILABLE",
            "layerSize": len(layer),
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
        },
        {
            "layerDigest": config["digest"],
            "layerAvailability": "AVAILABLE",
            "layerSize": config["size"],
            "mediaType": "application/vnd.docker.container.image.v1+json",
        },
        {"layerDigest": sha(b"missing"), "layerAvailability": "UNAVAILABLE"},
    ]


def test_an_uploaded_but_unreferenced_layer_is_available_without_media_type(ecr_client, repo):
    digest = upload(ecr_client, repo, b"loose")
    answer = ecr_client.batch_check_layer_availability(repositoryName=repo, layerDigests=[digest])
    assert answer["layers"] == [{"layerDigest": digest, "layerAvailability": "AVAILABLE", "layerSize": 5}]


def test_availability_failures(ecr_client, repo):
    answer = ecr_client.batch_check_layer_availability(repositoryName=repo, layerDigests=["", "not-a-digest"])
    assert answer["layers"] == []
    assert [(f["layerDigest"], f["failureCode"]) for f in answer["failures"]] == [
        ("", "MissingLayerDigest"),
        ("not-a-digest", "InvalidLayerDigest"),
    ]
    assert all(f["failureReason"] for f in answer["failures"])


def test_availability_in_a_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.batch_check_layer_availability(repositoryName="nope", layerDigests=[sha(b"a")])


# -- GetDownloadUrlForLayer --------------------------------------------------------------------


def test_download_url_gives_back_the_layer_bytes(ecr_client, repo, fake_ecr):
    layer = b"\x00binary layer\xff" * 100
    push_image(ecr_client, repo, "v1", layers=[layer])
    answer = ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(layer))
    assert answer["layerDigest"] == sha(layer)
    assert answer["downloadUrl"].startswith("https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/")
    assert fake_ecr.download(answer["downloadUrl"]) == layer


def test_download_of_an_unknown_url(fake_ecr):
    from fake_ecr import FakeECRError

    with pytest.raises(FakeECRError):
        fake_ecr.download("https://example.com/nothing")


def test_download_url_of_a_missing_layer(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException) as excinfo:
        ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(b"missing"))
    assert excinfo.value.response["Error"]["Message"] == (
        f"The layer with digest '{sha(b'missing')}' does not exist within the repository with name "
        "'app' in the registry with id '123456789012'"
    )


def test_download_url_of_a_layer_no_image_references(ecr_client, repo):
    digest = upload(ecr_client, repo, b"loose")
    with pytest.raises(ecr_client.exceptions.LayerInaccessibleException):
        ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=digest)


def test_a_layer_becomes_inaccessible_when_its_image_is_deleted(ecr_client, repo):
    digest = push_image(ecr_client, repo, "v1", layers=[b"only here"])
    ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(b"only here"))
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])
    with pytest.raises(ecr_client.exceptions.LayerInaccessibleException):
        ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(b"only here"))


def test_large_layers_upload_in_parts(ecr_client, repo, fake_ecr):
    layer = bytes(range(256)) * (48 * 1024 + 7)  # about 12 MiB: two parts of partSize
    push_image(ecr_client, repo, "big", layers=[layer])
    parts = [c for c in fake_ecr.calls if c.operation == "UploadLayerPart" and len(c.params["layerPartBlob"]) > 4096]
    assert [len(c.params["layerPartBlob"]) for c in parts] == [10 * MiB, len(layer) - 10 * MiB]
    url = ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(layer))["downloadUrl"]
    assert fake_ecr.download(url) == layer


def test_after_a_wrong_digest_the_upload_can_be_completed(ecr_client, repo):
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    ecr_client.upload_layer_part(
        repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=1, layerPartBlob=b"ok"
    )
    with pytest.raises(ecr_client.exceptions.InvalidLayerException):
        ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"no")])
    done = ecr_client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(b"ok")])
    assert done["layerDigest"] == sha(b"ok")


def test_too_many_parts(ecr_client, repo):
    # ECR allows 4,200 parts per upload; one-byte parts reach the quota in about a second.
    upload_id = ecr_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    for first in range(4200):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=first, partLastByte=first, layerPartBlob=b"x"
        )
    with pytest.raises(ecr_client.exceptions.LimitExceededException):
        ecr_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=4200, partLastByte=4200, layerPartBlob=b"x"
        )


def test_a_download_url_outlives_its_image(ecr_client, repo, fake_ecr):
    digest = push_image(ecr_client, repo, "v1", layers=[b"kept"])
    url = ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=sha(b"kept"))["downloadUrl"]
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])
    assert fake_ecr.download(url) == b"kept"


def test_schema1_manifests_need_their_layers_too(ecr_client, repo):
    manifest = json.dumps(
        {"schemaVersion": 1, "name": "app", "tag": "old", "fsLayers": [{"blobSum": sha(b"old layer")}], "history": []}
    )
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException):
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest)
    upload(ecr_client, repo, b"old layer")
    image = ecr_client.put_image(repositoryName=repo, imageManifest=manifest)["image"]
    assert image["imageManifestMediaType"] == "application/vnd.docker.distribution.manifest.v1+json"
