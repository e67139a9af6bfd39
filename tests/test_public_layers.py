"""ECR Public layer uploads and the layers a PutImage needs (the blob code is ECR's, shared)."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
from botocore.exceptions import ClientError
from helpers import index, manifest

from fake_ecr import push_image

MIB = 1024 * 1024


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@pytest.fixture
def repo(ecr_public_client) -> str:
    ecr_public_client.create_repository(repositoryName="app")
    return "app"


def upload(client, repo: str, *parts: bytes) -> str:
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
    return client.complete_layer_upload(
        repositoryName=repo, uploadId=upload_id, layerDigests=[_digest(b"".join(parts))]
    )["layerDigest"]


def test_upload_flow_and_availability(ecr_public_client, fake_ecr, repo):
    started = ecr_public_client.initiate_layer_upload(repositoryName=repo)
    uuid.UUID(started["uploadId"])
    assert started["partSize"] == 10 * MIB
    data = b"layer bytes"
    part = ecr_public_client.upload_layer_part(
        repositoryName=repo,
        uploadId=started["uploadId"],
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    assert part["lastByteReceived"] == len(data) - 1
    assert part["registryId"] == fake_ecr.account_id and part["repositoryName"] == repo
    done = ecr_public_client.complete_layer_upload(
        repositoryName=repo, uploadId=started["uploadId"], layerDigests=[_digest(data)]
    )
    assert done["layerDigest"] == _digest(data) and done["uploadId"] == started["uploadId"]
    check = ecr_public_client.batch_check_layer_availability(
        repositoryName=repo, layerDigests=[_digest(data), _digest(b"other"), "not-a-digest"]
    )
    assert check["layers"] == [
        {"layerDigest": _digest(data), "layerAvailability": "AVAILABLE", "layerSize": len(data)},
        {"layerDigest": _digest(b"other"), "layerAvailability": "UNAVAILABLE"},
    ]
    assert [f["failureCode"] for f in check["failures"]] == ["InvalidLayerDigest"]
    with pytest.raises(ClientError) as err:
        ecr_public_client.batch_check_layer_availability(
            repositoryName=repo, layerDigests=[_digest(bytes([i])) for i in range(101)]
        )
    assert _code(err) == "InvalidParameterException"


def test_multi_part_upload_needs_5_mib_parts(ecr_public_client, repo):
    big, tail = b"a" * (5 * MIB), b"b" * 10
    assert upload(ecr_public_client, repo, big, tail) == _digest(big + tail)
    with pytest.raises(ClientError) as err:
        upload(ecr_public_client, repo, b"small", tail)
    assert _code(err) == "LayerPartTooSmallException"
    assert err.value.response["Error"]["Message"] == "Layer parts must be at least 5 MiB in size"


def test_complete_upload_errors(ecr_public_client, repo):
    upload(ecr_public_client, repo, b"once")
    with pytest.raises(ClientError) as err:
        upload(ecr_public_client, repo, b"once")
    assert _code(err) == "LayerAlreadyExistsException"
    empty = ecr_public_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ClientError) as err:
        ecr_public_client.complete_layer_upload(repositoryName=repo, uploadId=empty, layerDigests=[_digest(b"")])
    assert _code(err) == "EmptyUploadException"
    wrong = ecr_public_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    ecr_public_client.upload_layer_part(
        repositoryName=repo, uploadId=wrong, partFirstByte=0, partLastByte=2, layerPartBlob=b"abc"
    )
    with pytest.raises(ClientError) as err:
        ecr_public_client.complete_layer_upload(repositoryName=repo, uploadId=wrong, layerDigests=[_digest(b"xyz")])
    assert _code(err) == "InvalidLayerException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.complete_layer_upload(
            repositoryName=repo, uploadId=str(uuid.uuid4()), layerDigests=[_digest(b"x")]
        )
    assert _code(err) == "UploadNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.complete_layer_upload(
            repositoryName=repo, uploadId="not-a-uuid", layerDigests=[_digest(b"x")]
        )
    assert _code(err) == "InvalidParameterException"


def test_upload_part_errors(ecr_public_client, repo):
    upload_id = ecr_public_client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    with pytest.raises(ClientError) as err:
        ecr_public_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=5, partLastByte=7, layerPartBlob=b"abc"
        )
    assert _code(err) == "InvalidLayerPartException"
    assert err.value.response["uploadId"] == upload_id
    with pytest.raises(ClientError) as err:
        ecr_public_client.upload_layer_part(
            repositoryName=repo, uploadId=str(uuid.uuid4()), partFirstByte=0, partLastByte=2, layerPartBlob=b"abc"
        )
    assert _code(err) == "UploadNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.upload_layer_part(
            repositoryName=repo, uploadId="nope", partFirstByte=0, partLastByte=2, layerPartBlob=b"abc"
        )
    assert _code(err) == "InvalidParameterException"
    # ECR Public allows 1,000 parts per upload (ECR: 4,200).
    for first in range(1000):
        ecr_public_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=first, partLastByte=first, layerPartBlob=b"x"
        )
    with pytest.raises(ClientError) as err:
        ecr_public_client.upload_layer_part(
            repositoryName=repo, uploadId=upload_id, partFirstByte=1000, partLastByte=1000, layerPartBlob=b"x"
        )
    assert _code(err) == "LimitExceededException"
    assert "maximum of 1000 layer parts" in err.value.response["Error"]["Message"]


def test_layer_operations_on_missing_repository_or_registry(ecr_public_client, repo):
    calls = {
        "initiate_layer_upload": {},
        "upload_layer_part": {
            "uploadId": str(uuid.uuid4()),
            "partFirstByte": 0,
            "partLastByte": 0,
            "layerPartBlob": b"x",
        },
        "complete_layer_upload": {"uploadId": str(uuid.uuid4()), "layerDigests": [_digest(b"x")]},
        "batch_check_layer_availability": {"layerDigests": [_digest(b"x")]},
    }
    for name, kwargs in calls.items():
        with pytest.raises(ClientError) as err:
            getattr(ecr_public_client, name)(repositoryName="missing", **kwargs)
        assert _code(err) == "RepositoryNotFoundException", name
        with pytest.raises(ClientError) as err:
            getattr(ecr_public_client, name)(registryId="nobody-here", repositoryName=repo, **kwargs)
        assert _code(err) == "RegistryNotFoundException", name
        assert err.value.response["Error"]["Message"] == "The registry with id or alias 'nobody-here' does not exist"


def test_layer_operations_through_the_alias(ecr_public_client, fake_ecr, repo):
    alias = fake_ecr.public_registry().primary_alias.name
    started = ecr_public_client.initiate_layer_upload(registryId=alias, repositoryName=repo)
    assert started["uploadId"]


def test_put_image_needs_its_layers(ecr_public_client, fake_ecr, repo):
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName=repo, imageManifest=manifest("x"))
    assert _code(err) == "LayersNotFoundException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName=repo, imageManifest=index([manifest("x")]))
    assert _code(err) == "ReferencedImagesNotFoundException"


def test_push_like_a_client_then_describe(ecr_public_client, fake_ecr, repo):
    digest = push_image(ecr_public_client, repo, "v1", layers=[b"one", b"two"])
    [detail] = ecr_public_client.describe_images(repositoryName=repo)["imageDetails"]
    assert detail["imageDigest"] == digest and detail["imageTags"] == ["v1"]
    # ECR Public has no BatchGetImage; the fake's state holds the pushed manifest.
    pushed = fake_ecr.public_registry().repository(repo).image(digest).manifest
    config_and_layers = json.loads(
        ecr_public_client.put_image(repositoryName=repo, imageManifest=pushed, imageTag="again")["image"][
            "imageManifest"
        ]
    )
    digests = [config_and_layers["config"]["digest"]] + [l["digest"] for l in config_and_layers["layers"]]
    layers = ecr_public_client.batch_check_layer_availability(repositoryName=repo, layerDigests=digests)["layers"]
    assert {layer["layerAvailability"] for layer in layers} == {"AVAILABLE"}
    multi = push_image(ecr_public_client, repo, "multi", platforms=["linux/amd64", "linux/arm64"])
    tags = {
        t["imageTag"]: t["imageDetail"]["imageDigest"]
        for t in ecr_public_client.describe_image_tags(repositoryName=repo)["imageTagDetails"]
    }
    assert tags == {"v1": digest, "again": digest, "multi": multi}
