"""Real container clients push to and pull from the registry endpoint, sharing state with the API.

skopeo (Debian package; .ci/run installs it), the docker CLI (no daemon needed for login and
manifest commands; skipped where absent) and oras-py. Error texts are the clients' own
renderings of ECR's answers; the ECR wording they carry is quoted from users' reports.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import TestImage, login_password, need, run, sha, write_index
from helpers import password as password_of

from fake_ecr import RecordedBlob
from fake_ecr.model.blobs import BlobStore  # the blob store itself: how many copies of a layer exist

pytestmark = [pytest.mark.fake_ecr(registry=True), pytest.mark.slow]


class Skopeo:
    """skopeo against the endpoint (plain HTTP on loopback, as ECR's AWS credentials)."""

    def __init__(self, endpoint: Any, password: str, tmp: Path) -> None:
        self.binary = need("skopeo")
        self.endpoint = endpoint
        self.creds = f"AWS:{password}"
        self.tmp = tmp

    def push(self, image: TestImage, repository: str, tag: str = "v1", check: bool = True) -> Any:
        layout = image.write_oci(self.tmp / f"oci-{image.digest[7:19]}")
        return run(
            [
                self.binary,
                "copy",
                "--dest-tls-verify=false",
                "--dest-creds",
                self.creds,
                f"oci:{layout}:v1",
                f"docker://{self.endpoint.reference(repository, tag)}",
            ],
            check=check,
        )

    def pull(self, reference: str, into: Path, check: bool = True) -> Any:
        return run(
            [
                self.binary,
                "copy",
                "--src-tls-verify=false",
                "--src-creds",
                self.creds,
                f"docker://{reference}",
                f"oci:{into}:pulled",
            ],
            check=check,
        )

    def __call__(self, *args: str, check: bool = True) -> Any:
        return run([self.binary, *args, "--tls-verify=false", "--creds", self.creds], check=check)


@pytest.fixture
def skopeo(ecr_registry, ecr_client, tmp_path) -> Skopeo:
    return Skopeo(ecr_registry, login_password(ecr_client), tmp_path)


# -- skopeo ------------------------------------------------------------------------------------


def test_skopeo_copy_inspect_list_tags_pull_and_delete(skopeo, repo, ecr_client, ecr_registry, tmp_path):
    image = TestImage()
    skopeo.push(image, repo)
    raw = skopeo("inspect", "--raw", f"docker://{ecr_registry.reference(repo, 'v1')}").stdout
    assert sha(raw.encode()) == image.digest
    tags = json.loads(skopeo("list-tags", f"docker://{ecr_registry.reference(repo)}").stdout)
    assert tags["Tags"] == ["v1"]
    skopeo.pull(ecr_registry.reference(repo, "v1"), tmp_path / "back")
    pulled = {p.name for p in (tmp_path / "back" / "blobs" / "sha256").iterdir()}
    assert pulled == {sha(b)[7:] for b in (image.layer, image.config, image.manifest)}
    skopeo("delete", f"docker://{ecr_registry.reference(repo, digest=image.digest)}")
    assert ecr_client.list_images(repositoryName=repo)["imageIds"] == []


def test_skopeo_copies_a_multi_platform_index_both_ways(skopeo, repo, ecr_client, ecr_registry, tmp_path):
    images = {"amd64": TestImage("amd64\n"), "arm64": TestImage("arm64\n")}
    index = write_index(tmp_path / "index", images)
    run(
        [
            skopeo.binary,
            "copy",
            "--all",
            "--dest-tls-verify=false",
            "--dest-creds",
            skopeo.creds,
            f"oci:{tmp_path / 'index'}:v1",
            f"docker://{ecr_registry.reference(repo, 'v1')}",
        ]
    )
    details = {d["imageDigest"]: d for d in ecr_client.describe_images(repositoryName=repo)["imageDetails"]}
    assert set(details) == {index} | {image.digest for image in images.values()}
    assert details[index]["imageManifestMediaType"] == "application/vnd.oci.image.index.v1+json"
    assert details[index]["imageTags"] == ["v1"]
    run(
        [
            skopeo.binary,
            "copy",
            "--override-arch",
            "arm64",
            "--src-tls-verify=false",
            "--src-creds",
            skopeo.creds,
            f"docker://{ecr_registry.reference(repo, 'v1')}",
            f"oci:{tmp_path / 'arm'}:v1",
        ]
    )
    assert (tmp_path / "arm" / "blobs" / "sha256" / sha(images["arm64"].layer)[7:]).exists()


def test_skopeo_push_is_the_api_push(skopeo, fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="scanned", imageScanningConfiguration={"scanOnPush": True})
    image = TestImage()
    skopeo.push(image, "scanned")
    detail = ecr_client.describe_images(repositoryName="scanned")["imageDetails"][0]
    assert (detail["imageDigest"], detail["imageSizeInBytes"]) == (image.digest, image.size)
    assert detail["imageManifestMediaType"] == "application/vnd.oci.image.manifest.v1+json"
    assert detail["imageScanStatus"]["status"] in ("IN_PROGRESS", "COMPLETE")  # scan on push fired
    pushed = [c.operation for c in fake_ecr.calls if c.operation != "DescribeImages"]
    for operation in (
        "BatchCheckLayerAvailability",
        "InitiateLayerUpload",
        "UploadLayerPart",
        "CompleteLayerUpload",
        "PutImage",
    ):
        assert operation in pushed


def test_a_skopeo_push_is_replicated_and_pullable_in_the_other_region(skopeo, repo, ecr_client, fake_ecr, tmp_path):
    ecr_client.put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": "us-west-2", "registryId": "123456789012"}]}]}
    )
    image = TestImage()
    skopeo.push(image, repo)
    west = fake_ecr.client("ecr", region="us-west-2")
    assert west.describe_images(repositoryName=repo)["imageDetails"][0]["imageDigest"] == image.digest
    # The west registry, addressed by its AWS host as a path prefix (a token of us-east-1 is used).
    west_repo = f"123456789012.dkr.ecr.us-west-2.amazonaws.com/{repo}"
    skopeo.pull(skopeo.endpoint.reference(west_repo, "v1"), tmp_path / "west")
    assert (tmp_path / "west" / "blobs" / "sha256" / sha(image.layer)[7:]).read_bytes() == image.layer


def test_skopeo_pushes_a_large_layer_in_one_copy(skopeo, repo, fake_ecr):
    image = TestImage(extra=os.urandom(12 * 1024 * 1024))  # above UploadLayerPart's 10 MiB part size
    skopeo.push(image, repo)
    blob = fake_ecr.repository(repo).state(BlobStore).blob(sha(image.layer))
    assert blob.data == image.layer
    recorded = fake_ecr.get_calls("UploadLayerPart")[0].params["layerPartBlob"]
    assert isinstance(recorded, RecordedBlob) and recorded == image.layer  # the log holds no second copy


def test_skopeo_login_checks_the_password(skopeo, ecr_registry, tmp_path):
    authfile = str(tmp_path / "auth.json")
    password = skopeo.creds.split(":", 1)[1]
    ok = run(
        [
            skopeo.binary,
            "login",
            "--authfile",
            authfile,
            "--tls-verify=false",
            "--username",
            "AWS",
            "--password-stdin",
            ecr_registry.address,
        ],
        stdin=password,
    )
    assert "Login Succeeded" in ok.stdout
    bad = run(
        [
            skopeo.binary,
            "login",
            "--authfile",
            authfile,
            "--tls-verify=false",
            "--username",
            "AWS",
            "--password-stdin",
            ecr_registry.address,
        ],
        stdin="wrong",
        check=False,
    )
    assert bad.returncode != 0 and "invalid username/password" in bad.stderr


def test_skopeo_with_a_wrong_password_is_unauthorized(skopeo, repo):
    skopeo.creds = "AWS:wrong"
    result = skopeo.push(TestImage(), repo, check=False)
    assert result.returncode == 1 and "unauthorized: authentication required" in result.stderr


def test_skopeo_with_an_expired_token_is_denied(skopeo, repo, fake_ecr):
    fake_ecr.clock.advance(hours=13)
    result = skopeo.push(TestImage(), repo, check=False)
    assert result.returncode == 1 and "403 (Forbidden)" in result.stderr  # a HEAD answer has no body
    fake_ecr.push_image(repo, "v1")
    result = skopeo("inspect", "--raw", f"docker://{skopeo.endpoint.reference(repo, 'v1')}", check=False)
    # "denied: Your authorization token has expired. Reauthenticate and try again."
    # (github.com/aws/aws-cli/issues/6580)
    assert result.returncode == 1
    assert "denied: Your authorization token has expired. Reauthenticate and try again." in result.stderr


def test_skopeo_push_to_a_missing_repository(skopeo):
    result = skopeo.push(TestImage(), "missing", check=False)
    # "name unknown: The repository with name 'service-t' does not exist in the registry with id
    # '***'" (github.com/aws-actions/amazon-ecr-login/issues/166)
    assert result.returncode == 1
    assert (
        "name unknown: The repository with name 'missing' does not exist in the registry with id '123456789012'"
    ) in result.stderr


def test_skopeo_cannot_move_an_immutable_tag(skopeo, ecr_client):
    ecr_client.create_repository(repositoryName="fixed", imageTagMutability="IMMUTABLE")
    skopeo.push(TestImage(), "fixed")
    result = skopeo.push(TestImage("changed\n"), "fixed", check=False)
    # "tag invalid: The image tag 'latest' already exists in the 'app_service_image' repository and
    # cannot be overwritten because the repository is immutable." (github.com/moby/buildkit/issues/3776)
    assert result.returncode == 1
    assert (
        "tag invalid: The image tag 'v1' already exists in the 'fixed' repository and cannot be "
        "overwritten because the repository is immutable."
    ) in result.stderr


def test_skopeo_push_creates_the_repository_from_a_create_on_push_template(skopeo, ecr_client):
    ecr_client.create_repository_creation_template(
        prefix="team", appliedFor=["CREATE_ON_PUSH"], imageTagMutability="IMMUTABLE"
    )
    skopeo.push(TestImage(), "team/service")
    repo = ecr_client.describe_repositories(repositoryNames=["team/service"])["repositories"][0]
    assert repo["imageTagMutability"] == "IMMUTABLE"


def test_skopeo_pull_through_cache_fetches_the_upstream_image(skopeo, fake_ecr, ecr_client, ecr_registry, tmp_path):
    secret_arn = fake_ecr.secrets.add("ecr-pullthroughcache/docker-hub")
    fake_ecr.upstream("docker-hub").push_image("library/nginx", "1.27", layers=[b"nginx layer"])
    ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl="registry-1.docker.io", credentialArn=secret_arn
    )
    raw = skopeo("inspect", "--raw", f"docker://{ecr_registry.reference('docker-hub/library/nginx', '1.27')}").stdout
    layer = json.loads(raw)["layers"][0]["digest"]
    assert ecr_client.describe_images(repositoryName="docker-hub/library/nginx")["imageDetails"][0]["imageTags"] == [
        "1.27"
    ]
    run(
        [
            skopeo.binary,
            "copy",
            "--src-tls-verify=false",
            "--src-creds",
            skopeo.creds,
            f"docker://{ecr_registry.reference('docker-hub/library/nginx', '1.27')}",
            f"dir:{tmp_path / 'nginx'}",
        ]
    )
    assert (tmp_path / "nginx" / layer[7:]).read_bytes() == b"nginx layer"


# -- the docker CLI (login and manifest commands work without a daemon) ----------------------------


@pytest.fixture
def docker(tmp_path) -> Any:
    binary = need("docker")
    env = {"DOCKER_CONFIG": str(tmp_path / "docker-config")}

    def docker_cli(*args: str, stdin: Any = None, check: bool = True) -> Any:
        return run([binary, *args], stdin=stdin, env=env, check=check)

    return docker_cli


def test_docker_login_and_manifest_inspect(docker, ecr_client, ecr_registry, fake_ecr, repo):
    digest = fake_ecr.push_image(repo, "v1")
    login = docker(
        "login", "--username", "AWS", "--password-stdin", ecr_registry.address, stdin=login_password(ecr_client)
    )
    assert "Login Succeeded" in login.stdout
    inspected = json.loads(docker("manifest", "inspect", "--insecure", ecr_registry.reference(repo, "v1")).stdout)
    stored = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])
    assert inspected == json.loads(stored["images"][0]["imageManifest"])


def test_docker_manifest_push_stores_an_image_index(docker, ecr_client, ecr_registry, fake_ecr, repo):
    fake_ecr.push_image(repo, "v1")
    docker("login", "--username", "AWS", "--password-stdin", ecr_registry.address, stdin=login_password(ecr_client))
    docker(
        "manifest", "create", "--insecure", ecr_registry.reference(repo, "multi"), ecr_registry.reference(repo, "v1")
    )
    digest = docker("manifest", "push", "--insecure", ecr_registry.reference(repo, "multi")).stdout.strip()
    detail = ecr_client.describe_images(repositoryName=repo, imageIds=[{"imageTag": "multi"}])["imageDetails"][0]
    assert detail["imageDigest"] == digest
    assert detail["imageManifestMediaType"] in (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
    )


def test_docker_login_with_a_wrong_password_or_an_expired_token(docker, ecr_client, ecr_registry, fake_ecr):
    wrong = docker("login", "--username", "AWS", "--password-stdin", ecr_registry.address, stdin="wrong", check=False)
    assert wrong.returncode != 0
    assert f"login attempt to http://{ecr_registry.address}/v2/ failed with status: 401 Unauthorized" in wrong.stderr
    password = login_password(ecr_client)
    fake_ecr.clock.advance(hours=12, minutes=1)
    expired = docker(
        "login", "--username", "AWS", "--password-stdin", ecr_registry.address, stdin=password, check=False
    )
    assert expired.returncode != 0 and "403 Forbidden" in expired.stderr


def test_docker_without_login_has_no_basic_auth_credentials(docker, ecr_registry, fake_ecr, repo):
    fake_ecr.push_image(repo, "v1")
    result = docker("manifest", "inspect", "--insecure", ecr_registry.reference(repo, "v1"), check=False)
    # What docker prints for ECR when it has no login for the registry: "no basic auth credentials"
    # (github.com/aws/aws-cli/issues/3042, github.com/kciter/aws-ecr-action/issues/1).
    assert result.returncode != 0 and "no basic auth credentials" in result.stderr


def test_ecr_public_pulls_are_anonymous_and_pushes_need_a_public_token(
    skopeo, ecr_registry, fake_ecr, ecr_public_client, tmp_path
):
    ecr_public_client.create_repository(repositoryName="tool")
    alias = fake_ecr.public_registry().primary_alias.name
    reference = ecr_registry.reference("tool", "v1", registry=f"public.ecr.aws/{alias}")
    image = TestImage()
    layout = image.write_oci(tmp_path / "oci")
    refused = run(
        [
            skopeo.binary,
            "copy",
            "--dest-tls-verify=false",
            "--dest-no-creds",
            f"oci:{layout}:v1",
            f"docker://{reference}",
        ],
        check=False,
    )
    assert refused.returncode == 1 and "authentication required" in refused.stderr
    token = ecr_public_client.get_authorization_token()["authorizationData"]["authorizationToken"]
    run(
        [
            skopeo.binary,
            "copy",
            "--dest-tls-verify=false",
            "--dest-creds",
            f"AWS:{password_of(token)}",
            f"oci:{layout}:v1",
            f"docker://{reference}",
        ]
    )
    raw = run([skopeo.binary, "inspect", "--tls-verify=false", "--no-creds", "--raw", f"docker://{reference}"]).stdout
    assert sha(raw.encode()) == image.digest
    run(
        [
            skopeo.binary,
            "copy",
            "--src-tls-verify=false",
            "--src-no-creds",
            f"docker://{reference}",
            f"oci:{tmp_path / 'back'}:v1",
        ]
    )


# -- oras-py ---------------------------------------------------------------------------------------


@pytest.fixture
def oras_py(ecr_registry, ecr_client, tmp_path, monkeypatch) -> Any:
    oras_client = pytest.importorskip("oras.client")
    monkeypatch.chdir(tmp_path)  # oras-py pushes files named relative to the working directory
    client = oras_client.OrasClient(hostname=ecr_registry.address, insecure=True, auth_backend="basic")
    client.login(hostname=ecr_registry.address, username="AWS", password=login_password(ecr_client))
    return client


def test_oras_pushes_and_pulls_an_artifact(oras_py, ecr_registry, ecr_client, tmp_path):
    ecr_client.create_repository(repositoryName="artifacts")
    (tmp_path / "notes.txt").write_text("release notes\n")
    assert oras_py.push(files=["notes.txt"], target=ecr_registry.reference("artifacts", "notes")).status_code == 201
    assert oras_py.get_tags(ecr_registry.reference("artifacts")) == ["notes"]
    pulled = oras_py.pull(target=ecr_registry.reference("artifacts", "notes"), outdir=str(tmp_path / "out"))
    assert [Path(p).read_text() for p in pulled] == ["release notes\n"]
    detail = ecr_client.describe_images(repositoryName="artifacts")["imageDetails"][0]
    assert detail["artifactMediaType"] == "application/vnd.unknown.config.v1+json"


def test_oras_attaches_a_referrer_that_the_api_and_the_registry_list(
    oras_py, ecr_registry, ecr_client, fake_ecr, tmp_path
):
    import oras.oci

    ecr_client.create_repository(repositoryName="artifacts")
    subject = fake_ecr.push_image("artifacts", "v1")
    manifest = ecr_client.batch_get_image(repositoryName="artifacts", imageIds=[{"imageDigest": subject}])["images"][0]
    (tmp_path / "sbom.json").write_text("{}")
    oras_py.push(
        files=["sbom.json"],
        target=ecr_registry.reference("artifacts", "sbom"),
        subject=oras.oci.Subject(
            mediaType=manifest["imageManifestMediaType"], digest=subject, size=len(manifest["imageManifest"].encode())
        ),
    )
    listed = ecr_client.list_image_referrers(repositoryName="artifacts", subjectId={"imageDigest": subject})
    response = oras_py.do_request(f"{ecr_registry.url}/v2/artifacts/referrers/{subject}", "GET")
    assert [m["digest"] for m in response.json()["manifests"]] == [r["digest"] for r in listed["referrers"]]
    assert len(listed["referrers"]) == 1


def test_oras_with_a_wrong_password_is_refused(ecr_registry, ecr_client, tmp_path, monkeypatch):
    oras_client = pytest.importorskip("oras.client")
    monkeypatch.chdir(tmp_path)
    ecr_client.create_repository(repositoryName="artifacts")
    client = oras_client.OrasClient(hostname=ecr_registry.address, insecure=True, auth_backend="basic")
    client.login(hostname=ecr_registry.address, username="AWS", password="wrong")  # validates nothing
    (tmp_path / "notes.txt").write_text("x")
    # ECR's 401 body is plain text ("Not Authorized", github.com/enix/kube-image-keeper/issues/172),
    # which oras-py fails to read as JSON: it raises a ValueError (requests' JSONDecodeError).
    with pytest.raises(ValueError):
        client.push(files=["notes.txt"], target=ecr_registry.reference("artifacts", "notes"))


# -- the getting-started flow ---------------------------------------------------------------------------


def test_getting_started_login_push_describe_pull_delete(
    skopeo, ecr_client, ecr_registry, tmp_path, docker_or_skopeo_login
):
    """get-login-password | docker login, push, describe-images, pull, batch-delete-image, pull refused."""
    ecr_client.create_repository(repositoryName="hello-world")
    password = login_password(ecr_client)
    docker_or_skopeo_login(password)
    image = TestImage()
    skopeo.creds = f"AWS:{password}"
    skopeo.push(image, "hello-world", "latest")
    detail = ecr_client.describe_images(repositoryName="hello-world")["imageDetails"][0]
    assert (detail["imageDigest"], detail["imageSizeInBytes"], detail["imageTags"]) == (
        image.digest,
        image.size,
        ["latest"],
    )
    skopeo.pull(ecr_registry.reference("hello-world", "latest"), tmp_path / "pulled")
    assert "lastRecordedPullTime" in ecr_client.describe_images(repositoryName="hello-world")["imageDetails"][0]
    ecr_client.batch_delete_image(repositoryName="hello-world", imageIds=[{"imageTag": "latest"}])
    refused = skopeo.pull(ecr_registry.reference("hello-world", "latest"), tmp_path / "again", check=False)
    assert refused.returncode == 1 and "manifest unknown" in refused.stderr


@pytest.fixture
def docker_or_skopeo_login(ecr_registry, tmp_path) -> Any:
    """``docker login`` where the CLI exists, else ``skopeo login``: both call /v2/ with the password."""
    import shutil

    def login(password: str) -> None:
        if shutil.which("docker"):
            args = ["docker", "login", "--username", "AWS", "--password-stdin", ecr_registry.address]
            run(args, stdin=password, env={"DOCKER_CONFIG": str(tmp_path / "docker-config")})
        else:
            run(
                [
                    need("skopeo"),
                    "login",
                    "--authfile",
                    str(tmp_path / "auth.json"),
                    "--tls-verify=false",
                    "--username",
                    "AWS",
                    "--password-stdin",
                    ecr_registry.address,
                ],
                stdin=password,
            )

    return login


# -- TLS mode: a throwaway CA for tools that insist on HTTPS -------------------------------------------


@pytest.fixture
def tls_fake() -> Any:
    pytest.importorskip("trustme")
    from fake_ecr import FakeECR

    with FakeECR(registry="tls") as fake:
        yield fake


def test_tls_mode_serves_https_with_a_throwaway_ca(tls_fake):
    import ssl
    import urllib.error
    import urllib.request

    endpoint = tls_fake.registry_endpoint
    assert endpoint.url.startswith("https://127.0.0.1:") and Path(endpoint.cert_dir, "ca.crt").exists()
    context = ssl.create_default_context(cafile=endpoint.ca_file)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{endpoint.url}/v2/", context=context, timeout=10)
    assert refused.value.code == 401  # the TLS handshake succeeded; ECR's challenge follows
    refused.value.close()
    with pytest.raises(urllib.error.URLError):  # a client that does not trust the CA
        urllib.request.urlopen(f"{endpoint.url}/v2/", timeout=10)
    ca_dir = endpoint.cert_dir
    tls_fake.stop()
    assert not Path(ca_dir).exists()
    tls_fake.start()


def test_skopeo_and_docker_over_tls(tls_fake, tmp_path):
    skopeo_binary = need("skopeo")
    ecr = tls_fake.client()
    ecr.create_repository(repositoryName="app")
    password = login_password(ecr)
    endpoint = tls_fake.registry_endpoint
    image = TestImage()
    layout = image.write_oci(tmp_path / "oci")
    run(
        [
            skopeo_binary,
            "copy",
            "--dest-cert-dir",
            endpoint.cert_dir,
            "--dest-creds",
            f"AWS:{password}",
            f"oci:{layout}:v1",
            f"docker://{endpoint.reference('app', 'v1')}",
        ]
    )
    assert ecr.describe_images(repositoryName="app")["imageDetails"][0]["imageDigest"] == image.digest
    import shutil

    if shutil.which("docker"):
        env = {"DOCKER_CONFIG": str(tmp_path / "docker-config"), "SSL_CERT_FILE": endpoint.ca_file}
        run(["docker", "login", "--username", "AWS", "--password-stdin", endpoint.address], stdin=password, env=env)
        inspected = run(["docker", "manifest", "inspect", endpoint.reference("app", "v1")], env=env)  # no --insecure
        assert json.loads(inspected.stdout)["config"]["digest"] == sha(image.config)


# -- URI mode: the API names the endpoint --------------------------------------------------------------


@pytest.mark.fake_ecr(registry_uris=True)
def test_uri_mode_lets_code_push_where_the_api_says(fake_ecr, ecr_client, ecr_public_client, tmp_path):
    """The getting-started script as written for AWS: login at proxyEndpoint, push to repositoryUri."""
    address = fake_ecr.registry_endpoint.address
    uri = ecr_client.create_repository(repositoryName="team/app")["repository"]["repositoryUri"]
    assert uri == f"{address}/123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app"
    data = ecr_client.get_authorization_token()["authorizationData"][0]
    assert data["proxyEndpoint"] == f"http://{address}"
    password = login_password(ecr_client)
    import shutil

    if shutil.which("docker"):  # aws ecr get-login-password | docker login ... <proxyEndpoint>
        login = run(
            ["docker", "login", "--username", "AWS", "--password-stdin", data["proxyEndpoint"]],
            stdin=password,
            env={"DOCKER_CONFIG": str(tmp_path / "docker-config")},
        )
        assert "Login Succeeded" in login.stdout
    image = TestImage()
    run(
        [
            need("skopeo"),
            "copy",
            "--dest-tls-verify=false",
            "--dest-creds",
            f"AWS:{password}",
            f"oci:{image.write_oci(tmp_path / 'oci')}:v1",
            f"docker://{uri}:v1",
        ]
    )
    assert ecr_client.describe_images(repositoryName="team/app")["imageDetails"][0]["imageDigest"] == image.digest
    public_uri = ecr_public_client.create_repository(repositoryName="tool")["repository"]["repositoryUri"]
    assert public_uri.startswith(f"{address}/public.ecr.aws/")
    registry_uri = ecr_public_client.describe_registries()["registries"][0]["registryUri"]
    assert public_uri == f"{registry_uri}/tool"


def test_python_dxf_over_tls(tls_fake, tmp_path):
    """python-dxf authenticates only over HTTPS: the TLS mode is what lets it talk to the fake."""
    dxf = pytest.importorskip("dxf")
    ecr = tls_fake.client()
    ecr.create_repository(repositoryName="dxf-repo")
    password = login_password(ecr)
    endpoint = tls_fake.registry_endpoint
    client = dxf.DXF(
        endpoint.address,
        "dxf-repo",
        lambda d, response: d.authenticate("AWS", password, response=response),
        tlsverify=endpoint.ca_file,
    )
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"notes from dxf\n")
    digest = client.push_blob(str(notes))
    client.set_alias("notes", digest)
    assert client.list_aliases() == ["notes"]
    assert b"".join(client.pull_blob(digest)) == b"notes from dxf\n"
    assert ecr.describe_images(repositoryName="dxf-repo")["imageDetails"][0]["imageTags"] == ["notes"]
    wrong = dxf.DXF(
        endpoint.address,
        "dxf-repo",
        lambda d, response: d.authenticate("AWS", "wrong", response=response),
        tlsverify=endpoint.ca_file,
    )
    with pytest.raises(dxf.exceptions.DXFUnauthorizedError):
        wrong.list_aliases()
