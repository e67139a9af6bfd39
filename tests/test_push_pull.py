"""PutImage with every kind of manifest and its references, DescribeImages' computed fields,
BatchGetImage's acceptedMediaTypes and pull time, and the push_image helper."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import helpers
import pytest
from helpers import DOCKER_MANIFEST as DOCKER
from helpers import OCI_INDEX, sha
from helpers import OCI_MANIFEST as OCI

from fake_ecr import FakeECR, push_image

DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"


def get_manifest(client, repo: str, digest: str) -> dict:
    images = client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])["images"]
    return json.loads(images[0]["imageManifest"])


def detail(client, repo: str, digest: str) -> dict:
    return client.describe_images(repositoryName=repo, imageIds=[{"imageDigest": digest}])["imageDetails"][0]


def upload(client, repo: str, data: bytes) -> dict:
    """Upload one blob; return its descriptor (without mediaType)."""
    upload_id = client.initiate_layer_upload(repositoryName=repo)["uploadId"]
    client.upload_layer_part(
        repositoryName=repo, uploadId=upload_id, partFirstByte=0, partLastByte=len(data) - 1, layerPartBlob=data
    )
    client.complete_layer_upload(repositoryName=repo, uploadId=upload_id, layerDigests=[sha(data)])
    return {"size": len(data), "digest": sha(data)}


def manifest_with(config: dict, layers: list[dict], media_type: str | None = OCI, **extra) -> str:
    doc: dict = {"schemaVersion": 2}
    if media_type:
        doc["mediaType"] = media_type
    doc.update({"config": config, "layers": layers, **extra})
    return json.dumps(doc)


# -- every kind of manifest ---------------------------------------------------------------------


@pytest.mark.parametrize("media_type", [DOCKER, OCI])
def test_image_manifests(ecr_client, repo, media_type):
    digest = push_image(ecr_client, repo, "v1", media_type=media_type)
    info = detail(ecr_client, repo, digest)
    assert info["imageManifestMediaType"] == media_type
    manifest = get_manifest(ecr_client, repo, digest)
    assert info["artifactMediaType"] == manifest["config"]["mediaType"]
    assert info["imageSizeInBytes"] == manifest["config"]["size"] + sum(l["size"] for l in manifest["layers"])
    assert info["imageTags"] == ["v1"]


@pytest.mark.parametrize(
    ("short", "media_type", "child_type"),
    [
        ("docker-list", DOCKER_LIST, DOCKER),
        ("oci-index", OCI_INDEX, OCI),
    ],
)
def test_multi_platform_images(ecr_client, repo, short, media_type, child_type):
    digest = push_image(ecr_client, repo, "multi", media_type=short, platforms=["linux/amd64", "linux/arm64/v8"])
    index = get_manifest(ecr_client, repo, digest)
    assert index["mediaType"] == media_type
    assert [m["platform"] for m in index["manifests"]] == [
        {"architecture": "amd64", "os": "linux"},
        {"architecture": "arm64", "os": "linux", "variant": "v8"},
    ]
    children = [detail(ecr_client, repo, m["digest"]) for m in index["manifests"]]
    assert all(c["imageManifestMediaType"] == child_type and "imageTags" not in c for c in children)
    info = detail(ecr_client, repo, digest)
    # "If the image is a manifest list, this will be the max size of all manifests in the list."
    assert info["imageSizeInBytes"] == max(c["imageSizeInBytes"] for c in children)
    assert info["imageManifestMediaType"] == media_type


def test_platforms_with_an_image_type_push_an_index_of_that_family(ecr_client, repo):
    digest = push_image(ecr_client, repo, "multi", media_type="oci", platforms=["linux/amd64"])
    assert detail(ecr_client, repo, digest)["imageManifestMediaType"] == OCI_INDEX


def test_oci_artifact_with_artifact_type(ecr_client, repo):
    subject = push_image(ecr_client, repo, "v1")
    digest = push_image(
        ecr_client, repo, artifact_type="application/vnd.example.sbom+json", layers=[b"{}"], subject=subject
    )
    info = detail(ecr_client, repo, digest)
    assert info["artifactMediaType"] == "application/vnd.example.sbom+json"
    assert info["subjectManifestDigest"] == subject
    assert info["imageManifestMediaType"] == OCI
    assert "subjectManifestDigest" not in detail(ecr_client, repo, subject)


def test_oci_artifact_typed_by_its_config_media_type(ecr_client, repo):
    # A Helm chart: no artifactType, the config media type names the artifact.
    config = upload(ecr_client, repo, b'{"name":"chart"}')
    chart = upload(ecr_client, repo, b"chart tarball")
    manifest = manifest_with(
        {"mediaType": HELM_CONFIG, **config},
        [{"mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip", **chart}],
    )
    digest = ecr_client.put_image(repositoryName=repo, imageManifest=manifest, imageTag="0.1.0")["image"]["imageId"][
        "imageDigest"
    ]
    info = detail(ecr_client, repo, digest)
    assert info["artifactMediaType"] == HELM_CONFIG
    assert info["imageSizeInBytes"] == config["size"] + chart["size"]


def test_media_type_from_the_request_when_the_manifest_has_none(ecr_client, repo):
    config = upload(ecr_client, repo, b"{}")
    manifest = manifest_with({"mediaType": "application/vnd.oci.image.config.v1+json", **config}, [], media_type=None)
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest)
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"
    )
    image = ecr_client.put_image(repositoryName=repo, imageManifest=manifest, imageManifestMediaType=OCI)["image"]
    assert image["imageManifestMediaType"] == OCI
    assert image["imageManifest"] == manifest


def test_malformed_json_is_refused(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.put_image(repositoryName=repo, imageManifest='{"schemaVersion": 2,')
    assert "Invalid JSON syntax" in excinfo.value.response["Error"]["Message"]


def test_unsupported_media_type_is_refused(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.put_image(
            repositoryName=repo, imageManifest=manifest_with({}, [], media_type="application/x-not-a-manifest")
        )


# -- references must exist -------------------------------------------------------------------------


def test_layers_must_be_uploaded_first(ecr_client, repo):
    config = upload(ecr_client, repo, b"{}")
    missing = {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 4, "digest": sha(b"nope")}
    manifest = manifest_with({"mediaType": "application/vnd.oci.image.config.v1+json", **config}, [missing])
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException) as excinfo:
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest, imageTag="v1")
    assert excinfo.value.response["Error"]["Message"] == (
        f"Layers with digests '[{sha(b'nope')}]' required for pushing image into repository with name "
        "'app' in the registry with id '123456789012' do not exist"
    )
    assert ecr_client.list_images(repositoryName=repo)["imageIds"] == []


def test_the_config_blob_must_be_uploaded_first(ecr_client, repo):
    layer = upload(ecr_client, repo, b"layer")
    manifest = manifest_with(
        {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 2, "digest": sha(b"{}")},
        [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer}],
    )
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException) as excinfo:
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest)
    assert sha(b"{}") in excinfo.value.response["Error"]["Message"]


def test_blobs_of_another_repository_do_not_count(ecr_client, repo):
    ecr_client.create_repository(repositoryName="other")
    config = upload(ecr_client, "other", b"{}")
    manifest = manifest_with({"mediaType": "application/vnd.oci.image.config.v1+json", **config}, [])
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException):
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest)


def test_an_index_needs_its_manifests(ecr_client, repo):
    child = push_image(ecr_client, repo, media_type="oci")
    absent = sha("absent")
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": OCI, "size": 10, "digest": d} for d in (child, absent)],
        }
    )
    with pytest.raises(ecr_client.exceptions.ReferencedImagesNotFoundException) as excinfo:
        ecr_client.put_image(repositoryName=repo, imageManifest=index, imageTag="multi")
    assert absent in excinfo.value.response["Error"]["Message"]
    assert child not in excinfo.value.response["Error"]["Message"]


@pytest.mark.fake_ecr(require_blobs=False)
def test_the_marker_lets_a_test_store_manifests_without_content(ecr_client, repo):
    manifest = manifest_with(
        {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 5, "digest": sha("c")},
        [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 7, "digest": sha("l")}],
    )
    child = ecr_client.put_image(repositoryName=repo, imageManifest=manifest)["image"]["imageId"]["imageDigest"]
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": OCI, "size": 1, "digest": d} for d in (child, sha("x"))],
        }
    )
    ecr_client.put_image(repositoryName=repo, imageManifest=index, imageTag="multi")
    assert detail(ecr_client, repo, child)["imageSizeInBytes"] == 12


def test_the_controller_option_lets_a_test_store_manifests_without_content():
    with FakeECR(require_blobs=False) as fake:
        client = fake.client()
        client.create_repository(repositoryName="app")
        manifest = manifest_with(
            {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 5, "digest": sha("c")}, []
        )
        client.put_image(repositoryName="app", imageManifest=manifest, imageTag="v1")
        assert client.list_images(repositoryName="app")["imageIds"][0]["imageTag"] == "v1"


# -- deleting what an index references ----------------------------------------------------------------


def test_an_image_listed_by_an_index_cannot_be_deleted(ecr_client, repo):
    index_digest = push_image(ecr_client, repo, "multi", media_type="oci-index")
    child = get_manifest(ecr_client, repo, index_digest)["manifests"][0]["digest"]
    answer = ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": child}])
    assert answer["imageIds"] == []
    assert answer["failures"] == [
        {
            "imageId": {"imageDigest": child},
            "failureCode": "ImageReferencedByManifestList",
            "failureReason": "Requested image referenced by a manifest list",
        }
    ]
    # Deleting the index first frees its children, even within one request.
    answer = ecr_client.batch_delete_image(
        repositoryName=repo, imageIds=[{"imageDigest": index_digest}, {"imageDigest": child}]
    )
    assert answer["failures"] == []
    assert {i["imageDigest"] for i in answer["imageIds"]} == {index_digest, child}


def test_deleting_a_repository_with_force_ignores_index_references(ecr_client, repo):
    push_image(ecr_client, repo, "multi", media_type="docker-list")
    ecr_client.delete_repository(repositoryName=repo, force=True)
    assert ecr_client.describe_repositories()["repositories"] == []


# -- pulling --------------------------------------------------------------------------------------------


def test_accepted_media_types(ecr_client, repo):
    digest = push_image(ecr_client, repo, "v1", media_type="oci")
    got = ecr_client.batch_get_image(
        repositoryName=repo, imageIds=[{"imageTag": "v1"}], acceptedMediaTypes=[DOCKER, OCI]
    )
    assert [i["imageId"] for i in got["images"]] == [{"imageDigest": digest, "imageTag": "v1"}]
    refused = ecr_client.batch_get_image(
        repositoryName=repo, imageIds=[{"imageTag": "v1"}], acceptedMediaTypes=[DOCKER]
    )
    assert refused["images"] == []
    assert refused["failures"][0]["imageId"] == {"imageTag": "v1"}
    assert refused["failures"][0]["failureCode"] == "ImageNotFound"


def test_a_pull_records_the_pull_time_from_the_fake_clock(ecr_client, repo, fake_ecr):
    fake_ecr.clock.freeze(datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    digest = push_image(ecr_client, repo, "v1")
    assert "lastRecordedPullTime" not in detail(ecr_client, repo, digest)
    fake_ecr.clock.advance(hours=1)
    ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}])
    assert detail(ecr_client, repo, digest)["lastRecordedPullTime"] == datetime(
        2025, 1, 2, 4, 4, 5, tzinfo=timezone.utc
    )
    # A pull refused for its media types is not a pull.
    fake_ecr.clock.advance(hours=1)
    ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}], acceptedMediaTypes=[OCI])
    assert detail(ecr_client, repo, digest)["lastRecordedPullTime"].hour == 4


# -- the helper ---------------------------------------------------------------------------------------------


def test_push_image_returns_the_manifest_digest(ecr_client, repo):
    digest = push_image(ecr_client, repo, "v1", layers=[b"a", b"b"])
    raw = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "v1"}])["images"][0]["imageManifest"]
    assert digest == sha(raw)
    manifest = json.loads(raw)
    assert [l["digest"] for l in manifest["layers"]] == [sha(b"a"), sha(b"b")]


def test_push_image_random_layers_make_new_images(ecr_client, repo):
    first = push_image(ecr_client, repo, layers=3, layer_size=10)
    second = push_image(ecr_client, repo, layers=3, layer_size=10)
    assert first != second
    assert [l["size"] for l in get_manifest(ecr_client, repo, first)["layers"]] == [10, 10, 10]


def test_push_image_skips_blobs_the_repository_has(ecr_client, repo, fake_ecr):
    push_image(ecr_client, repo, "v1", layers=[b"base", b"app-1"])
    before = len([c for c in fake_ecr.calls if c.operation == "InitiateLayerUpload"])
    push_image(ecr_client, repo, "v2", layers=[b"base", b"app-2"])
    uploads = [c for c in fake_ecr.calls if c.operation == "InitiateLayerUpload"][before:]
    assert len(uploads) == 2  # the new layer and the new config; the base layer is reused


def test_push_image_with_a_given_config(ecr_client, repo):
    digest = push_image(ecr_client, repo, "v1", config={"config": {"Labels": {"team": "web"}}}, media_type="oci")
    config_digest = get_manifest(ecr_client, repo, digest)["config"]["digest"]
    url = ecr_client.get_download_url_for_layer(repositoryName=repo, layerDigest=config_digest)["downloadUrl"]
    from fake_ecr import current

    config = json.loads(current().download(url))
    assert config["config"] == {"Labels": {"team": "web"}}
    assert config["architecture"] == "amd64" and config["os"] == "linux"


def test_controller_push_image(fake_ecr, ecr_client, repo):
    digest = fake_ecr.push_image(repo, "v1")
    assert ecr_client.list_images(repositoryName=repo)["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}]


def test_push_image_to_a_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        push_image(ecr_client, "nope", "v1")


def test_controller_push_image_needs_an_active_fake():
    from fake_ecr import FakeECRError

    with pytest.raises(FakeECRError):
        FakeECR().push_image("app", "v1")


@helpers.without_blobs
def test_manifests_from_the_test_helpers_need_the_opt_out(ecr_client, repo):
    digest = ecr_client.put_image(repositoryName=repo, imageManifest=helpers.manifest("a"))["image"]["imageId"][
        "imageDigest"
    ]
    assert detail(ecr_client, repo, digest)["imageSizeInBytes"] == 350


def test_without_the_opt_out_helper_manifests_are_refused(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.LayersNotFoundException):
        ecr_client.put_image(repositoryName=repo, imageManifest=helpers.manifest("a"))


def test_concurrent_pushes_sharing_layers_all_succeed():
    """Eight threads push images sharing layers at once: a layer another push stored meanwhile
    (LayerAlreadyExistsException on CompleteLayerUpload) counts as pushed, as docker treats it."""
    import threading

    shared = [bytes([n]) * 4096 for n in range(3)]
    with FakeECR() as fake:
        client = fake.client()
        client.create_repository(repositoryName="shared-layers")
        for attempt in range(3):
            barrier = threading.Barrier(8)
            errors: list[BaseException] = []
            digests: list[str] = []

            def push(n: int) -> None:
                try:
                    own = fake.client()
                    barrier.wait()
                    digests.append(
                        push_image(
                            own, "shared-layers", f"r{attempt}-t{n}", layers=shared + [f"{attempt}-{n}".encode() * 512]
                        )
                    )
                except BaseException as exc:  # pragma: no cover - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=push, args=(n,)) for n in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert errors == []
            assert len(set(digests)) == 8
        completes = fake.get_calls("CompleteLayerUpload")
        assert all(c.error is None or c.error.code == "LayerAlreadyExistsException" for c in completes)
        tags = client.list_images(repositoryName="shared-layers", filter={"tagStatus": "TAGGED"})["imageIds"]
        assert len(tags) == 24


def test_push_image_takes_both_spellings_on_the_fixture(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="both")
    by_name = fake_ecr.push_image("both", "v1")
    with_client = fake_ecr.push_image(ecr_client, "both", "v2", layers=[b"other"])  # fake_ecr.push_image's form
    tags = {i["imageTag"]: i["imageDigest"] for i in ecr_client.list_images(repositoryName="both")["imageIds"]}
    assert tags == {"v1": by_name, "v2": with_client}
