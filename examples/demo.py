"""The ECR getting-started walkthrough against fake_ecr; prints what it does.

Create a repository, log in, push an image layer by layer as docker does, list and describe it,
pull it back, delete it, and delete the repository.

Run it with:  python examples/demo.py
"""

from __future__ import annotations

import base64
import json

import boto3

from fake_ecr import mock_ecr, push_image

REPO = "team/app/web"


def main() -> None:
    with mock_ecr() as fake:
        ecr = boto3.client("ecr", region_name="us-east-1")

        # Step 1: a repository (names may contain slashes), as `aws ecr create-repository` makes it.
        repo = ecr.create_repository(
            repositoryName=REPO,
            imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
            imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "latest"}],
            imageScanningConfiguration={"scanOnPush": True},
            encryptionConfiguration={"encryptionType": "KMS"},
            tags=[{"Key": "team", "Value": "web"}],
        )["repository"]
        print(f"created repository {repo['repositoryName']} -> {repo['repositoryUri']}")
        print(f"  encrypted with {repo['encryptionConfiguration']['kmsKey']}")

        # Step 2: what `aws ecr get-login-password | docker login --username AWS` uses.
        token = ecr.get_authorization_token()["authorizationData"][0]
        user = base64.b64decode(token["authorizationToken"]).decode().split(":")[0]
        print(f"docker login as {user!r} at {token['proxyEndpoint']} until {token['expiresAt']:%Y-%m-%d %H:%M}")

        # Step 3: push an image: upload each layer and the config, then put the manifest.
        digest = push_image(ecr, REPO, "1.0.0", layers=[b"base layer bytes", b"app layer bytes"])
        calls = [c.operation for c in fake.calls]
        print(
            f"pushed 1.0.0 as {digest[:19]}... with {calls.count('UploadLayerPart')} layer parts "
            f"and {calls.count('PutImage')} PutImage"
        )
        multi = push_image(ecr, REPO, "latest", media_type="oci-index", platforms=["linux/amd64", "linux/arm64"])
        print(f"pushed latest as a multi-platform OCI index {multi[:19]}...")

        try:
            push_image(ecr, REPO, "1.0.0")
        except ecr.exceptions.ImageTagAlreadyExistsException as err:
            print(f"refused to move an immutable tag: {err.response['Error']['Message']}")

        # Step 4: list and describe.
        for image_id in ecr.list_images(repositoryName=REPO, filter={"tagStatus": "TAGGED"})["imageIds"]:
            print(f"list-images: {image_id['imageTag']} -> {image_id['imageDigest'][:19]}...")
        for image in ecr.describe_images(repositoryName=REPO, filter={"tagStatus": "TAGGED"})["imageDetails"]:
            print(
                f"describe-images: {image['imageTags']} {image['imageManifestMediaType']} "
                f"size={image['imageSizeInBytes']}"
            )

        # Step 5: pull it back, as docker pull does: the manifest, then each layer.
        manifest = json.loads(
            ecr.batch_get_image(repositoryName=REPO, imageIds=[{"imageTag": "1.0.0"}])["images"][0]["imageManifest"]
        )
        for layer in manifest["layers"]:
            url = ecr.get_download_url_for_layer(repositoryName=REPO, layerDigest=layer["digest"])["downloadUrl"]
            print(f"pulled layer {layer['digest'][:19]}...: {fake.download(url)!r}")

        # Step 6: delete an image by tag.
        deleted = ecr.batch_delete_image(repositoryName=REPO, imageIds=[{"imageTag": "1.0.0"}])["imageIds"]
        print(f"batch-delete-image removed {deleted[0]['imageTag']} ({deleted[0]['imageDigest'][:19]}...)")

        # Step 7: delete the repository; it still holds the multi-platform image.
        try:
            ecr.delete_repository(repositoryName=REPO)
        except ecr.exceptions.RepositoryNotEmptyException as err:
            print(f"delete refused: {err.response['Error']['Message']}")
        ecr.delete_repository(repositoryName=REPO, force=True)
        print("deleted the repository with force=True")
        print(f"fake_ecr served {len(fake.calls)} calls; none left the process")


if __name__ == "__main__":
    main()
