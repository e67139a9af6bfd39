"""UpdateImageStorageClass, and the storage class members of DescribeImages (fake_ecr/archive.py)."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.images import archive
from fake_ecr.features.images.image_ids import describe_id, resolve
from fake_ecr.model import Image

operations = OperationTable()


def _not_supported(image: Image, target: str, current: str) -> ServiceError:
    return ServiceError(
        "ImageStorageClassUpdateNotSupportedException",
        f"The image with digest '{image.digest}' has status {current} and cannot be transitioned "
        f"to the {target} storage class",
    )


@operations.serves("ecr", "UpdateImageStorageClass")
def update_image_storage_class(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = call.registry(params.get("registryId")).repository(params["repositoryName"])
    image_id = params["imageId"]
    found = resolve(repo, image_id)
    image = found.image
    if image is None:
        if found.failure_code != "ImageNotFound" and found.failure_code != "ImageTagDoesNotMatchDigest":
            raise invalid_parameter("imageId", found.failure()["failureReason"])
        raise ServiceError(
            "ImageNotFoundException",
            f"The image with imageId {describe_id(image_id)} does not exist within the repository "
            f"with name '{repo.name}' in the registry with id '{repo.registry_id}'",
        )
    target = params["targetStorageClass"]
    current = archive.status(image, call.now)
    if target == "ARCHIVE":
        if current != archive.ACTIVE:
            raise _not_supported(image, target, current)
        archive.archive(repo, image, call.now)
    else:
        if current != archive.ARCHIVED:
            raise _not_supported(image, target, current)
        archive.start_restore(repo, image, call.now)
    result_id = {"imageDigest": image.digest}
    if image_id.get("imageTag"):
        result_id["imageTag"] = image_id["imageTag"]
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "imageId": result_id,
        "imageStatus": image.status,
    }
