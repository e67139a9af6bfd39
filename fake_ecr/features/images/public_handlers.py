"""ECR Public images: PutImage, DescribeImages, DescribeImageTags, BatchDeleteImage.

Pushing, identifier resolution and deletion are the private side's rules (``fake_ecr.features.images.storing``,
``fake_ecr.features.images.image_ids``, ``fake_ecr.features.images.batches``); only the response shapes differ.
"""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import limit_exceeded
from fake_ecr.features.images import storing
from fake_ecr.features.images.batches import delete_images, requested_images
from fake_ecr.features.public.common import SERVICE, public_repository
from fake_ecr.model import Image, PublicRepository, Repository, manifests

operations = OperationTable()


def record_tag(call: Call, repo: Repository, image: Image, tag: Optional[str]) -> None:
    """DescribeImageTags reports when each tag was last pointed at its image."""
    if tag is not None and isinstance(repo, PublicRepository):
        repo.record_tag(tag, call.now, call.backend.next_seq())


@operations.serves(SERVICE, "PutImage")
def put_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    is_new = repo.image(manifests.digest_of(params["imageManifest"])) is None
    if is_new and len(repo.images) >= repo.registry.image_quota:
        raise limit_exceeded()
    return {"image": storing.put_image(call, repo, params)}


@operations.serves(SERVICE, "BatchDeleteImage")
def batch_delete_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return delete_images(call, public_repository(call, params), params["imageIds"])


def _referenced_detail(call: Call, image: Image) -> dict[str, Any]:
    """The members ECR Public reports for an image wherever it describes one."""
    detail: dict[str, Any] = {
        "imageDigest": image.digest,
        "imageSizeInBytes": image.size_in_bytes,
        "imagePushedAt": call.timestamp(image.pushed_at),
        "imageManifestMediaType": image.manifest_media_type,
    }
    if image.artifact_media_type:
        detail["artifactMediaType"] = image.artifact_media_type
    return detail


def _image_detail(call: Call, repo: PublicRepository, image: Image) -> dict[str, Any]:
    detail = {"registryId": repo.registry_id, "repositoryName": repo.name, **_referenced_detail(call, image)}
    if image.tags:
        detail["imageTags"] = list(image.tags)
    return detail


@operations.serves(SERVICE, "DescribeImages")
def describe_images(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = public_repository(call, params)
    image_ids = params.get("imageIds")
    if image_ids is not None:
        pagination.check_ids_or_pages(params, "imageIds")
        return {"imageDetails": [_image_detail(call, repo, i) for i in requested_images(repo, image_ids)]}
    scope = f"ecr-public:DescribeImages:{repo.registry_id}:{repo.name}"
    page, next_token = pagination.page_of(repo.images, params, scope)
    return pagination.paged("imageDetails", [_image_detail(call, repo, i) for i in page], next_token)


@operations.serves(SERVICE, "DescribeImageTags")
def describe_image_tags(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # One entry per tag, oldest first, with the time the tag was last pointed at its image.
    repo = public_repository(call, params)
    scope = f"ecr-public:DescribeImageTags:{repo.registry_id}:{repo.name}"
    page, next_token = pagination.page_of(repo.tag_times, params, scope)
    details = []
    for tag, created_at in page:
        image = repo.image_for_tag(tag)
        assert image is not None
        details.append(
            {"imageTag": tag, "createdAt": call.timestamp(created_at), "imageDetail": _referenced_detail(call, image)}
        )
    return pagination.paged("imageTagDetails", details, next_token)
