"""The ECR getting-started walkthrough, driven through the real AWS CLI (v1) in-process."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from awscli.clidriver import create_clidriver

pytestmark = pytest.mark.slow

REPO = "team/app/web"


@pytest.fixture
def aws(fake_ecr, monkeypatch, capsys):
    """Run ``aws ...`` in-process; return (exit code, parsed JSON stdout or text, stderr)."""
    # awscli points botocore at its own data through AWS_DATA_PATH; every other AWS_ setting goes.
    for name in [n for n in os.environ if n.startswith("AWS_") and n != "AWS_DATA_PATH"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", fake_ecr.region)

    def run(*args: str) -> tuple[int, Any, str]:
        capsys.readouterr()
        code = create_clidriver().main(list(args))
        out, err = capsys.readouterr()
        try:
            return code, json.loads(out) if out.strip() else None, err
        except ValueError:
            return code, out.strip(), err

    return run


def test_getting_started_walkthrough(aws, fake_ecr, ecr_client):
    # Step 1: create a repository with tags, immutability, scan on push and KMS encryption.
    code, created, _ = aws(
        "ecr",
        "create-repository",
        "--repository-name",
        REPO,
        "--tags",
        "Key=team,Value=web",
        "Key=env,Value=test",
        "--image-tag-mutability",
        "IMMUTABLE",
        "--image-scanning-configuration",
        "scanOnPush=true",
        "--encryption-configuration",
        "encryptionType=KMS",
    )
    assert code == 0
    repository = created["repository"]
    assert repository["repositoryName"] == REPO
    assert repository["repositoryUri"] == f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{REPO}"
    assert repository["repositoryArn"] == f"arn:aws:ecr:us-east-1:123456789012:repository/{REPO}"
    assert repository["imageTagMutability"] == "IMMUTABLE"
    assert repository["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repository["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert repository["encryptionConfiguration"]["kmsKey"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    tags = ecr_client.list_tags_for_resource(resourceArn=repository["repositoryArn"])["tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "test"), ("team", "web")]

    # Step 2: the password `docker login --username AWS --password-stdin` would read.
    code, password, _ = aws("ecr", "get-login-password")
    assert code == 0
    login = [c for c in fake_ecr.calls if c.operation == "GetAuthorizationToken"][-1]
    token = login.response["authorizationData"][0]["authorizationToken"]
    assert base64.b64decode(token).decode() == f"AWS:{password}"

    # Step 3: push an image (what `docker push` does, through the same API calls).
    digest = fake_ecr.push_image(REPO, "latest", layers=[b"base layer", b"app layer"])
    pushed = [c.operation for c in fake_ecr.calls][-8:]
    assert "CompleteLayerUpload" in pushed and pushed[-1] == "PutImage"

    # Step 4: list and describe the images.
    code, listed, _ = aws("ecr", "list-images", "--repository-name", REPO)
    assert code == 0
    assert listed["imageIds"] == [{"imageDigest": digest, "imageTag": "latest"}]
    code, described, _ = aws("ecr", "describe-images", "--repository-name", REPO)
    assert code == 0
    [image] = described["imageDetails"]
    assert image["imageDigest"] == digest and image["imageTags"] == ["latest"]
    assert image["imageManifestMediaType"] == "application/vnd.docker.distribution.manifest.v2+json"
    assert image["imageSizeInBytes"] > len(b"base layer" + b"app layer")

    # The immutable tag cannot be pushed over.
    with pytest.raises(ecr_client.exceptions.ImageTagAlreadyExistsException):
        fake_ecr.push_image(REPO, "latest")

    # Step 6: delete the image by tag.
    code, deleted, _ = aws("ecr", "batch-delete-image", "--repository-name", REPO, "--image-ids", "imageTag=latest")
    assert code == 0
    assert deleted == {"imageIds": [{"imageDigest": digest, "imageTag": "latest"}], "failures": []}

    # Step 7: a repository with images cannot be deleted without --force.
    fake_ecr.push_image(REPO, "v2")
    code, _, err = aws("ecr", "delete-repository", "--repository-name", REPO)
    assert code != 0
    assert "RepositoryNotEmptyException" in err
    code, gone, _ = aws("ecr", "delete-repository", "--repository-name", REPO, "--force")
    assert code == 0
    assert gone["repository"]["repositoryName"] == REPO
    code, _, err = aws("ecr", "describe-repositories", "--repository-names", REPO)
    assert code != 0 and "RepositoryNotFoundException" in err


def test_cli_errors_come_back_as_cli_errors(aws):
    code, _, err = aws("ecr", "list-images", "--repository-name", "missing")
    assert code == 255  # AWS CLI v1's exit code for a service error
    assert "RepositoryNotFoundException" in err
    assert "The repository with name 'missing' does not exist in the registry with id '123456789012'" in err


def test_the_readme_demo_walks_the_same_flow(capsys):
    import runpy
    from pathlib import Path

    demo = Path(__file__).resolve().parent.parent / "examples" / "demo.py"
    runpy.run_path(str(demo), run_name="__main__")
    out = capsys.readouterr().out
    assert "created repository team/app/web" in out
    assert "pulled layer" in out and "b'base layer bytes'" in out
    assert "delete refused" in out and "deleted the repository with force=True" in out
