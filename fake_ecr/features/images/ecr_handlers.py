"""ECR images: PutImage, BatchGetImage, BatchDeleteImage, ListImages, DescribeImages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fake_ecr.core import hooks, pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.core.pagination import check_ids_or_pages
from fake_ecr.features.images import archive, storing
from fake_ecr.features.images.batches import delete_images, requested_images
from fake_ecr.features.images.image_ids import Resolution, resolve
from fake_ecr.features.repositories.on_demand import repository_for
from fake_ecr.model import Image, Repository

operations = OperationTable()


def _repository(call: Call, params: dict[str, Any]) -> Repository:
    return repository_for(call, params)


@operations.serves("ecr", "PutImage")
def put_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"image": storing.put_image(call, _repository(call, params), params)}


@operations.serves("ecr", "BatchGetImage")
def batch_get_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    accepted = params.get("acceptedMediaTypes")
    images: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for image_id in params["imageIds"]:
        found = resolve(repo, image_id)
        image = found.image
        if image is None:
            failures.append(_missing_failure(call, repo, found))
            continue
        if not archive.is_pullable(image, call.now):
            failures.append(
                {
                    "imageId": dict(image_id),
                    "failureCode": "ImageInaccessible",
                    "failureReason": f"Requested image is {image.status.lower()} and cannot be pulled",
                }
            )
            continue
        if accepted is not None and image.manifest_media_type not in accepted:
            failures.append(
                {
                    "imageId": dict(image_id),
                    "failureCode": "ImageNotFound",
                    "failureReason": "Requested image not found with the accepted media types",
                }
            )
            continue
        if not call.veto(hooks.KEEP_PULL_TIME, repo, image):
            image.last_pulled_at = call.now
        result_id = {"imageDigest": image.digest}
        if image_id.get("imageTag") is not None:
            result_id["imageTag"] = image_id["imageTag"]
        images.append(
            {
                "registryId": repo.registry_id,
                "repositoryName": repo.name,
                "imageId": result_id,
                "imageManifest": image.manifest,
                "imageManifestMediaType": image.manifest_media_type,
            }
        )
    return {"images": images, "failures": failures}


def _missing_failure(call: Call, repo: Repository, found: Resolution) -> dict[str, Any]:
    """The failure for an image that is not there: ImageNotFound unless a feature knows better."""
    if found.failure_code == "ImageNotFound":
        failure = call.first_answer(hooks.MISSING_IMAGE_FAILURE, repo, found.image_id)
        if failure is not None:
            return dict(failure)
    return found.failure()


@operations.serves("ecr", "BatchDeleteImage")
def batch_delete_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return delete_images(call, _repository(call, params), params["imageIds"])


def _tag_status(params: dict[str, Any]) -> Any:
    return (params.get("filter") or {}).get("tagStatus")


def _image_status(params: dict[str, Any]) -> Any:
    return (params.get("filter") or {}).get("imageStatus")


@operations.serves("ecr", "ListImages")
def list_images(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    status, image_status = _tag_status(params), _image_status(params)
    scope = f"ListImages:{repo.registry_id}:{call.region}:{repo.name}:{status}:{image_status}"
    index = repo.by_status(status)
    keep = archive.listing_filter(repo, call.now, image_status)

    def rows_from(start: int) -> Iterator[tuple[int, list[dict[str, str]]]]:
        # One row per tag, or one digest-only row for an untagged image (built inline: a page
        # of 100 images runs this loop 100 times per call).
        for seq, image in index.iter_from(start):
            if keep is None or keep(image):
                digest, tags = image.digest, image.tags
                if not tags:
                    yield seq, [{"imageDigest": digest}]
                elif len(tags) == 1:
                    yield seq, [{"imageDigest": digest, "imageTag": tags[0]}]
                else:
                    yield seq, [{"imageDigest": digest, "imageTag": tag} for tag in tags]

    ids, next_token = pagination.page_of_rows(rows_from, params, scope)
    return pagination.paged("imageIds", ids, next_token)


def image_details(call: Call, repo: Repository, images: list[Image]) -> list[dict[str, Any]]:
    """The ImageDetail of each image (with its storage class state); other features add their
    members once for the whole list. Written for speed: a page of 100 images runs the loop 100
    times per call."""
    registry_id, name, timestamp, active = repo.registry_id, repo.name, call.timestamp, archive.ACTIVE
    details: list[dict[str, Any]] = []
    for image in images:
        detail: dict[str, Any] = {
            "registryId": registry_id,
            "repositoryName": name,
            "imageDigest": image.digest,
            "imageSizeInBytes": image.size_in_bytes,
            "imagePushedAt": timestamp(image.pushed_at),
            "imageManifestMediaType": image.manifest_media_type,
        }
        tags = image.tags
        if tags:
            detail["imageTags"] = tags[:]
        if image.artifact_media_type:
            detail["artifactMediaType"] = image.artifact_media_type
        if image.last_pulled_at is not None:
            detail["lastRecordedPullTime"] = timestamp(image.last_pulled_at)
        if not image.has_rare_attributes:  # the common case: no subject, never archived
            if image.status == active:
                detail["imageStatus"] = active
            else:
                detail.update(archive.detail_fields(image, call.now, timestamp))
        else:
            if image.subject_digest:
                detail["subjectManifestDigest"] = image.subject_digest
            if image.status == active and image.last_archived_at is None:
                detail["imageStatus"] = active
            else:
                detail.update(archive.detail_fields(image, call.now, timestamp))
        details.append(detail)
    call.notify(hooks.IMAGE_DETAILS, repo, images, details)
    return details


@operations.serves("ecr", "DescribeImages")
def describe_images(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = _repository(call, params)
    image_ids = params.get("imageIds")
    if image_ids is not None:
        check_ids_or_pages(params, "imageIds")
        # One image at a time: a missing image further down the list fails the call only after
        # the images before it were described (and their due scans settled), as before.
        details = [d for image in requested_images(repo, image_ids) for d in image_details(call, repo, [image])]
        return {"imageDetails": details}
    status, image_status = _tag_status(params), _image_status(params)
    scope = f"DescribeImages:{repo.registry_id}:{call.region}:{repo.name}:{status}:{image_status}"
    page, next_token = pagination.page_of(
        repo.by_status(status), params, scope, keep=archive.listing_filter(repo, call.now, image_status)
    )
    return pagination.paged("imageDetails", image_details(call, repo, page), next_token)
