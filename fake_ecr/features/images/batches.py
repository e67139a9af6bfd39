"""Image operations over lists of identifiers, shared by both services.

BatchDeleteImage (tag removal vs image deletion, refusals from other features) and
DescribeImages-by-id (the whole call fails on the first missing image) behave the same on ECR
and ECR Public.
"""

from __future__ import annotations

from typing import Any, Iterator

from fake_ecr.core import hooks as extensions
from fake_ecr.core.serving import Call
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.images.image_ids import FAILURE_REASONS, describe_id, resolve
from fake_ecr.model import Image, Repository


def delete_images(call: Call, repo: Repository, image_ids: list[dict[str, Any]]) -> dict[str, Any]:
    """BatchDeleteImage's result: the deleted ``imageIds`` and the ``failures``."""
    deleted: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for image_id in image_ids:
        found = resolve(repo, image_id)
        image = found.image
        if image is None:
            failures.append(found.failure())
            continue
        tag = image_id.get("imageTag")
        removes_image = tag is None or image.tags == [tag]
        refusal = _deletion_refusal(call, repo, image) if removes_image else None
        if refusal is not None:
            failures.append(
                {"imageId": dict(image_id), "failureCode": refusal, "failureReason": FAILURE_REASONS[refusal]}
            )
            continue
        if tag is not None:
            # Removing a tag; removing the last one deletes the image.
            repo.untag(tag)
            if not image.tags:
                repo.delete_image(image)
            removed(call, repo, image, [tag], not image.tags)
            deleted.append({"imageDigest": image.digest, "imageTag": tag})
            continue
        tags = repo.delete_image(image)
        removed(call, repo, image, tags, True)
        deleted.extend({"imageDigest": image.digest, "imageTag": t} for t in tags)
        if not tags:
            deleted.append({"imageDigest": image.digest})
    return {"imageIds": deleted, "failures": failures}


def removed(call: Call, repo: Repository, image: Image, tags: list[str], image_deleted: bool) -> None:
    """Tell the ``image_removed`` hooks what a deletion took away."""
    for react in extensions.image_removed:
        react(call, repo, image, tags, image_deleted)


def _deletion_refusal(call: Call, repo: Repository, image: Image) -> Any:
    for check in extensions.before_delete:
        code = check(call, repo, image)
        if code:
            return code
    return None


def requested_images(repo: Repository, image_ids: list[dict[str, Any]]) -> Iterator[Image]:
    """The images ``image_ids`` name, each once; ImageNotFoundException for any that is missing."""
    seen: set[str] = set()
    for image_id in image_ids:
        found = resolve(repo, image_id)
        if found.image is None:
            if found.failure_code in ("InvalidImageDigest", "InvalidImageTag", "MissingDigestAndTag"):
                raise invalid_parameter("imageIds", found.failure()["failureReason"])
            raise ServiceError(
                "ImageNotFoundException",
                f"The image with imageId {describe_id(image_id)} does not exist within the repository "
                f"with name '{repo.name}' in the registry with id '{repo.registry_id}'",
            )
        if found.image.digest not in seen:
            seen.add(found.image.digest)
            yield found.image
