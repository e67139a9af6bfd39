"""A walk through the core ECR workflow against fake_ecr; prints what it does.

Run it with:  python examples/demo.py
"""

from __future__ import annotations

import base64
import hashlib
import json

import boto3

from fake_ecr import mock_ecr


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def main() -> None:
    with mock_ecr() as fake:
        ecr = boto3.client("ecr", region_name="us-east-1")
        repo = ecr.create_repository(
            repositoryName="team/app/web",
            imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
            imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}],
            tags=[{"Key": "team", "Value": "web"}],
        )["repository"]
        print(f"created repository {repo['repositoryName']} -> {repo['repositoryUri']}")

        token = ecr.get_authorization_token()["authorizationData"][0]
        user = base64.b64decode(token["authorizationToken"]).decode().split(":")[0]
        print(f"docker login as {user!r} at {token['proxyEndpoint']} until {token['expiresAt']:%Y-%m-%d %H:%M}")

        config = json.dumps({"architecture": "amd64", "os": "linux"}).encode()
        layer = b"pretend this is a gzipped tarball"
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                           "size": len(config), "digest": sha256(config)},
                "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                            "size": len(layer), "digest": sha256(layer)}],
            },
            indent=3,
        )
        pushed = ecr.put_image(repositoryName="team/app/web", imageManifest=manifest, imageTag="1.0.0")
        digest = pushed["image"]["imageId"]["imageDigest"]
        assert digest == sha256(manifest.encode())
        print(f"pushed 1.0.0 as {digest[:19]}... (sha256 of the manifest bytes)")
        ecr.put_image(repositoryName="team/app/web", imageManifest=manifest, imageTag="latest")
        print("tagged the same image as latest (no new image)")

        try:
            ecr.put_image(repositoryName="team/app/web", imageManifest=manifest.replace("amd", "AMD"),
                          imageTag="1.0.0")
        except ecr.exceptions.ImageTagAlreadyExistsException as err:
            print(f"refused to move an immutable tag: {err.response['Error']['Message']}")

        for image in ecr.describe_images(repositoryName="team/app/web")["imageDetails"]:
            print(f"image {image['imageDigest'][:19]}... tags={image['imageTags']} "
                  f"size={image['imageSizeInBytes']} pushed={image['imagePushedAt']:%H:%M:%S}")

        fake.clock.advance(hours=13)
        print(f"advanced the fake's clock 13 hours: the token is expired ({fake.clock.now():%H:%M} UTC)")

        try:
            ecr.delete_repository(repositoryName="team/app/web")
        except ecr.exceptions.RepositoryNotEmptyException as err:
            print(f"delete refused: {err.response['Error']['Message']}")
        ecr.delete_repository(repositoryName="team/app/web", force=True)
        print("deleted the repository with force=True")
        print(f"fake_ecr served {len(fake.calls)} calls; none left the process")


if __name__ == "__main__":
    main()
