"""Layer uploads, layer availability and layer downloads, shared by ECR and ECR Public.

Each function takes the ``Call``, a repository (private or public) and the request parameters, and returns the response body
both services use.

Downloads: GetDownloadUrlForLayer answers with a URL shaped like ECR's pre-signed S3 URLs. Nothing
listens there; a test turns the URL back into the layer's bytes with ``FakeECR.download(url)``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
import weakref
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import quote, urlsplit

from fake_ecr.aws.partitions import dns_suffix
from fake_ecr.errors import FakeECRError, ServiceError
from fake_ecr.features.images import archive
from fake_ecr.model import Backend, Repository
from fake_ecr.model.blobs import Blob, BlobStore, Upload
from fake_ecr.model.manifests import IMAGE_ID_DIGEST

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

PART_SIZE = 10 * 1024 * 1024  # what InitiateLayerUpload tells clients to send
MIN_PART_SIZE = 5 * 1024 * 1024  # every part but the last must be at least this big
MAX_PARTS = 4200  # layer parts per upload (ECR's quota)


URL_LIFETIME = 3600  # seconds: the X-Amz-Expires of the URLs GetDownloadUrlForLayer issues


class IssuedUrl:
    """One download URL: the blob store and digest it serves, until it expires.

    The store is held weakly, so a URL never keeps a deleted repository's layers alive.
    """

    __slots__ = ("store", "digest", "expires_at")

    def __init__(self, store: BlobStore, digest: str, expires_at: float) -> None:
        self.store = weakref.ref(store)
        self.digest = digest
        self.expires_at = expires_at


class DownloadUrls:
    """Backend state: the token of each layer download URL issued, in the order they were issued."""

    def __init__(self) -> None:
        self.urls: dict[str, IssuedUrl] = {}

    def issue(self, token: str, store: BlobStore, digest: str, now: float) -> None:
        # Forget the URLs that expired (the oldest come first), so the map stays small.
        while self.urls:
            oldest = next(iter(self.urls))
            if self.urls[oldest].expires_at > now:
                break
            del self.urls[oldest]
        self.urls[token] = IssuedUrl(store, digest, now + URL_LIFETIME)


def store_of(repo: Repository) -> BlobStore:
    """The repository's blob store (ECR keeps blobs per repository), created on first use."""
    return repo.state(BlobStore)


def sha256_digest(chunks: list[bytes]) -> str:
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk)
    return "sha256:" + hasher.hexdigest()


def _ids(repo: Repository) -> dict[str, Any]:
    return {"registryId": repo.registry_id, "repositoryName": repo.name}


def _upload(repo: Repository, upload_id: str) -> Upload:
    upload = store_of(repo).uploads.get(upload_id)
    if upload is None:
        raise ServiceError(
            "UploadNotFoundException",
            f"The upload with id '{upload_id}' does not exist in the repository with name "
            f"'{repo.name}' in the registry with id '{repo.registry_id}'",
        )
    return upload


# -- uploading ---------------------------------------------------------------------------------


def initiate_upload(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    upload_id = str(uuid.uuid4())
    store_of(repo).uploads[upload_id] = Upload(upload_id, call.now)
    return {"uploadId": upload_id, "partSize": PART_SIZE}


def upload_part(
    call: Call, repo: Repository, params: dict[str, Any], *, max_parts: Optional[int] = None
) -> dict[str, Any]:
    """UploadLayerPart; ``max_parts`` is the service's layer-parts quota (default ECR's; ECR Public: 1,000)."""
    max_parts = MAX_PARTS if max_parts is None else max_parts
    upload = _upload(repo, params["uploadId"])
    first, last, data = params["partFirstByte"], params["partLastByte"], params["layerPartBlob"]
    reason: Optional[str] = None
    if first != upload.received:
        reason = (
            f"The part first byte {first} is not consecutive to the last byte received ({upload.received - 1})"
            if upload.received
            else f"The first part of an upload must start at byte 0, not {first}"
        )
    elif last < first or last - first + 1 != len(data):
        reason = f"The part byte range {first}-{last} does not match the size of the part ({len(data)} bytes)"
    if reason is not None:
        fields: dict[str, Any] = {**_ids(repo), "uploadId": upload.upload_id}
        if upload.received:
            fields["lastValidByteReceived"] = upload.received - 1
        raise ServiceError("InvalidLayerPartException", reason, **fields)
    if len(upload.chunks) >= max_parts:
        raise ServiceError(
            "LimitExceededException",
            f"The upload with id '{upload.upload_id}' already has the maximum of {max_parts} layer parts",
        )
    upload.chunks.append(data)
    upload.received = last + 1
    return {**_ids(repo), "uploadId": upload.upload_id, "lastByteReceived": last}


def complete_upload(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    store = store_of(repo)
    upload = _upload(repo, params["uploadId"])
    if not upload.chunks:
        raise ServiceError("EmptyUploadException", "The specified layer upload does not contain any layer parts.")
    if any(len(chunk) < MIN_PART_SIZE for chunk in upload.chunks[:-1]):
        raise ServiceError("LayerPartTooSmallException", "Layer parts must be at least 5 MiB in size")
    digest = sha256_digest(upload.chunks)
    if digest not in params["layerDigests"]:
        raise ServiceError(
            "InvalidLayerException",
            "The layer digest calculation performed by Amazon ECR upon receipt of the image layer "
            f"does not match the digest specified: computed '{digest}'",
        )
    del store.uploads[upload.upload_id]
    if digest in store.blobs:
        raise ServiceError(
            "LayerAlreadyExistsException",
            f"The layer with digest '{digest}' already exists in the repository with name "
            f"'{repo.name}' in the registry with id '{repo.registry_id}'",
        )
    data = upload.chunks[0] if len(upload.chunks) == 1 else b"".join(upload.chunks)
    store.blobs[digest] = Blob(digest, data)
    return {**_ids(repo), "uploadId": upload.upload_id, "layerDigest": digest}


# -- checking and downloading --------------------------------------------------------------------


def live_users(repo: Repository, blob: Blob) -> list[Any]:
    """The images of ``repo`` that reference ``blob`` (dropping users that were deleted)."""
    images = []
    for digest in list(blob.users):
        image = repo.image(digest)
        if image is None:
            blob.users.discard(digest)
        else:
            images.append(image)
    return images


def check_availability(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    store = store_of(repo)
    layers: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for digest in params["layerDigests"]:
        if not digest:
            failures.append(
                {
                    "layerDigest": digest,
                    "failureCode": "MissingLayerDigest",
                    "failureReason": "The layer digest must not be empty",
                }
            )
            continue
        if not IMAGE_ID_DIGEST.fullmatch(digest):
            failures.append(
                {
                    "layerDigest": digest,
                    "failureCode": "InvalidLayerDigest",
                    "failureReason": "Invalid layer digest: it should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
                }
            )
            continue
        blob = store.blob(digest)
        if blob is None:
            layers.append({"layerDigest": digest, "layerAvailability": "UNAVAILABLE"})
            continue
        users = live_users(repo, blob)
        archived = bool(users) and not any(archive.is_pullable(image, call.now) for image in users)
        layer = {
            "layerDigest": digest,
            "layerAvailability": "ARCHIVED" if archived else "AVAILABLE",
            "layerSize": blob.size,
        }
        if blob.media_type:
            layer["mediaType"] = blob.media_type
        layers.append(layer)
    return {"layers": layers, "failures": failures}


def download_url(call: Call, repo: Repository, params: dict[str, Any]) -> dict[str, Any]:
    digest = params["layerDigest"]
    blob = store_of(repo).blob(digest)
    if blob is None:
        raise ServiceError(
            "LayersNotFoundException",
            f"The layer with digest '{digest}' does not exist within the repository with name "
            f"'{repo.name}' in the registry with id '{repo.registry_id}'",
        )
    users = live_users(repo, blob)
    if not users:
        raise ServiceError(
            "LayerInaccessibleException",
            "The specified layer is not available because it is not associated with an image. "
            "Unassociated image layers may be cleaned up at any time.",
        )
    if not any(archive.is_pullable(image, call.now) for image in users):
        raise ServiceError(
            "LayerInaccessibleException",
            f"The layer with digest '{digest}' is only referenced by archived images; restore an image to download it.",
        )
    token = secrets.token_hex(16)
    call.backend.state(DownloadUrls).issue(token, store_of(repo), digest, call.now)
    host = f"prod-{call.region}-starport-layer-bucket.s3.{call.region}.{dns_suffix(call.region)}"
    url = (
        f"https://{host}/{token}/{repo.registry_id}/{quote(repo.name, safe='')}/{digest.split(':')[-1]}"
        f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires={URL_LIFETIME}&X-Amz-Signature={secrets.token_hex(32)}"
    )
    return {"downloadUrl": url, "layerDigest": digest}


def resolve_download(backend: Backend, url: str, now: float) -> bytes:
    """The bytes behind a ``downloadUrl`` this fake issued (what fetching the URL would return).

    FakeECRError if the URL was not issued by this fake, has expired (``X-Amz-Expires``, on the
    fake's clock), or its layer is gone (its repository was deleted).
    """
    parts = urlsplit(url).path.strip("/").split("/")
    issued = backend.state(DownloadUrls).urls.get(parts[0]) if parts else None
    if issued is None:
        raise FakeECRError(f"{url!r} is not a layer download URL issued by this fake_ecr")
    if now >= issued.expires_at:
        raise FakeECRError(f"{url!r} has expired (it was valid for {URL_LIFETIME} seconds)")
    store = issued.store()
    blob = store.blob(issued.digest) if store is not None else None
    if blob is None:
        raise FakeECRError(f"the layer behind {url!r} no longer exists (its repository was deleted)")
    return bytes(blob.data)
