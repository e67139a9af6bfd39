"""What a manifest references, enforced as ECR does: blobs and child manifests must exist at push
time, an image that an index lists cannot be deleted, and referrers are found by their subject.

Subscribed to the hooks (see ``feature.py``), so every store and delete path applies these rules
without knowing about blobs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.aws.json_text import parse_json
from fake_ecr.errors import ServiceError
from fake_ecr.features.images import archive
from fake_ecr.model import Repository
from fake_ecr.model.blobs import BlobStore

if TYPE_CHECKING:
    from fake_ecr.core.call import Call
    from fake_ecr.model import Image
    from fake_ecr.model.manifests import ManifestInfo


def check_references(call: Call, repo: Repository, info: ManifestInfo) -> None:
    """Refuse a manifest whose blobs or child manifests are not in the repository."""
    if not call.settings.require_blobs:
        return
    store = repo.state(BlobStore)
    missing = [digest for digest, _, _ in info.blobs if store.blob(digest) is None]
    if missing:
        listed = ", ".join(dict.fromkeys(missing))
        raise ServiceError(
            "LayersNotFoundException",
            f"Layers with digests '[{listed}]' required for pushing image into repository with name "
            f"'{repo.name}' in the registry with id '{repo.registry_id}' do not exist",
        )
    absent = [digest for digest in info.child_digests if repo.image(digest) is None]
    if absent:
        listed = ", ".join(dict.fromkeys(absent))
        raise ServiceError(
            "ReferencedImagesNotFoundException",
            f"The manifest list is referencing images with digests '[{listed}]' that do not exist "
            f"in the repository with name '{repo.name}' in the registry with id '{repo.registry_id}'",
        )


def record_references(call: Call, repo: Repository, image: Image, info: ManifestInfo) -> None:
    """Index a newly stored manifest's blobs, children and subject for the reverse lookups."""
    store = repo.state(BlobStore)
    blobs = store.blobs  # read directly: a push records several
    if blobs:  # none in a repository that takes manifests without their blobs (require_blobs=False)
        for digest, _, media_type in info.blobs:
            blob = blobs.get(digest)
            if blob is not None:
                blob.users.add(image.digest)
                if blob.media_type is None and media_type:
                    blob.media_type = media_type
    for child in info.child_digests:
        store.parents.setdefault(child, set()).add(image.digest)
    if info.subject_digest:
        store.referrers.setdefault(info.subject_digest, set()).add(image.digest)


def live(repo: Repository, index: dict[str, set[str]], key: str) -> list[Image]:
    """The images still in ``repo`` among ``index[key]``, dropping the ones that are gone."""
    digests = index.get(key)
    if not digests:
        return []
    images = []
    for digest in list(digests):
        image = repo.image(digest)
        if image is None:
            digests.discard(digest)
        else:
            images.append(image)
    if not digests:
        del index[key]
    return images


def refuse_listed_image(call: Call, repo: Repository, image: Image) -> Optional[str]:
    """An image that an index in the repository lists cannot be deleted."""
    if live(repo, repo.state(BlobStore).parents, image.digest):
        return "ImageReferencedByManifestList"
    return None


def referrers(repo: Repository, subject_digest: str) -> list[Image]:
    """The manifests whose ``subject`` is ``subject_digest``, in push order."""
    found = live(repo, repo.state(BlobStore).referrers, subject_digest)
    return sorted(found, key=lambda image: image.seq)


def referrer_view(call: Call, image: Image) -> dict[str, Any]:
    """An image as ListImageReferrers describes a referrer (the registry's referrers API too)."""
    view: dict[str, Any] = {
        "digest": image.digest,
        "mediaType": image.manifest_media_type,
        "size": len(image.manifest.encode("utf-8")),
        "artifactStatus": archive.status(image, call.now),
    }
    # OCI: a manifest without artifactType is typed by its config media type.
    if image.artifact_media_type:
        view["artifactType"] = image.artifact_media_type
    annotations = parse_json(image.manifest).get("annotations")
    if isinstance(annotations, dict) and annotations:
        view["annotations"] = {str(k): str(v) for k, v in annotations.items()}
    return view
