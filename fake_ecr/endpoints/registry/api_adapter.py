"""The registry endpoint's one door into fake_ecr: every read and write of the fake's state.

ECR's registry is a front end of its API: CloudTrail shows a push as BatchCheckLayerAvailability,
InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload and PutImage, and a pull as
BatchGetImage and GetDownloadUrlForLayer. So registry requests are served by running those
operations through the fake's serving core (``Server.attempt``/``Server.call``): they are recorded in
``fake.calls`` and every feature (scan on push, replication, creation templates, create on push,
pull through cache, pull times, immutability) reacts exactly as to an API call.

Where the API's limits do not apply to the registry protocol, this module bridges them:

* Clients PATCH chunks of any size, but UploadLayerPart wants 5 MiB parts. Chunks are appended
  to one buffer here as they arrive, and sent as one part when the upload completes. That part
  is the very object the blob store keeps, and UploadLayerPart is run without its JSON/base64
  round trip, so a blob is held in memory once, even while it is being uploaded.
* ECR Public's API has no pull operations (images are pulled from public.ecr.aws), so public
  pulls read the state directly.
* Cross-repository blob mounts have no API operation; they are applied here when the
  registry's ``BLOB_MOUNTING`` account setting is ENABLED.

The protocol code sees only this module's classes and :class:`~fake_ecr.errors.ServiceError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Optional, Union
from urllib.parse import urlsplit

from fake_ecr.aws.partitions import registry_host
from fake_ecr.core.call import Call
from fake_ecr.core.service_models import operation_model
from fake_ecr.errors import ServiceError
from fake_ecr.features.authorization.tokens import AuthorizationTokens
from fake_ecr.features.images import references
from fake_ecr.features.layers import blobs
from fake_ecr.features.layers.blobs import DownloadUrls
from fake_ecr.features.public.common import public_repository
from fake_ecr.features.registry_settings import account_settings
from fake_ecr.model.blobs import Blob
from fake_ecr.model.public import PUBLIC_HOST, PUBLIC_REGION, default_alias

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server
    from fake_ecr.model import Repository

PRIVATE = "ecr"
PUBLIC = "ecr-public"
_ACCOUNT_ID = re.compile(r"[0-9]{12}")


class RegistryRef:
    """The registry a request addresses: a private one (account and Region) or an account's public one."""

    __slots__ = ("service", "registry_id", "region")

    def __init__(self, service: str, registry_id: str, region: str) -> None:
        self.service = service
        self.registry_id = registry_id
        self.region = region

    @property
    def public(self) -> bool:
        return self.service == PUBLIC

    @property
    def host(self) -> str:
        """The registry's host name on AWS (what ECR names in its challenge)."""
        if self.public:
            return PUBLIC_HOST
        return registry_host(self.registry_id, self.region)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegistryRef) and (self.service, self.registry_id, self.region) == (
            other.service,
            other.registry_id,
            other.region,
        )

    def __hash__(self) -> int:
        return hash((self.service, self.registry_id, self.region))

    def __repr__(self) -> str:
        return f"<RegistryRef {self.host}{'' if not self.public else '/' + self.registry_id}>"


class TokenScope:
    """What GetAuthorizationToken issued a token for, and until when."""

    __slots__ = ("registry", "expires_at", "principal")

    def __init__(self, registry: RegistryRef, expires_at: float, principal: Optional[str] = None) -> None:
        self.registry = registry
        self.expires_at = expires_at
        self.principal = principal  # who asked for the token: the registry's calls are made as it


class Manifest:
    """A stored manifest: its digest, media type and exact bytes."""

    __slots__ = ("digest", "media_type", "body")

    def __init__(self, digest: str, media_type: str, body: bytes) -> None:
        self.digest = digest
        self.media_type = media_type
        self.body = body


class _Pending:
    """The bytes a registry upload received so far (sent to the API when it completes).

    The first piece is kept as it came (a monolithic upload's body is then stored as is); later
    pieces grow one ``bytearray``, so pieces are never joined into a second copy. Once the
    upload completes, the buffer becomes the stored blob and nothing mutates it any more.
    """

    __slots__ = ("where", "data")

    def __init__(self, where: tuple[RegistryRef, str]) -> None:
        self.where = where
        self.data: Union[bytes, bytearray] = b""

    @property
    def received(self) -> int:
        return len(self.data)

    def append(self, piece: bytes) -> None:
        if not self.data:
            self.data = piece
            return
        if not isinstance(self.data, bytearray):
            self.data = bytearray(self.data)
        self.data += piece


class RegistryUploads:
    """Backend state: the registry uploads in progress, by upload id."""

    def __init__(self) -> None:
        self.pending: dict[str, _Pending] = {}


class ECRAdapter:
    """The interface the registry protocol uses, over one fake's serving core."""

    def __init__(self, server: Server) -> None:
        self._server = server

    # -- addressing and authentication ----------------------------------------------------------

    def now(self) -> float:
        return self._server.clock.time()

    def default_registry(self) -> RegistryRef:
        """The fake's own private registry (its account and Region)."""
        return RegistryRef(PRIVATE, self._server.settings.account_id, self._server.settings.region)

    def private_registry(self, account_id: str, region: str) -> RegistryRef:
        return RegistryRef(PRIVATE, account_id, region)

    def public_registry(self, alias: str) -> RegistryRef:
        """The public registry of an account, named by an alias or the account id."""
        server = self._server
        account_id = server.settings.account_id
        with server.lock:
            if _ACCOUNT_ID.fullmatch(alias):
                return RegistryRef(PUBLIC, alias, PUBLIC_REGION)
            for registry in server.backend.public_registries.values():
                if registry.has_alias(alias):
                    return RegistryRef(PUBLIC, registry.account_id, PUBLIC_REGION)
        if alias == default_alias(account_id):
            return RegistryRef(PUBLIC, account_id, PUBLIC_REGION)
        raise ServiceError("RegistryNotFoundException", f"The registry with id or alias '{alias}' does not exist")

    def public_alias(self, registry: RegistryRef) -> str:
        """The alias an account's public registry is reached by (its primary, else the default)."""
        with self._server.lock:
            public = self._server.backend.public_registries.get(registry.registry_id)
            alias = public.primary_alias if public is not None else None
            return alias.name if alias is not None else default_alias(registry.registry_id)

    def token_scope(self, token: str) -> Optional[TokenScope]:
        """The registry a GetAuthorizationToken token was issued for and its expiry (None: never issued)."""
        tokens = self._server.backend.state(AuthorizationTokens)
        expires_at = tokens.expiry.get(token)
        if expires_at is None:
            return None
        settings = self._server.settings
        service, registry_id, region = tokens.scopes.get(token, (PRIVATE, settings.account_id, settings.region))
        if service == PUBLIC:
            region = PUBLIC_REGION
        return TokenScope(RegistryRef(service, registry_id, region), float(expires_at), tokens.principals.get(token))

    def acting_as(self, principal: Optional[str]) -> Any:
        """The operations run inside the block are made as ``principal`` (a token's)."""
        return self._server.acting_as(principal)

    # -- running operations -----------------------------------------------------------------------

    def _call(self, registry: RegistryRef, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run ``operation`` through the serving core, as an API call of that registry's service
        (planned faults apply, the call is recorded, the request is validated like any other)."""
        model = operation_model(registry.service, operation)
        body = json.dumps({"registryId": registry.registry_id, **params}).encode()
        executed = self._server.attempt(model, registry.region, body, _api_url(registry))
        if executed.error is not None:
            raise executed.error
        assert executed.result is not None
        return executed.result

    def _call_with_blob(self, registry: RegistryRef, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Like :meth:`_call` but with decoded params, so a layer part is not base64-encoded and copied."""
        return self._server.call(
            registry.service, operation, {"registryId": registry.registry_id, **params}, region=registry.region
        )

    def _direct_call(self, registry: RegistryRef, what: str) -> Call:
        """A ``Call`` for reads that have no API operation (ECR Public pulls, blob mounts)."""
        return self._server.new_call(registry.service, what, registry.region)

    def _public_repo(self, registry: RegistryRef, name: str) -> Repository:
        call = self._direct_call(registry, "RegistryPull")
        return public_repository(call, {"registryId": registry.registry_id, "repositoryName": name})

    # -- blobs ----------------------------------------------------------------------------------

    def blob_size(self, registry: RegistryRef, repo: str, digest: str) -> Optional[int]:
        """The size of blob ``digest`` if the repository has it (BatchCheckLayerAvailability)."""
        result = self._call(registry, "BatchCheckLayerAvailability", {"repositoryName": repo, "layerDigests": [digest]})
        for layer in result.get("layers", []):
            if layer.get("layerAvailability") == "AVAILABLE":
                return int(layer["layerSize"])
        return None

    def blob_data(self, registry: RegistryRef, repo: str, digest: str) -> bytes:
        """The stored bytes of blob ``digest`` (not a copy); GetDownloadUrlForLayer on ECR."""
        if registry.public:
            with self._server.lock:
                blob = blobs.store_of(self._public_repo(registry, repo)).blob(digest)
            if blob is None:
                raise ServiceError(
                    "LayersNotFoundException",
                    f"The layer with digest '{digest}' does not exist "
                    f"within the repository with name '{repo}' in the registry with id "
                    f"'{registry.registry_id}'",
                )
            return blob.data
        result = self._call(registry, "GetDownloadUrlForLayer", {"repositoryName": repo, "layerDigest": digest})
        token = urlsplit(result["downloadUrl"]).path.strip("/").split("/")[0]
        with self._server.lock:
            issued = self._server.backend.state(DownloadUrls).urls.pop(token)  # only a means to the bytes
            store = issued.store()
            blob = store.blob(issued.digest) if store is not None else None
        if blob is None:
            raise ServiceError(
                "LayersNotFoundException",
                f"The layer with digest '{digest}' does not exist "
                f"within the repository with name '{repo}' in the registry with id "
                f"'{registry.registry_id}'",
            )
        return blob.data

    def start_upload(self, registry: RegistryRef, repo: str) -> str:
        """A new upload's id (InitiateLayerUpload)."""
        upload_id = str(self._call(registry, "InitiateLayerUpload", {"repositoryName": repo})["uploadId"])
        with self._server.lock:
            self._server.backend.state(RegistryUploads).pending[upload_id] = _Pending((registry, repo))
        return upload_id

    def _pending(self, registry: RegistryRef, repo: str, upload_id: str) -> _Pending:
        with self._server.lock:
            pending = self._server.backend.state(RegistryUploads).pending.get(upload_id)
        if pending is None or pending.where != (registry, repo):
            raise ServiceError(
                "UploadNotFoundException",
                f"The upload with id '{upload_id}' does not exist in the repository with name "
                f"'{repo}' in the registry with id '{registry.registry_id}'",
            )
        return pending

    def upload_received(self, registry: RegistryRef, repo: str, upload_id: str) -> int:
        """How many bytes an upload has received; UploadNotFoundException for an unknown one."""
        return self._pending(registry, repo, upload_id).received

    def append_upload(self, registry: RegistryRef, repo: str, upload_id: str, pieces: Iterable[bytes]) -> int:
        """Add a chunk (read from ``pieces`` as it arrives); return the bytes received so far."""
        pending = self._pending(registry, repo, upload_id)
        for piece in pieces:  # read from the network outside the lock
            with self._server.lock:
                pending.append(piece)
        return pending.received

    def finish_upload(self, registry: RegistryRef, repo: str, upload_id: str, digest: str) -> str:
        """Complete an upload as blob ``digest``: one UploadLayerPart, then CompleteLayerUpload."""
        pending = self._pending(registry, repo, upload_id)
        with self._server.lock:
            self._server.backend.state(RegistryUploads).pending.pop(upload_id, None)
        data, pending.data = pending.data, b""
        ids = {"repositoryName": repo, "uploadId": upload_id}
        try:
            if data:
                self._call_with_blob(
                    registry,
                    "UploadLayerPart",
                    {**ids, "partFirstByte": 0, "partLastByte": len(data) - 1, "layerPartBlob": data},
                )
            del data
            result = self._call(registry, "CompleteLayerUpload", {**ids, "layerDigests": [digest]})
        except ServiceError as exc:
            self._drop_api_upload(registry, repo, upload_id)
            if exc.code == "LayerAlreadyExistsException":
                return digest
            raise
        return str(result["layerDigest"])

    def cancel_upload(self, registry: RegistryRef, repo: str, upload_id: str) -> None:
        """Forget an upload (the registry's DELETE; ECR's API has no operation for it)."""
        self._pending(registry, repo, upload_id)
        with self._server.lock:
            self._server.backend.state(RegistryUploads).pending.pop(upload_id, None)
        self._drop_api_upload(registry, repo, upload_id)

    def _drop_api_upload(self, registry: RegistryRef, repo: str, upload_id: str) -> None:
        with self._server.lock:
            try:
                repository = self._repository(registry, repo)
            except ServiceError:
                return
            blobs.store_of(repository).uploads.pop(upload_id, None)

    def _repository(self, registry: RegistryRef, repo: str) -> Repository:
        if registry.public:
            return self._public_repo(registry, repo)
        return self._server.backend.registry(registry.registry_id, registry.region).repository(repo)

    def mount_blob(self, registry: RegistryRef, repo: str, source: str, digest: str) -> bool:
        """Mount blob ``digest`` of repository ``source`` into ``repo`` if ECR would; False otherwise.

        ECR mounts only with the ``BLOB_MOUNTING`` account setting ENABLED, within one registry,
        between repositories with the same encryption.
        """
        if registry.public:
            return False
        with self._server.lock:
            state = self._server.backend.registry(registry.registry_id, registry.region)
            if account_settings.value(state, "BLOB_MOUNTING") != "ENABLED":
                return False
            origin, target = state.repositories.get(source), state.repositories.get(repo)
            if origin is None or target is None or origin.encryption != target.encryption:
                return False
            blob = blobs.store_of(origin).blob(digest)
            if blob is None:
                return False
            store = blobs.store_of(target)
            if digest not in store.blobs:
                store.blobs[digest] = Blob(digest, blob.data, blob.media_type)  # shares the bytes
            return True

    # -- manifests --------------------------------------------------------------------------------

    def get_manifest(self, registry: RegistryRef, repo: str, reference: str, accepted: Optional[list[str]]) -> Manifest:
        """The manifest a tag or digest names (BatchGetImage); ``accepted`` media types, if given."""
        if registry.public:
            return self._public_manifest(registry, repo, reference, accepted)
        params: dict[str, Any] = {"repositoryName": repo, "imageIds": [_image_id(reference)]}
        if accepted:
            params["acceptedMediaTypes"] = accepted[:100]
        result = self._call(registry, "BatchGetImage", params)
        for image in result.get("images", []):
            body = str(image["imageManifest"]).encode("utf-8")
            return Manifest(image["imageId"]["imageDigest"], str(image["imageManifestMediaType"]), body)
        failure = (result.get("failures") or [{}])[0]
        raise ServiceError(
            str(failure.get("failureCode", "ImageNotFound")),
            str(failure.get("failureReason", "Requested image not found")),
        )

    def _public_manifest(
        self, registry: RegistryRef, repo: str, reference: str, accepted: Optional[list[str]]
    ) -> Manifest:
        with self._server.lock:
            repository = self._public_repo(registry, repo)
            image = repository.image(reference) if ":" in reference else repository.image_for_tag(reference)
            if image is None or (accepted and image.manifest_media_type not in accepted):
                raise ServiceError("ImageNotFound", "Requested image not found")
            return Manifest(image.digest, image.manifest_media_type, image.manifest.encode("utf-8"))

    def put_manifest(
        self, registry: RegistryRef, repo: str, reference: str, body: bytes, media_type: Optional[str]
    ) -> str:
        """Store a manifest under a tag or its digest (PutImage); return its digest."""
        params: dict[str, Any] = {"repositoryName": repo, "imageManifest": body.decode("utf-8")}
        if media_type:
            params["imageManifestMediaType"] = media_type
        params.update({"imageDigest": reference} if ":" in reference else {"imageTag": reference})
        try:
            result = self._call(registry, "PutImage", params)
        except ServiceError as exc:
            if exc.code != "ImageAlreadyExistsException":
                raise
            return "sha256:" + hashlib.sha256(body).hexdigest()  # pushing it again changes nothing
        return str(result["image"]["imageId"]["imageDigest"])

    def delete_manifest(self, registry: RegistryRef, repo: str, reference: str) -> None:
        """Delete an image by digest, or remove a tag (BatchDeleteImage)."""
        result = self._call(registry, "BatchDeleteImage", {"repositoryName": repo, "imageIds": [_image_id(reference)]})
        for failure in result.get("failures", []):
            raise ServiceError(str(failure["failureCode"]), str(failure["failureReason"]))

    def tags(self, registry: RegistryRef, repo: str) -> list[str]:
        """Every tag of the repository (ListImages; DescribeImageTags on ECR Public)."""
        operation, key = ("DescribeImageTags", "imageTagDetails") if registry.public else ("ListImages", "imageIds")
        params: dict[str, Any] = {"repositoryName": repo, "maxResults": 1000}
        if not registry.public:
            params["filter"] = {"tagStatus": "TAGGED"}
        found: list[str] = []
        while True:
            result = self._call(registry, operation, params)
            found.extend(str(row["imageTag"]) for row in result.get(key, []) if row.get("imageTag"))
            if not result.get("nextToken"):
                return found
            params["nextToken"] = result["nextToken"]

    def referrers(
        self, registry: RegistryRef, repo: str, digest: str, artifact_type: Optional[str]
    ) -> list[dict[str, Any]]:
        """Descriptors of the manifests whose subject is ``digest`` (ListImageReferrers)."""
        if registry.public:
            return self._public_referrers(registry, repo, digest, artifact_type)
        params: dict[str, Any] = {"repositoryName": repo, "subjectId": {"imageDigest": digest}}
        if artifact_type:
            params["filter"] = {"artifactTypes": [artifact_type]}
        found: list[dict[str, Any]] = []
        while True:
            result = self._call(registry, "ListImageReferrers", params)
            found.extend(_descriptor(view) for view in result.get("referrers", []))
            if not result.get("nextToken"):
                return found
            params["nextToken"] = result["nextToken"]

    def _public_referrers(
        self, registry: RegistryRef, repo: str, digest: str, artifact_type: Optional[str]
    ) -> list[dict[str, Any]]:
        call = self._direct_call(registry, "RegistryReferrers")
        with self._server.lock:
            repository = self._public_repo(registry, repo)
            views = [references.referrer_view(call, image) for image in references.referrers(repository, digest)]
        return [_descriptor(v) for v in views if not artifact_type or v.get("artifactType") == artifact_type]


def _api_url(registry: RegistryRef) -> str:
    return f"https://api.{registry.service}.{registry.region}.amazonaws.com/"


def _image_id(reference: str) -> dict[str, str]:
    return {"imageDigest": reference} if ":" in reference else {"imageTag": reference}


def _descriptor(view: dict[str, Any]) -> dict[str, Any]:
    """An OCI descriptor from a ListImageReferrers entry."""
    keep = ("mediaType", "digest", "size", "artifactType", "annotations")
    return {key: view[key] for key in keep if key in view}
