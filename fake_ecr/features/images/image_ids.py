"""Resolving ``imageIds`` (digest and/or tag) against a repository, with ECR's failure codes.

Shared by every operation that takes image identifiers, on both services.
"""

from __future__ import annotations

import re
from typing import Any, Optional, Protocol

from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.model import Image
from fake_ecr.model.manifests import IMAGE_ID_DIGEST

IMAGE_TAG = re.compile(r"[a-zA-Z0-9_.-]+")
# The pattern as ECR prints it in its error messages.
IMAGE_TAG_PATTERN_TEXT = "[a-zA-Z0-9-_.]+"

FAILURE_REASONS = {
    "ImageNotFound": "Requested image not found",
    "MissingDigestAndTag": "Invalid request parameters: both tag and digest cannot be null",
    "InvalidImageDigest": "Invalid request parameters: image digest should satisfy the regex "
    "'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
    "InvalidImageTag": f"Invalid request parameters: image tag should satisfy the regex '{IMAGE_TAG_PATTERN_TEXT}'",
    "ImageTagDoesNotMatchDigest": "Invalid request parameters: given tag does not map to the given digest",
    "ImageReferencedByManifestList": "Requested image referenced by a manifest list",
}


class ImageStore(Protocol):
    def image(self, digest: str) -> Optional[Image]: ...

    def image_for_tag(self, tag: str) -> Optional[Image]: ...


class Resolution:
    """An image identifier resolved: the image, or the failure code ECR reports for it."""

    __slots__ = ("image_id", "image", "failure_code")

    def __init__(self, image_id: dict[str, Any], image: Optional[Image], failure_code: Optional[str]) -> None:
        self.image_id = image_id
        self.image = image
        self.failure_code = failure_code

    def failure(self) -> dict[str, Any]:
        """The ``ImageFailure`` structure for this identifier."""
        assert self.failure_code is not None
        return {
            "imageId": dict(self.image_id),
            "failureCode": self.failure_code,
            "failureReason": FAILURE_REASONS[self.failure_code],
        }


def resolve(store: ImageStore, image_id: dict[str, Any]) -> Resolution:
    digest, tag = image_id.get("imageDigest"), image_id.get("imageTag")
    if digest is None and tag is None:
        return Resolution(image_id, None, "MissingDigestAndTag")
    if digest is not None and not IMAGE_ID_DIGEST.fullmatch(digest):
        return Resolution(image_id, None, "InvalidImageDigest")
    if tag is not None and not IMAGE_TAG.fullmatch(tag):
        return Resolution(image_id, None, "InvalidImageTag")
    if digest is not None:
        image = store.image(digest)
        if image is None:
            return Resolution(image_id, None, "ImageNotFound")
        if tag is not None and tag not in image.tags:
            return Resolution(image_id, None, "ImageTagDoesNotMatchDigest")
        return Resolution(image_id, image, None)
    image = store.image_for_tag(tag)  # type: ignore[arg-type]
    if image is None:
        return Resolution(image_id, None, "ImageNotFound")
    return Resolution(image_id, image, None)


def describe_id(image_id: dict[str, Any]) -> str:
    """An identifier as ECR prints it in messages: ``{imageDigest:'null', imageTag:'latest'}``."""
    return f"{{imageDigest:'{image_id.get('imageDigest') or 'null'}', imageTag:'{image_id.get('imageTag') or 'null'}'}}"


def require(store: ImageStore, image_id: dict[str, Any], repository_name: str, registry_id: str) -> Image:
    """The image ``image_id`` names, or the error ECR raises for a single-image operation.

    Malformed identifiers are InvalidParameterException; a missing image is ImageNotFoundException.
    """
    found = resolve(store, image_id)
    if found.image is not None:
        return found.image
    if found.failure_code in ("InvalidImageDigest", "InvalidImageTag", "MissingDigestAndTag"):
        raise invalid_parameter("imageIds", found.failure()["failureReason"])
    raise ServiceError(
        "ImageNotFoundException",
        f"The image with imageId {describe_id(image_id)} does not exist within the repository "
        f"with name '{repository_name}' in the registry with id '{registry_id}'",
    )


def echo_id(requested: dict[str, Any], image: Image) -> dict[str, str]:
    """The ``imageId`` a single-image response shows: the digest, plus the tag if one was asked for."""
    image_id = {"imageDigest": image.digest}
    if requested.get("imageTag") is not None:
        image_id["imageTag"] = requested["imageTag"]
    return image_id
