"""Image operations over lists of identifiers, shared by both services.

BatchDeleteImage (tag removal vs image deletion, refusals from other features) and
DescribeImages-by-id (the whole call fails on the first missing image) behave the same on ECR
and ECR Public.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.images import storing
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
        tags = list(image.tags)
        if tag is not None:
            refusal = storing.remove_tag(call, repo, image, tag)
        else:
            refusal = storing.delete_image(call, repo, image)
        if refusal is not None:
            failures.append(
                {"imageId": dict(image_id), "failureCode": refusal, "failureReason": FAILURE_REASONS[refusal]}
            )
        elif tag is not None:
            deleted.append({"imageDigest": image.digest, "imageTag": tag})
        elif tags:
            deleted.extend({"imageDigest": image.digest, "imageTag": t} for t in tags)
        else:
            deleted.append({"imageDigest": image.digest})
    return {"imageIds": deleted, "failures": failures}


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
