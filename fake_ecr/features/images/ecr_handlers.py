"""ECR images: PutImage, BatchGetImage, BatchDeleteImage, ListImages, DescribeImages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable, Optional

from fake_ecr.core import hooks, pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.core.pagination import check_ids_or_pages
from fake_ecr.features.images import archive, storing
from fake_ecr.features.images.batches import delete_images, requested_images
from fake_ecr.features.images.image_ids import Resolution, resolve
from fake_ecr.features.repositories.on_demand import repository_for
from fake_ecr.model import Image, Repository
from fake_ecr.model.ordered import OrderedIndex

operations = OperationTable()


@operations.serves("ecr", "PutImage")
def put_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return {"image": storing.put_image(call, repository_for(call, params), params)}


@operations.serves("ecr", "BatchGetImage")
def batch_get_image(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for(call, params)
    accepted = params.get("acceptedMediaTypes")
    images: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for image_id in params["imageIds"]:
        found = resolve(repo, image_id)
        image = found.image
        if image is None:
            failures.append(_missing_failure(call, repo, found))
            continue
        if image.status != archive.ACTIVE and not archive.is_pullable(image, call.now):
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
    return delete_images(call, repository_for(call, params), params["imageIds"])


def _scope(operation: str, call: Call, repo: Repository, status: Any, image_status: Any) -> str:
    """What a listing's tokens are issued for (built only when a token is read or made)."""
    return f"{operation}:{repo.registry_id}:{call.region}:{repo.name}:{status}:{image_status}"


def _token(
    operation: str, call: Call, repo: Repository, status: Any, image_status: Any, next_seq: Optional[int]
) -> Optional[str]:
    """The ``nextToken`` of a page whose next image is ``next_seq`` (None: the last page)."""
    if next_seq is None:
        return None
    return pagination.encode(_scope(operation, call, repo, status, image_status), next_seq)


def _listing(
    operation: str, call: Call, repo: Repository, params: dict[str, Any]
) -> tuple[OrderedIndex[str, Image], Optional[Callable[[Image], bool]], int, int, Any, Any]:
    """What a ListImages or DescribeImages page reads: the index its ``tagStatus`` picks, the
    ``keep`` of its ``imageStatus`` (None: every image), the (seq, offset) its ``nextToken``
    starts at ((0, 0) without one) and both filters (None when absent) for the token scope.
    One call, as the common listing (no filter, no token) needs next to nothing of this."""
    filters = params.get("filter")
    if filters:
        status, image_status = filters.get("tagStatus"), filters.get("imageStatus")
        index = repo.by_status(status)
    else:
        status = image_status = None
        index = repo.images
    keep = archive.listing_filter(repo, call.now, image_status)
    token = params.get("nextToken")
    if token is None:
        return index, keep, 0, 0, status, image_status
    start, offset = pagination.decode(token, _scope(operation, call, repo, status, image_status))
    return index, keep, start, offset, status, image_status


@operations.serves("ecr", "ListImages")
def list_images(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    """One row per tag, or one digest-only row for an untagged image. A page of images with at
    most one tag each (the common case) is one row per image, built in one loop over
    :meth:`OrderedIndex.page`; a page that starts or ends inside an image's tags goes row by row."""
    repo = repository_for(call, params)
    index, keep, start, offset, status, image_status = _listing("ListImages", call, repo, params)
    limit = pagination.page_size(params)
    if offset == 0:
        images, next_seq = index.page(start, limit, keep)
        rows: list[dict[str, str]] = []
        append = rows.append
        for image in images:
            tags = image.tags
            if len(tags) == 1:
                append({"imageDigest": image.digest, "imageTag": tags[0]})
            elif not tags:
                append({"imageDigest": image.digest})
            else:
                break  # several tags: the page may end inside this image's rows
        else:
            return pagination.paged("imageIds", rows, _token("ListImages", call, repo, status, image_status, next_seq))

    def rows_from(start: int) -> Iterator[tuple[int, list[dict[str, str]]]]:
        for seq, image in index.iter_from(start):
            if keep is None or keep(image):
                digest, tags = image.digest, image.tags
                if not tags:
                    yield seq, [{"imageDigest": digest}]
                else:
                    yield seq, [{"imageDigest": digest, "imageTag": tag} for tag in tags]

    scope = _scope("ListImages", call, repo, status, image_status)
    ids, next_token = pagination.rows_page(rows_from, start, offset, limit, scope)
    return pagination.paged("imageIds", ids, next_token)


def image_details(call: Call, repo: Repository, images: list[Image]) -> list[dict[str, Any]]:
    """The ImageDetail of each image (with its storage class state); other features add their
    members once for the whole list. Written for speed: a page of 100 images runs the loop 100
    times per call, so the common image (no rare attribute, never pulled, ACTIVE, with an artifact
    media type: a Docker or OCI image's config type) is a copy of the detail it keeps (every member
    but its tags is fixed for its life) with its tags filled in: a copy in C instead of nine
    insertions; any other goes through :func:`_image_detail`."""
    registry_id, name, active = repo.registry_id, repo.name, archive.ACTIVE
    details: list[dict[str, Any]] = []
    append = details.append
    for image in images:
        # Plain attribute reads (the rare slot too, not its property): no call per image.
        if (
            image._rare is not None
            or image.last_pulled_at is not None
            or image.status != active
            or not image.artifact_media_type
        ):
            append(_image_detail(call, registry_id, name, image))
        else:
            detail = image._detail
            if detail is None:
                detail = image._detail = {
                    **_fixed_members(registry_id, name, image),
                    "imageTags": None,  # in its place, filled in by each listing
                    "artifactMediaType": image.artifact_media_type,
                    "imageStatus": active,
                }
            detail = detail.copy()
            tags = image.tags
            if tags:
                detail["imageTags"] = [*tags]
            else:
                del detail["imageTags"]  # an untagged image has none; the others keep their order
            append(detail)
    call.notify(hooks.IMAGE_DETAILS, repo, images, details)
    return details


def _fixed_members(registry_id: str, name: str, image: Image) -> dict[str, Any]:
    """The members of an ImageDetail that every image has, none of which changes in its life."""
    return {
        "registryId": registry_id,
        "repositoryName": name,
        "imageDigest": image.digest,
        "imageSizeInBytes": image.size_in_bytes,
        "imagePushedAt": Call.timestamp(image.pushed_at),
        "imageManifestMediaType": image.manifest_media_type,
    }


def _image_detail(call: Call, registry_id: str, name: str, image: Image) -> dict[str, Any]:
    """The ImageDetail of any image, member by member (the reference for the fast path above)."""
    timestamp = call.timestamp
    detail = _fixed_members(registry_id, name, image)
    if image.tags:
        detail["imageTags"] = image.tags[:]
    if image.artifact_media_type:
        detail["artifactMediaType"] = image.artifact_media_type
    if image.last_pulled_at is not None:
        detail["lastRecordedPullTime"] = timestamp(image.last_pulled_at)
    if image.subject_digest:
        detail["subjectManifestDigest"] = image.subject_digest
    if image.status == archive.ACTIVE and image.last_archived_at is None:
        detail["imageStatus"] = archive.ACTIVE
    else:
        detail.update(archive.detail_fields(image, call.now, timestamp))
    return detail


@operations.serves("ecr", "DescribeImages")
def describe_images(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for(call, params)
    image_ids = params.get("imageIds")
    if image_ids is not None:
        check_ids_or_pages(params, "imageIds")
        # One image at a time: a missing image further down the list fails the call only after
        # the images before it were described (and their due scans settled), as before.
        details = [d for image in requested_images(repo, image_ids) for d in image_details(call, repo, [image])]
        return {"imageDetails": details}
    index, keep, start, _, status, image_status = _listing("DescribeImages", call, repo, params)
    page, next_seq = index.page(start, pagination.page_size(params), keep)
    details = image_details(call, repo, page)
    token = _token("DescribeImages", call, repo, status, image_status, next_seq)
    return pagination.paged("imageDetails", details, token)
