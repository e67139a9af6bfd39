"""The one way an image enters a repository and the one way it leaves, for every path.

PutImage on both services, pull through cache, replication and the registry endpoint store
images with :func:`store_image` (and :func:`push`, which adds PutImage's digest, tag and
immutability rules); BatchDeleteImage, lifecycle expiry and replicated deletions remove them
with :func:`delete_image` and :func:`remove_tag`. So the hooks that other features subscribe to
(``BEFORE_STORE``, ``IMAGE_STORED``, ``IMAGE_PUSHED``, ``BEFORE_DELETE``, ``IMAGE_REMOVED``)
fire once, from here.
"""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.core import hooks
from fake_ecr.core.call import Call
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.images import archive
from fake_ecr.features.images.image_ids import IMAGE_TAG, IMAGE_TAG_PATTERN_TEXT
from fake_ecr.model import Image, Repository, manifests


def _image_size(repo: Repository, info: manifests.ManifestInfo) -> int:
    if info.child_digests:
        # "If the image is a manifest list, this will be the max size of all manifests in the list."
        sizes = [child.size_in_bytes for d in info.child_digests if (child := repo.image(d)) is not None]
        return max(sizes, default=0)
    return info.size_in_bytes


# -- storing ---------------------------------------------------------------------------------------


def store_image(
    call: Call,
    repo: Repository,
    manifest: str,
    info: manifests.ManifestInfo,
    digest: str,
    *,
    check: bool = True,
    tag: Optional[str] = None,
) -> Image:
    """Add a new image for ``manifest`` to ``repo``, under ``tag`` if given: ``BEFORE_STORE``
    may refuse it (unless ``check`` is False, for a copy of an image that was checked where it
    came from), then ``IMAGE_STORED`` indexes what it references."""
    if check:
        call.notify(hooks.BEFORE_STORE, repo, info)
    image = Image(
        digest=digest,
        manifest=manifest,
        manifest_media_type=info.media_type,
        artifact_media_type=info.artifact_media_type,
        size_in_bytes=_image_size(repo, info),
        pushed_at=call.now,
        seq=call.backend.next_seq(),
        subject_digest=info.subject_digest,
        child_digests=info.child_digests,
        artifact_type=info.artifact_type,
    )
    repo.add_image(image, tag)
    call.notify(hooks.IMAGE_STORED, repo, image, info)
    return image


def pushed(call: Call, repo: Repository, image: Image, tag: Optional[str]) -> None:
    """Tell ``IMAGE_PUSHED`` subscribers (scan on push, signing, replication, ...) about a push."""
    call.notify(hooks.IMAGE_PUSHED, repo, image, tag)


def push(
    call: Call,
    repo: Repository,
    manifest: str,
    *,
    media_type: Optional[str] = None,
    tag: Optional[str] = None,
    expected_digest: Optional[str] = None,
) -> Image:
    """Store ``manifest`` in ``repo`` (optionally under ``tag``) exactly as PutImage does."""
    if tag is not None and not IMAGE_TAG.fullmatch(tag):
        raise invalid_parameter("imageTag", f"must satisfy regular expression '{IMAGE_TAG_PATTERN_TEXT}'")
    info = manifests.parse(manifest, media_type)
    digest = manifests.digest_of(manifest)
    if expected_digest is not None and expected_digest != digest:
        raise ServiceError(
            "ImageDigestDoesNotMatchException",
            f"Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The provided digest "
            f"'{expected_digest}' does not match the digest calculated for the manifest: '{digest}''",
        )
    image = repo.image(digest)
    if tag is not None:
        # An immutable tag can be neither moved nor pushed again, even with the same manifest.
        if repo.image_for_tag(tag) is not None and repo.tag_is_immutable(tag):
            raise ServiceError(
                "ImageTagAlreadyExistsException",
                f"The image tag '{tag}' already exists in the '{repo.name}' repository and cannot "
                "be overwritten because the repository is immutable.",
            )
    if image is not None and archive.status(image, call.now) != archive.ACTIVE:
        # "When you push an image that is currently archived, that image will be immediately
        # restored and removed from archive."
        archive.activate(image, call.now)
    elif image is not None and (tag is None or tag in image.tags):
        tag_text = f" and tag '{tag}'" if tag is not None else ""
        raise ServiceError(
            "ImageAlreadyExistsException",
            f"Image with digest '{digest}'{tag_text} already exists in the repository with name "
            f"'{repo.name}' in registry with id '{repo.registry_id}'",
        )
    if image is None:
        image = store_image(call, repo, manifest, info, digest, tag=tag)
    elif tag is not None:
        repo.tag_image(image, tag)
    pushed(call, repo, image, tag)
    return image


def put_image(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    """PutImage on either service: store the push and return the ``image`` it answers with."""
    tag = params.get("imageTag")
    image = push(
        call,
        repo,
        params["imageManifest"],
        media_type=params.get("imageManifestMediaType"),
        tag=tag,
        expected_digest=params.get("imageDigest"),
    )
    image_id = {"imageDigest": image.digest}
    if tag is not None:
        image_id["imageTag"] = tag
    return {
        "registryId": repo.registry_id,
        "repositoryName": repo.name,
        "imageId": image_id,
        "imageManifest": image.manifest,
        "imageManifestMediaType": image.manifest_media_type,
    }


# -- deleting --------------------------------------------------------------------------------------


def deletion_refusal(call: Call, repo: Repository, image: Image) -> Optional[str]:
    """The failure code a ``BEFORE_DELETE`` subscriber refuses deleting ``image`` with, or None."""
    refusal: Optional[str] = call.veto(hooks.BEFORE_DELETE, repo, image)
    return refusal


def delete_image(call: Call, repo: Repository, image: Image) -> Optional[str]:
    """Delete ``image`` with all its tags unless a ``BEFORE_DELETE`` subscriber refuses (its
    failure code is returned); ``IMAGE_REMOVED`` hears what went."""
    refusal = deletion_refusal(call, repo, image)
    if refusal is not None:
        return refusal
    tags = repo.delete_image(image)
    call.notify(hooks.IMAGE_REMOVED, repo, image, tags, True)
    return None


def remove_tag(call: Call, repo: Repository, image: Image, tag: str, *, last_tag_deletes: bool = True) -> Optional[str]:
    """Remove ``tag`` from ``image``; with ``last_tag_deletes`` (BatchDeleteImage by tag) removing
    its only tag deletes the image, which ``BEFORE_DELETE`` may refuse."""
    deletes = last_tag_deletes and image.tags == [tag]
    if deletes:
        refusal = deletion_refusal(call, repo, image)
        if refusal is not None:
            return refusal
    repo.untag(tag)
    if deletes:
        repo.delete_image(image)
    call.notify(hooks.IMAGE_REMOVED, repo, image, [tag], deletes)
    return None
