"""Storing a pushed manifest: digest checks, tag moves and immutability, shared by both services."""

from __future__ import annotations

from typing import Any, Optional

from fake_ecr.features.images import archive, manifests
from fake_ecr.core import hooks as extensions
from fake_ecr.core.serving import Call
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.images.image_ids import IMAGE_TAG, IMAGE_TAG_PATTERN_TEXT
from fake_ecr.model import Image, Repository


def _image_size(repo: Repository, info: manifests.ManifestInfo) -> int:
    if info.child_digests:
        # "If the image is a manifest list, this will be the max size of all manifests in the list."
        sizes = [child.size_in_bytes for d in info.child_digests if (child := repo.image(d)) is not None]
        return max(sizes, default=0)
    return info.size_in_bytes


def push_image(
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
        for check in extensions.before_store:
            check(call, repo, info)
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
        repo.add_image(image)
        for record in extensions.image_stored:
            record(call, repo, image, info)
    if tag is not None:
        repo.tag_image(image, tag)
    for react in extensions.image_pushed:
        react(call, repo, image, tag)
    return image


def put_image(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    """PutImage on either service: store the push and return the ``image`` it answers with."""
    tag = params.get("imageTag")
    image = push_image(
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
