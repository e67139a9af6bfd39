"""What a manifest references, enforced as ECR does: blobs and child manifests must exist at push
time, an image that an index lists cannot be deleted, and referrers are found by their subject.

Registered on the extension points at import, so PutImage and BatchDeleteImage of both services
apply these rules without knowing about blobs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from fake_ecr.core import hooks as extensions
from fake_ecr.features.layers.blobs import BlobRepository, store_of
from fake_ecr.errors import ServiceError

if TYPE_CHECKING:
    from fake_ecr.core.serving import Call
    from fake_ecr.features.images.manifests import ManifestInfo
    from fake_ecr.model import Image


def _requires_blobs(call: Call) -> bool:
    return bool(getattr(call.fake, "require_blobs", True))


def check_references(call: Call, repo: BlobRepository, info: ManifestInfo) -> None:
    """Refuse a manifest whose blobs or child manifests are not in the repository."""
    if not _requires_blobs(call):
        return
    store = store_of(repo)
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


def record_references(call: Call, repo: BlobRepository, image: Image, info: ManifestInfo) -> None:
    """Index a newly stored manifest's blobs, children and subject for the reverse lookups."""
    store = store_of(repo)
    for digest, _, media_type in info.blobs:
        blob = store.blob(digest)
        if blob is not None:
            blob.users.add(image.digest)
            if blob.media_type is None and media_type:
                blob.media_type = media_type
    for child in info.child_digests:
        store.parents.setdefault(child, set()).add(image.digest)
    if info.subject_digest:
        store.referrers.setdefault(info.subject_digest, set()).add(image.digest)


def live(repo: BlobRepository, index: dict[str, set[str]], key: str) -> list[Image]:
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


def refuse_listed_image(call: Call, repo: BlobRepository, image: Image) -> Optional[str]:
    """An image that an index in the repository lists cannot be deleted."""
    if live(repo, store_of(repo).parents, image.digest):
        return "ImageReferencedByManifestList"
    return None


def referrers(repo: BlobRepository, subject_digest: str) -> list[Image]:
    """The manifests whose ``subject`` is ``subject_digest``, in push order."""
    found = live(repo, store_of(repo).referrers, subject_digest)
    return sorted(found, key=lambda image: image.seq)


extensions.before_store.append(check_references)
extensions.image_stored.append(record_references)
extensions.before_delete.append(refuse_listed_image)
