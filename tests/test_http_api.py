"""The ECR and ECR Public APIs over HTTP (AWS's JSON protocol), from real clients in subprocesses:
the AWS CLI and the AWS SDK for JavaScript v3, and raw requests for the protocol's edges."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import pytest

from fake_ecr import FakeECR, push_image

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TARGET = "AmazonEC2ContainerRegistry_V20150921"
CREDENTIAL = (
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/{region}/ecr/aws4_request, SignedHeaders=host, Signature=0f"
)


def aws(fake: FakeECR, *args: str, region: Optional[str] = None) -> tuple[int, Any, str]:
    """Run the real AWS CLI (v1) as a subprocess against the fake's HTTP API."""
    env = fake.subprocess_env()
    if region:
        env["AWS_DEFAULT_REGION"] = env["AWS_REGION"] = region
    done = subprocess.run([sys.executable, "-m", "awscli", *args], env=env, capture_output=True, text=True, timeout=120)
    out = done.stdout.strip()
    try:
        parsed: Any = json.loads(out) if out else None
    except ValueError:
        parsed = out
    return done.returncode, parsed, done.stderr


def post(
    url: str,
    operation: str,
    body: Any,
    *,
    authorization: Optional[str] = CREDENTIAL.format(region="us-east-1"),
    target: Optional[str] = None,
) -> tuple[int, dict[str, str], Any]:
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target or f"{TARGET}.{operation}"}
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_getting_started_walkthrough_with_the_aws_cli_as_a_subprocess(fake_ecr):
    code, created, err = aws(
        fake_ecr,
        "ecr",
        "create-repository",
        "--repository-name",
        "team/web",
        "--tags",
        "Key=team,Value=web",
        "--image-tag-mutability",
        "IMMUTABLE",
        "--image-scanning-configuration",
        "scanOnPush=true",
        "--encryption-configuration",
        "encryptionType=KMS",
    )
    assert code == 0, err
    repository = created["repository"]
    assert repository["repositoryUri"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web"
    assert repository["encryptionConfiguration"]["kmsKey"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    stored = fake_ecr.repository("team/web")  # the same state as in-process calls
    assert stored.tag_mutability == "IMMUTABLE" and stored.scan_on_push and stored.resource_tags == {"team": "web"}

    code, password, _ = aws(fake_ecr, "ecr", "get-login-password")
    assert code == 0 and len(password) > 20

    for name in ("team/api", "team/worker"):
        fake_ecr.client().create_repository(repositoryName=name)  # and the other way round
    code, pages, _ = aws(fake_ecr, "ecr", "describe-repositories", "--page-size", "1")
    assert code == 0
    assert sorted(r["repositoryName"] for r in pages["repositories"]) == ["team/api", "team/web", "team/worker"]

    digest = push_image(fake_ecr.client(), "team/web", "v1")
    code, listed, _ = aws(fake_ecr, "ecr", "list-images", "--repository-name", "team/web")
    assert listed["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}]

    code, _, err = aws(
        fake_ecr, "ecr", "wait", "image-scan-complete", "--repository-name", "team/web", "--image-id", "imageTag=v1"
    )
    assert code == 0, err

    code, deleted, _ = aws(
        fake_ecr, "ecr", "batch-delete-image", "--repository-name", "team/web", "--image-ids", "imageTag=v1"
    )
    assert deleted["imageIds"] == [{"imageDigest": digest, "imageTag": "v1"}]
    code, _, _ = aws(fake_ecr, "ecr", "delete-repository", "--repository-name", "team/api", "--force")
    assert code == 0 and "team/api" not in fake_ecr.registry().repositories

    code, _, err = aws(fake_ecr, "ecr", "describe-repositories", "--repository-names", "nope")
    assert code == 255
    assert "RepositoryNotFoundException" in err
    assert "The repository with name 'nope' does not exist in the registry with id '123456789012'" in err


def test_region_comes_from_the_credential_scope_and_the_account_from_the_access_key(fake_ecr):
    fake_ecr.access_keys["AKIDOTHERACCOUNT"] = "210987654321"
    env = fake_ecr.subprocess_env()
    env.update({"AWS_ACCESS_KEY_ID": "AKIDOTHERACCOUNT", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "eu-west-1"})
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "ecr", "create-repository", "--repository-name", "far"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["repository"]["repositoryArn"] == "arn:aws:ecr:eu-west-1:210987654321:repository/far"
    assert fake_ecr.repository("far", region="eu-west-1", account_id="210987654321").name == "far"


def test_faults_and_recording_apply_to_http_calls(fake_ecr):
    fake_ecr.faults.fail_next("CreateRepository", "ThrottlingException", count=1)
    code, _, err = aws(fake_ecr, "ecr", "create-repository", "--repository-name", "retried")
    assert code == 0, err  # the CLI's retry absorbed the fault
    outcomes = [getattr(c.error, "code", None) for c in fake_ecr.get_calls("CreateRepository")]
    assert outcomes == ["ThrottlingException", None]
    faulted, served = fake_ecr.get_calls("CreateRepository", repositoryName="retried")  # both with their params
    assert faulted.response is None and served.response["repository"]["repositoryName"] == "retried"


def test_protocol_edges_answer_as_aws(fake_ecr, ecr_endpoint_url):
    status, headers, body = post(ecr_endpoint_url, "DescribeRepositories", {}, authorization=None)
    assert status == 400 and body["__type"] == "MissingAuthenticationTokenException"
    status, _, body = post(ecr_endpoint_url, "DescribeRepositories", {}, authorization="AWS4-HMAC-SHA256 garbage")
    assert status == 400 and body["__type"] == "IncompleteSignatureException"
    status, _, body = post(ecr_endpoint_url, "NoSuchOperation", {})
    assert status == 400 and body["__type"] == "UnknownOperationException"
    status, headers, body = post(ecr_endpoint_url, "DescribeRepositories", {"repositoryNames": ["missing"]})
    assert status == 400 and body["__type"] == "RepositoryNotFoundException"
    assert {k.lower(): v for k, v in headers.items()}["x-amzn-errortype"].startswith("RepositoryNotFoundException")
    status, headers, body = post(ecr_endpoint_url, "DescribeRepositories", {})
    lowered = {k.lower(): v for k, v in headers.items()}
    assert status == 200 and body == {"repositories": []}
    assert lowered["content-type"] == "application/x-amz-json-1.1" and lowered["x-amzn-requestid"]
    status, _, body = post(
        ecr_endpoint_url,
        "DescribeRegistries",
        {},
        target="SpencerFrontendService.DescribeRegistries",
        authorization=CREDENTIAL.format(region="us-east-1").replace("/ecr/", "/ecr-public/"),
    )
    assert status == 200 and body == {"registries": []}


def _node_sdk_dir() -> Path:
    """Where .ci/run installs the SDK (``npm install`` of tests/node/package.json)."""
    return Path(os.environ.get("FAKE_ECR_NODE_DIR", ROOT / ".cache" / "node-sdk"))


@pytest.mark.fake_ecr(require_blobs=False)  # the script pushes a manifest whose blobs it never uploads
def test_the_aws_sdk_for_javascript_v3_against_the_http_api(fake_ecr, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not on this machine, so the JavaScript SDK cannot run here")
    sdk = _node_sdk_dir()
    if not (sdk / "node_modules" / "@aws-sdk" / "client-ecr").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the JavaScript SDK is not installed in {sdk}: .ci/run's npm step did not run")
        pytest.skip(f"install tests/node/package.json into {sdk} (as .ci/run does) to test the JavaScript SDK")
    script = sdk / "ecr_walkthrough.mjs"
    shutil.copy(ROOT / "tests" / "node" / "ecr_walkthrough.mjs", script)  # resolved against its node_modules
    done = subprocess.run(
        [node, str(script)], env=fake_ecr.subprocess_env(), capture_output=True, text=True, timeout=120, cwd=sdk
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["pages"] == [["node/one", "node/two"], ["node/three"]]  # the SDK's paginator
    stored = fake_ecr.repository("node/one").image_for_tag("v1")
    assert stored is not None and report["pushedDigest"] == stored.digest
    assert report["listed"] == [{"imageDigest": stored.digest, "imageTag": "v1"}]
    assert report["error"] == {
        "name": "RepositoryNotFoundException",
        "status": 400,
        "message": "The repository with name 'node/missing' does not exist in the registry with id '123456789012'",
    }
    assert report["tokenUser"] == "AWS"
    assert report["publicRepositories"] == ["node-public"]
    assert fake_ecr.repository("node/two").resource_tags == {"sdk": "node"}


def test_fake_ecr_serve_runs_standalone_and_saves_its_state(tmp_path):
    state = tmp_path / "state.json"
    with FakeECR() as seed:
        seed.client().create_repository(repositoryName="from/fixtures")
        seed.save_state(state)
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_ecr", "serve", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        url = banner.split(" at ")[1].split()[0]
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            {
                "AWS_ENDPOINT_URL_ECR": url,
                "AWS_ACCESS_KEY_ID": "a",
                "AWS_SECRET_ACCESS_KEY": "b",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
        )
        run = [sys.executable, "-m", "awscli", "ecr"]
        listed = subprocess.run(run + ["describe-repositories"], env=env, capture_output=True, text=True, timeout=120)
        assert [r["repositoryName"] for r in json.loads(listed.stdout)["repositories"]] == ["from/fixtures"]
        created = subprocess.run(
            run + ["create-repository", "--repository-name", "made/live"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert created.returncode == 0, created.stderr
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "POST / 200 AmazonEC2ContainerRegistry_V20150921.CreateRepository" in err  # one line per request
    names = [r["name"] for r in json.loads(state.read_text())["registries"][0]["repositories"]]
    assert names == ["from/fixtures", "made/live"]


def test_fake_ecr_serve_refuses_a_non_loopback_address_unless_told():
    done = subprocess.run(
        [sys.executable, "-m", "fake_ecr", "serve", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "not a loopback address" in done.stderr
