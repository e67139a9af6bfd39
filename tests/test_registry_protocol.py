"""The registry endpoint speaks the OCI Distribution Spec v1.1, answered from the fake's state.

Each part of the protocol is exercised with raw HTTP here (tests/test_registry_clients.py runs
real container clients). ECR texts quoted in comments come from users' reports of real ECR.
"""

from __future__ import annotations

import base64
import http.client as httpc
import json
import socket
import time
from collections.abc import Iterable
from typing import Any, Optional

import pytest
from helpers import TestImage, sha

from fake_ecr import FakeECR, RecordedBlob
from fake_ecr.endpoints.http_server import LoopbackServer, Request, Response  # tests of the loopback server itself
from fake_ecr.model.blobs import BlobStore  # the blob store itself: how many copies of a layer exist

pytestmark = pytest.mark.fake_ecr(registry=True)

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"


class Http:
    """A keep-alive HTTP/1.1 connection to the endpoint, sending ECR's Basic credentials."""

    def __init__(self, endpoint: Any, token: Optional[str]) -> None:
        self.connection = httpc.HTTPConnection(endpoint.host, endpoint.port, timeout=30)
        self.token = token

    def __call__(
        self, method: str, path: str, body: Any = None, headers: Optional[dict[str, str]] = None, *, auth: bool = True
    ) -> tuple[int, httpc.HTTPMessage, bytes]:
        sent = dict(headers or {})
        if auth and self.token:
            sent["Authorization"] = f"Basic {self.token}"
        self.connection.request(method, path, body=body, headers=sent)
        response = self.connection.getresponse()
        return response.status, response.headers, response.read()


@pytest.fixture
def token(ecr_client) -> str:
    return str(ecr_client.get_authorization_token()["authorizationData"][0]["authorizationToken"])


@pytest.fixture
def connect(ecr_registry) -> Any:
    """Open connections to the endpoint (closed after the test)."""
    opened: list[Http] = []

    def open_connection(token: Optional[str]) -> Http:
        opened.append(Http(ecr_registry, token))
        return opened[-1]

    yield open_connection
    for connection in opened:
        connection.connection.close()


@pytest.fixture
def http(connect, token) -> Http:
    return connect(token)


def errors_of(body: bytes) -> list[dict[str, Any]]:
    return list(json.loads(body)["errors"])


def upload(http: Http, repo: str, data: bytes) -> str:
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/?digest={sha(data)}", data)
    assert status == 201, headers
    return sha(data)


def push(http: Http, repo: str, image: TestImage, reference: str = "v1") -> str:
    upload(http, repo, image.layer)
    upload(http, repo, image.config)
    status, headers, body = http(
        "PUT", f"/v2/{repo}/manifests/{reference}", image.manifest, {"Content-Type": OCI_MANIFEST}
    )
    assert status == 201, body
    return str(headers["Docker-Content-Digest"])


# -- the server ---------------------------------------------------------------------------------


def test_the_endpoint_starts_fast_on_loopback_and_stops_with_the_fake():
    started = time.perf_counter()
    with FakeECR(registry=True) as fake:
        endpoint = fake.registry_endpoint
        assert time.perf_counter() - started < 0.5
        assert endpoint.address == f"127.0.0.1:{endpoint.port}" and endpoint.url == f"http://{endpoint.address}"
        port = endpoint.port
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert not endpoint.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


@pytest.mark.fake_ecr(registry=False)
def test_the_endpoint_starts_lazily_without_the_option(fake_ecr):
    assert fake_ecr._registry_endpoint is None
    assert fake_ecr.registry_endpoint.running


def test_a_tls_client_hello_gets_a_plain_400_so_clients_fall_back_to_http(ecr_registry):
    with socket.create_connection(("127.0.0.1", ecr_registry.port), timeout=5) as conn:
        conn.sendall(bytes([0x16, 0x03, 0x01, 0x00, 0x05]) + b"hello")
        answer = conn.recv(4096)
    assert answer.startswith(b"HTTP/1.0 400 Bad Request\r\n")


def test_keep_alive_serves_several_requests_on_one_connection(http):
    for _ in range(3):
        status, headers, _ = http("GET", "/v2/")
        assert status == 200 and headers["Docker-Distribution-API-Version"] == "registry/2.0"


def test_unrouted_paths_get_ecr_plain_404(http):
    # ECR answers paths it does not serve with "404 page not found" (github.com/aws/containers-roadmap/issues/1229).
    status, _, body = http("GET", "/not-a-registry-path")
    assert (status, body) == (404, b"404 page not found\n")


def test_apps_are_routed_by_an_explicit_list_of_rules():
    server = LoopbackServer()
    server.mount(lambda request: request.header("X-Amz-Target") is not None, lambda request: Response(200, {}, b"api"))
    server.mount(lambda request: request.path.startswith("/boom"), _explode)
    with _running(server):
        conn = httpc.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(
            "POST", "/", body=b"{}", headers={"X-Amz-Target": "AmazonEC2ContainerRegistry_V20150921.ListImages"}
        )
        assert conn.getresponse().read() == b"api"
        conn.request("GET", "/boom")
        response = conn.getresponse()
        assert response.status == 500 and b"fake_ecr internal error" in response.read()


def _explode(request: Request) -> Response:
    raise RuntimeError("bug")


class _running:
    def __init__(self, server: LoopbackServer) -> None:
        self.server = server

    def __enter__(self) -> LoopbackServer:
        return self.server.start()

    def __exit__(self, *exc: Any) -> None:
        self.server.stop()


def test_chunked_request_bodies_are_read(http, repo):
    data = b"x" * 70_000

    def pieces() -> Iterable[bytes]:
        for start in range(0, len(data), 30_000):
            yield data[start : start + 30_000]

    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/")
    location = headers["Location"]
    http.connection.request(
        "PATCH",
        location,
        body=pieces(),
        encode_chunked=True,
        headers={"Authorization": f"Basic {http.token}", "Transfer-Encoding": "chunked"},
    )
    response = http.connection.getresponse()
    response.read()
    assert response.status == 202 and response.headers["Range"] == f"0-{len(data) - 1}"
    status, headers, _ = http("PUT", f"{location}?digest={sha(data)}")
    assert status == 201 and headers["Docker-Content-Digest"] == sha(data)


# -- authentication -------------------------------------------------------------------------------


def test_version_check_needs_ecr_credentials_and_challenges_like_ecr(http):
    status, headers, body = http("GET", "/v2/", auth=False)
    assert status == 401
    # ECR's challenge, and its "Not Authorized" body (github.com/mdlavin/copy-docker-image/issues/5).
    assert headers["WWW-Authenticate"] == (
        'Basic realm="https://123456789012.dkr.ecr.us-east-1.amazonaws.com/",service="ecr.amazonaws.com"'
    )
    assert body == b"Not Authorized\n"
    assert http("GET", "/v2/")[:1] == (200,)


def test_a_wrong_password_is_refused(http):
    http.token = base64.b64encode(b"AWS:not-the-password").decode()
    assert http("GET", "/v2/")[0] == 401


def test_an_expired_token_is_refused_with_ecr_message(http, fake_ecr, repo):
    fake_ecr.clock.advance(hours=12, seconds=1)
    status, _, body = http("GET", f"/v2/{repo}/tags/list")
    # docker push reports "denied: Your authorization token has expired. Reauthenticate and try
    # again." (github.com/aws/aws-cli/issues/6580).
    assert status == 403
    assert errors_of(body) == [
        {"code": "DENIED", "message": "Your authorization token has expired. Reauthenticate and try again."}
    ]


# -- blobs ----------------------------------------------------------------------------------------


def test_monolithic_upload_post_then_put_and_blob_reads(http, repo):
    data = b"layer bytes" * 100
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/")
    assert status == 202 and headers["Location"].startswith(f"/v2/{repo}/blobs/uploads/")
    status, headers, _ = http("PUT", f"{headers['Location']}?digest={sha(data)}", data)
    assert status == 201 and headers["Location"] == f"/v2/{repo}/blobs/{sha(data)}"
    status, headers, _ = http("HEAD", f"/v2/{repo}/blobs/{sha(data)}")
    assert status == 200 and headers["Content-Length"] == str(len(data))
    assert headers["Docker-Content-Digest"] == sha(data)


def test_blob_get_and_range(http, repo, ecr_client):
    image = TestImage()
    push(http, repo, image)  # GetDownloadUrlForLayer serves only layers an image references
    status, headers, body = http("GET", f"/v2/{repo}/blobs/{sha(image.layer)}")
    assert status == 200 and body == image.layer
    status, headers, body = http("GET", f"/v2/{repo}/blobs/{sha(image.layer)}", headers={"Range": "bytes=2-9"})
    assert status == 206 and body == image.layer[2:10]
    assert headers["Content-Range"] == f"bytes 2-9/{len(image.layer)}"
    status, _, body = http("GET", f"/v2/{repo}/blobs/{sha(image.layer)}", headers={"Range": "bytes=-4"})
    assert status == 206 and body == image.layer[-4:]
    status, headers, _ = http(
        "GET", f"/v2/{repo}/blobs/{sha(image.layer)}", headers={"Range": f"bytes={len(image.layer)}-"}
    )
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(image.layer)}"


def test_an_unknown_blob_is_blob_unknown(http, repo):
    status, _, _ = http("HEAD", f"/v2/{repo}/blobs/{sha(b'nothing')}")
    assert status == 404
    status, _, body = http("GET", f"/v2/{repo}/blobs/{sha(b'nothing')}")
    assert status == 404 and errors_of(body)[0]["code"] == "BLOB_UNKNOWN"


def test_single_post_upload(http, repo, fake_ecr):
    data = b"single post"
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/?digest={sha(data)}", data)
    assert status == 201 and headers["Docker-Content-Digest"] == sha(data)
    # Served by the operations ECR records for a push.
    assert [c.operation for c in fake_ecr.calls[-3:]] == [
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
    ]


def test_chunked_upload_with_and_without_content_range_and_status(http, repo, fake_ecr):
    data = bytes(range(256)) * 40
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/")
    location = headers["Location"]
    status, headers, _ = http(
        "PATCH", location, data[:1000], {"Content-Range": "0-999", "Content-Type": "application/octet-stream"}
    )
    assert status == 202 and headers["Range"] == "0-999"
    status, headers, _ = http("PATCH", location, data[1000:4000])  # streamed, no Content-Range
    assert status == 202 and headers["Range"] == "0-3999"
    status, headers, _ = http("GET", location)
    assert status == 204 and headers["Range"] == "0-3999" and headers["Location"] == location
    status, headers, body = http("PATCH", location, data[5000:6000], {"Content-Range": "5000-5999"})
    assert status == 416 and headers["Range"] == "0-3999"
    assert errors_of(body)[0]["code"] == "BLOB_UPLOAD_INVALID"
    status, headers, _ = http("PUT", f"{location}?digest={sha(data)}", data[4000:])
    assert status == 201
    # Chunks of any size reach the API as one part, so UploadLayerPart's 5 MiB minimum never bites.
    parts = fake_ecr.get_calls("UploadLayerPart")
    assert len(parts) == 1 and parts[0].params["layerPartBlob"] == data
    assert fake_ecr.repository(repo).state(BlobStore).blob(sha(data)).data == data
    assert isinstance(parts[0].params["layerPartBlob"], RecordedBlob)  # the log keeps no copy of the bytes


def test_a_wrong_digest_is_digest_invalid_and_an_unknown_upload_is_unknown(http, repo):
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/")
    status, _, body = http("PUT", f"{headers['Location']}?digest={sha(b'other')}", b"data")
    assert status == 400 and errors_of(body)[0]["code"] == "DIGEST_INVALID"
    status, _, body = http("PATCH", f"/v2/{repo}/blobs/uploads/no-such-upload", b"data")
    assert status == 404 and errors_of(body)[0]["code"] == "BLOB_UPLOAD_UNKNOWN"


def test_an_upload_can_be_cancelled(http, repo):
    status, headers, _ = http("POST", f"/v2/{repo}/blobs/uploads/")
    assert http("DELETE", headers["Location"])[0] == 204
    assert http("GET", headers["Location"])[0] == 404


def test_blob_delete_is_unsupported_as_on_ecr(http, repo):
    # ECR deletes images, never blobs: the registry refuses blob DELETE.
    status, _, body = http("DELETE", f"/v2/{repo}/blobs/{sha(b'x')}")
    assert status == 405 and errors_of(body)[0]["code"] == "UNSUPPORTED"


def test_cross_repository_mount_needs_blob_mounting_enabled(http, ecr_client, fake_ecr):
    for name in ("source", "target"):
        ecr_client.create_repository(repositoryName=name)
    data = b"shared layer"
    upload(http, "source", data)
    # Off by default: the spec lets a registry answer 202 and start a normal upload instead.
    status, headers, _ = http("POST", f"/v2/target/blobs/uploads/?mount={sha(data)}&from=source")
    assert status == 202 and "/blobs/uploads/" in headers["Location"]
    ecr_client.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    status, headers, _ = http("POST", f"/v2/target/blobs/uploads/?mount={sha(data)}&from=source")
    assert status == 201 and headers["Location"] == f"/v2/target/blobs/{sha(data)}"
    assert http("HEAD", f"/v2/target/blobs/{sha(data)}")[0] == 200
    status, _, _ = http("POST", f"/v2/target/blobs/uploads/?mount={sha(b'absent')}&from=source")
    assert status == 202


def test_pushing_to_a_missing_repository_is_name_unknown_with_ecr_message(http):
    # "name unknown: The repository with name 'service-t' does not exist in the registry with id
    # '***'" (github.com/aws-actions/amazon-ecr-login/issues/166).
    status, _, body = http("POST", "/v2/missing/blobs/uploads/")
    assert status == 404
    assert errors_of(body) == [
        {
            "code": "NAME_UNKNOWN",
            "message": "The repository with name 'missing' does not exist in the registry with id '123456789012'",
        }
    ]


# -- manifests ---------------------------------------------------------------------------------------


def test_manifests_by_tag_and_digest_with_accept_negotiation(http, repo, ecr_client):
    image = TestImage()
    digest = push(http, repo, image)
    assert digest == image.digest
    for reference in ("v1", digest):
        status, headers, body = http("GET", f"/v2/{repo}/manifests/{reference}", headers={"Accept": OCI_MANIFEST})
        assert status == 200 and body == image.manifest
        assert headers["Content-Type"] == OCI_MANIFEST and headers["Docker-Content-Digest"] == digest
        status, headers, body = http("HEAD", f"/v2/{repo}/manifests/{reference}")
        assert status == 200 and body == b"" and headers["Content-Length"] == str(len(image.manifest))
    docker_only = "application/vnd.docker.distribution.manifest.v2+json"
    status, _, body = http("GET", f"/v2/{repo}/manifests/v1", headers={"Accept": docker_only})
    assert status == 404 and errors_of(body)[0]["code"] == "MANIFEST_UNKNOWN"
    detail = ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]
    assert (detail["imageDigest"], detail["imageSizeInBytes"], detail["imageTags"]) == (digest, image.size, ["v1"])
    assert "lastRecordedPullTime" in detail


def test_a_manifest_pushed_by_digest_is_untagged(http, repo, ecr_client):
    image = TestImage()
    upload(http, repo, image.layer)
    upload(http, repo, image.config)
    status, headers, _ = http(
        "PUT", f"/v2/{repo}/manifests/{image.digest}", image.manifest, {"Content-Type": OCI_MANIFEST}
    )
    assert status == 201 and headers["Location"] == f"/v2/{repo}/manifests/{image.digest}"
    assert ecr_client.list_images(repositoryName=repo)["imageIds"] == [{"imageDigest": image.digest}]


def test_a_manifest_with_missing_blobs_is_refused(http, repo):
    status, _, body = http("PUT", f"/v2/{repo}/manifests/v1", TestImage().manifest, {"Content-Type": OCI_MANIFEST})
    assert status == 400 and errors_of(body)[0]["code"] == "MANIFEST_BLOB_UNKNOWN"


def test_an_immutable_tag_cannot_be_moved(http, ecr_client):
    ecr_client.create_repository(repositoryName="fixed", imageTagMutability="IMMUTABLE")
    push(http, "fixed", TestImage())
    other = TestImage("changed\n")
    upload(http, "fixed", other.layer)
    upload(http, "fixed", other.config)
    status, _, body = http("PUT", "/v2/fixed/manifests/v1", other.manifest, {"Content-Type": OCI_MANIFEST})
    # docker push: "tag invalid: The image tag 'latest' already exists in the 'app_service_image'
    # repository and cannot be overwritten because the repository is immutable."
    # (github.com/aws/containers-roadmap/issues/862, github.com/moby/buildkit/issues/3776)
    assert status == 400
    assert errors_of(body) == [
        {
            "code": "TAG_INVALID",
            "message": "The image tag 'v1' already exists in the "
            "'fixed' repository and cannot be overwritten because the repository is immutable.",
        }
    ]


def test_pushing_the_same_manifest_again_succeeds(http, repo):
    image = TestImage()
    push(http, repo, image)
    assert push(http, repo, image) == image.digest


def test_delete_by_tag_and_by_digest(http, repo, ecr_client):
    image = TestImage()
    digest = push(http, repo, image)
    status, _, _ = http("PUT", f"/v2/{repo}/manifests/v2", image.manifest, {"Content-Type": OCI_MANIFEST})
    assert http("DELETE", f"/v2/{repo}/manifests/v2")[0] == 202  # removes the tag only
    assert ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]["imageTags"] == ["v1"]
    assert http("DELETE", f"/v2/{repo}/manifests/{digest}")[0] == 202
    assert ecr_client.describe_images(repositoryName=repo)["imageDetails"] == []
    status, _, body = http("DELETE", f"/v2/{repo}/manifests/{digest}")
    assert status == 404 and errors_of(body)[0]["code"] == "MANIFEST_UNKNOWN"
    status, _, body = http("GET", f"/v2/{repo}/manifests/v1")
    assert status == 404 and errors_of(body)[0]["code"] == "MANIFEST_UNKNOWN"


def test_an_image_pushed_through_the_api_is_pulled_byte_for_byte(http, repo, fake_ecr):
    digest = fake_ecr.push_image(repo, "api", layers=[b"layer one", b"layer two"])
    status, _, body = http("GET", f"/v2/{repo}/manifests/api")
    manifest = json.loads(body)
    assert status == 200
    for layer, content in zip(manifest["layers"], [b"layer one", b"layer two"]):
        assert http("GET", f"/v2/{repo}/blobs/{layer['digest']}")[2] == content
    assert fake_ecr.get_calls("BatchGetImage")[-1].response["images"][0]["imageId"]["imageDigest"] == digest


def test_planned_faults_fail_registry_requests_too(http, repo, fake_ecr):
    image = TestImage()
    upload(http, repo, image.layer)
    upload(http, repo, image.config)
    fake_ecr.faults.fail_next("PutImage", "ServerException", message="boom", status=500)
    status, _, body = http("PUT", f"/v2/{repo}/manifests/v1", image.manifest, {"Content-Type": OCI_MANIFEST})
    assert status == 500 and errors_of(body) == [{"code": "UNKNOWN", "message": "boom"}]
    assert fake_ecr.get_calls("PutImage")[-1].error.code == "ServerException"
    assert http("GET", f"/v2/{repo}/manifests/v1")[0] == 404  # the failed push stored nothing
    push(http, repo, image)
    fake_ecr.faults.fail_next("BatchGetImage")  # ThrottlingException
    status, _, body = http("GET", f"/v2/{repo}/manifests/v1")
    assert status == 429 and errors_of(body)[0]["code"] == "TOOMANYREQUESTS"


# -- content discovery -------------------------------------------------------------------------------


def test_tags_list_pages_with_n_and_last(http, repo, fake_ecr):
    for tag in ("c", "a", "d", "b"):
        fake_ecr.push_image(repo, tag, layers=[b"same"])
    status, headers, body = http("GET", f"/v2/{repo}/tags/list")
    assert json.loads(body) == {"name": repo, "tags": ["a", "b", "c", "d"]} and "Link" not in headers
    status, headers, body = http("GET", f"/v2/{repo}/tags/list?n=2")
    assert json.loads(body)["tags"] == ["a", "b"]
    assert headers["Link"] == f'</v2/{repo}/tags/list?n=2&last=b>; rel="next"'
    status, headers, body = http("GET", f"/v2/{repo}/tags/list?n=2&last=b")
    assert json.loads(body)["tags"] == ["c", "d"] and "Link" not in headers


def test_referrers_with_artifact_type_filter(http, repo, fake_ecr):
    subject = fake_ecr.push_image(repo, "v1")
    sbom = fake_ecr.push_image(repo, None, artifact_type="application/spdx+json", subject=subject)
    fake_ecr.push_image(repo, None, artifact_type="application/vnd.dev.sigstore.bundle+json", subject=subject)
    status, headers, body = http("GET", f"/v2/{repo}/referrers/{subject}")
    index = json.loads(body)
    assert status == 200 and headers["Content-Type"] == "application/vnd.oci.image.index.v1+json"
    assert len(index["manifests"]) == 2
    status, headers, body = http("GET", f"/v2/{repo}/referrers/{subject}?artifactType=application/spdx%2Bjson")
    assert headers["OCI-Filters-Applied"] == "artifactType"
    assert [m["digest"] for m in json.loads(body)["manifests"]] == [sbom]


def test_catalog_is_unsupported_as_on_ecr(http):
    assert http("GET", "/v2/_catalog", auth=False)[0] == 401
    status, _, body = http("GET", "/v2/_catalog")
    assert status == 405 and errors_of(body)[0]["code"] == "UNSUPPORTED"


# -- addressing ----------------------------------------------------------------------------------------


def test_every_private_registry_is_reachable_by_token_or_path_prefix(connect, fake_ecr):
    west = fake_ecr.client("ecr", region="us-west-2")
    west.create_repository(repositoryName="west-app")
    digest = fake_ecr.push_image("west-app", "v1", region="us-west-2")
    west_token = west.get_authorization_token()["authorizationData"][0]["authorizationToken"]
    by_token = connect(west_token)
    assert by_token("GET", "/v2/west-app/manifests/v1")[1]["Docker-Content-Digest"] == digest
    home_token = fake_ecr.client().get_authorization_token()["authorizationData"][0]["authorizationToken"]
    by_path = connect(home_token)
    status, headers, _ = by_path("GET", "/v2/123456789012.dkr.ecr.us-west-2.amazonaws.com/west-app/manifests/v1")
    assert status == 200 and headers["Docker-Content-Digest"] == digest
    assert by_path("GET", "/v2/west-app/manifests/v1")[0] == 404  # not in the home Region


def test_a_registry_of_another_partition_is_reachable_by_its_own_host(connect, fake_ecr):
    china = fake_ecr.client("ecr", region="cn-north-1")
    uri = china.create_repository(repositoryName="cn-app")["repository"]["repositoryUri"]
    assert uri == "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/cn-app"
    digest = fake_ecr.push_image("cn-app", "v1", region="cn-north-1")
    token = fake_ecr.client().get_authorization_token()["authorizationData"][0]["authorizationToken"]
    status, headers, _ = connect(token)("GET", f"/v2/{uri}/manifests/v1")  # the URI as the API gave it
    assert status == 200 and headers["Docker-Content-Digest"] == digest


def test_ecr_public_pulls_anonymously_and_pushes_with_a_public_token(connect, fake_ecr, ecr_public_client):
    ecr_public_client.create_repository(repositoryName="tool")
    alias = fake_ecr.public_registry().primary_alias.name
    anonymous = connect(None)
    image = TestImage()
    status, headers, _ = anonymous("POST", f"/v2/public.ecr.aws/{alias}/tool/blobs/uploads/")
    assert status == 401 and 'service="ecr-public.amazonaws.com"' in headers["WWW-Authenticate"]
    public_token = ecr_public_client.get_authorization_token()["authorizationData"]["authorizationToken"]
    pusher = connect(public_token)
    push(pusher, f"public.ecr.aws/{alias}/tool", image)
    status, headers, body = anonymous("GET", f"/v2/public.ecr.aws/{alias}/tool/manifests/v1")
    assert status == 200 and body == image.manifest
    assert anonymous("GET", f"/v2/public.ecr.aws/{alias}/tool/blobs/{sha(image.layer)}")[2] == image.layer
    assert json.loads(anonymous("GET", f"/v2/public.ecr.aws/{alias}/tool/tags/list")[2])["tags"] == ["v1"]
    # A public token addresses the account's public registry without the path prefix.
    assert pusher("GET", "/v2/tool/manifests/v1")[0] == 200
    described = ecr_public_client.describe_images(repositoryName="tool")["imageDetails"]
    assert [d["imageDigest"] for d in described] == [image.digest]


# -- bad input gets an ECR-style error, never a traceback ------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"),
        (b"\xff\xfe", "The manifest is not valid UTF-8"),
    ],
)
def test_an_unreadable_manifest_is_manifest_invalid(http, repo, body, message):
    status, _, answer = http("PUT", f"/v2/{repo}/manifests/v1", body, {"Content-Type": OCI_MANIFEST})
    assert status == 400 and errors_of(answer) == [{"code": "MANIFEST_INVALID", "message": message}]


def test_bad_references_digests_and_names(http, repo):
    assert http("PUT", f"/v2/{repo}/manifests/bad%21tag", b"{}")[0] == 400
    assert errors_of(http("GET", f"/v2/{repo}/blobs/sha256:zz")[2])[0]["code"] == "DIGEST_INVALID"
    status, _, body = http("GET", "/v2/123456789012.dkr.ecr.eu-west-1.amazonaws.com/x/manifests/v1")
    assert status == 400 and errors_of(body)[0]["code"] == "NAME_INVALID"  # ECR names have 2+ characters
    assert http("POST", f"/v2/{repo}/manifests/v1")[0] == 405
    assert http("GET", f"/v2/{repo}/tags/list?n=abc")[0] == 200


def test_an_empty_blob_cannot_be_uploaded_as_on_the_api(http, repo):
    status, _, body = http("POST", f"/v2/{repo}/blobs/uploads/?digest={sha(b'')}", b"")
    assert status == 400
    assert errors_of(body) == [
        {"code": "BLOB_UPLOAD_INVALID", "message": "The specified layer upload does not contain any layer parts."}
    ]


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"PATCH /v2/app/blobs/uploads/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"PUT /v2/app/manifests/v1 HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    ],
)
def test_malformed_http_gets_a_plain_400(ecr_registry, raw):
    with socket.create_connection(("127.0.0.1", ecr_registry.port), timeout=5) as conn:
        conn.sendall(raw)
        answer = conn.recv(4096)
    assert answer.split(b"\r\n", 1)[0].startswith(b"HTTP/1.1 400 ") and b"<html" not in answer


def test_concurrent_pushes_from_many_connections(connect, token, repo, ecr_client):
    from concurrent.futures import ThreadPoolExecutor

    def push_one(index: int) -> str:
        return push(connect(token), repo, TestImage(f"image {index}\n"), f"t{index}")

    with ThreadPoolExecutor(8) as pool:
        digests = set(pool.map(push_one, range(16)))
    assert len(digests) == 16
    listed = {d["imageDigest"] for d in ecr_client.describe_images(repositoryName=repo)["imageDetails"]}
    assert listed == digests
