"""The OCI Distribution Spec v1.1 protocol, answered from the fake's state through the adapter.

Routes (``<name>`` may contain slashes; see access.py for how it names a registry):

=======  ==============================================  =========================================
GET      /v2/                                            version check (needs credentials)
HEAD/GET /v2/<name>/blobs/<digest>                        blob (GET honours Range)
DELETE   /v2/<name>/blobs/<digest>                        405 UNSUPPORTED, as ECR
POST     /v2/<name>/blobs/uploads/[?digest=|?mount=&from=] start, single-POST, or mount
GET      /v2/<name>/blobs/uploads/<id>                    upload status
PATCH    /v2/<name>/blobs/uploads/<id>                    append a chunk (416 if out of order)
PUT      /v2/<name>/blobs/uploads/<id>?digest=            finish
DELETE   /v2/<name>/blobs/uploads/<id>                    cancel
HEAD/GET/PUT/DELETE /v2/<name>/manifests/<reference>      manifests by tag or digest
GET      /v2/<name>/tags/list[?n=&last=]                  tags, lexically ordered, paged
GET      /v2/<name>/referrers/<digest>[?artifactType=]    OCI 1.1 referrers index
GET      /v2/_catalog                                     405 UNSUPPORTED (ECR lists no catalog)
=======  ==============================================  =========================================
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Optional
from urllib.parse import quote

from fake_ecr.endpoints.http_server import Request, Response, not_found
from fake_ecr.endpoints.registry import access, errors
from fake_ecr.endpoints.registry.access import Credentials
from fake_ecr.endpoints.registry.api_adapter import ECRAdapter, RegistryRef
from fake_ecr.errors import ServiceError

_NAME = r"(?P<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
_ROUTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"/v2/{_NAME}/blobs/uploads/?"), "uploads"),
    (re.compile(rf"/v2/{_NAME}/blobs/uploads/(?P<upload>[^/]+)"), "upload"),
    (re.compile(rf"/v2/{_NAME}/blobs/(?P<digest>[^/]+)"), "blob"),
    (re.compile(rf"/v2/{_NAME}/manifests/(?P<reference>[^/]+)"), "manifest"),
    (re.compile(rf"/v2/{_NAME}/tags/list"), "tags"),
    (re.compile(rf"/v2/{_NAME}/referrers/(?P<digest>[^/]+)"), "referrers"),
]
DIGEST = re.compile(r"sha256:[a-f0-9]{64}")
TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
_CONTENT_RANGE = re.compile(r"(?:bytes )?(\d+)-(\d+)(?:/\S+)?")
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
JSON = "application/json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"


def is_registry_path(request: Request) -> bool:
    """The routing rule of the registry app on a shared server."""
    return request.path == "/v2" or request.path.startswith("/v2/")


class Target:
    """One resolved request: route parameters, the addressed registry and repository."""

    __slots__ = ("name", "registry", "repo", "params", "creds")

    def __init__(self, name: str, registry: RegistryRef, repo: str, params: dict[str, str], creds: Credentials) -> None:
        self.name = name  # as the client wrote it, for Location headers
        self.registry = registry
        self.repo = repo
        self.params = params
        self.creds = creds


class RegistryApp:
    """The registry app: ``app(request) -> Response``."""

    def __init__(self, adapter: ECRAdapter) -> None:
        self.adapter = adapter
        self._handlers: dict[tuple[str, str], Callable[[Request, Target], Response]] = {
            ("blob", "HEAD"): self.head_blob,
            ("blob", "GET"): self.get_blob,
            ("blob", "DELETE"): lambda request, target: errors.unsupported(),
            ("uploads", "POST"): self.start_upload,
            ("upload", "GET"): self.upload_status,
            ("upload", "PATCH"): self.patch_upload,
            ("upload", "PUT"): self.finish_upload,
            ("upload", "DELETE"): self.cancel_upload,
            ("manifest", "HEAD"): self.get_manifest,
            ("manifest", "GET"): self.get_manifest,
            ("manifest", "PUT"): self.put_manifest,
            ("manifest", "DELETE"): self.delete_manifest,
            ("tags", "GET"): self.list_tags,
            ("referrers", "GET"): self.list_referrers,
        }

    def __call__(self, request: Request) -> Response:
        creds = access.credentials(self.adapter, request)
        if request.path in ("/v2", "/v2/"):
            return self.version_check(creds)
        if request.path.rstrip("/") == "/v2/_catalog":
            refused = self._refuse(self.adapter.default_registry(), creds, request.method)  # credentials first
            return refused if refused is not None else errors.unsupported()
        route = _route(request.path)
        if route is None:
            return not_found(request)
        kind, params = route
        handler = self._handlers.get((kind, request.method))
        if handler is None:
            return errors.unsupported()
        try:
            registry, repo = access.address(self.adapter, params["name"], creds)
            refused = self._refuse(registry, creds, request.method)
            if refused is not None:
                return refused
            principal = creds.scope.principal if creds.state == access.VALID and creds.scope is not None else None
            with self.adapter.acting_as(principal):
                return handler(request, Target(params.pop("name"), registry, repo, params, creds))
        except ServiceError as exc:
            return errors.from_service_error(exc)

    # -- authentication -----------------------------------------------------------------------------

    def version_check(self, creds: Credentials) -> Response:
        if creds.state == access.VALID:
            return _json(200, {})
        if creds.state == access.EXPIRED:
            return errors.expired()
        registry = self.adapter.default_registry()
        return errors.unauthorized(registry.host, access.challenge_service(registry))

    def _refuse(self, registry: RegistryRef, creds: Credentials, method: str) -> Optional[Response]:
        if access.may_access(registry, creds, method):
            return None
        if creds.state == access.EXPIRED:
            return errors.expired()
        return errors.unauthorized(registry.host, access.challenge_service(registry))

    # -- blobs ---------------------------------------------------------------------------------------

    def head_blob(self, request: Request, target: Target) -> Response:
        digest = target.params["digest"]
        if not DIGEST.fullmatch(digest):
            return errors.error(400, "DIGEST_INVALID", f"Invalid digest '{digest}'")
        size = self.adapter.blob_size(target.registry, target.repo, digest)
        if size is None:
            return errors.error(
                404,
                "BLOB_UNKNOWN",
                f"The layer with digest '{digest}' does not exist in the repository with name '{target.repo}'",
            )
        return Response(200, _blob_headers(digest), b"", length=size)

    def get_blob(self, request: Request, target: Target) -> Response:
        digest = target.params["digest"]
        if not DIGEST.fullmatch(digest):
            return errors.error(400, "DIGEST_INVALID", f"Invalid digest '{digest}'")
        data = self.adapter.blob_data(target.registry, target.repo, digest)
        wanted = request.header("Range")
        if not wanted:
            return Response(200, _blob_headers(digest), memoryview(data))
        span = _byte_range(wanted, len(data))
        if span is None:
            return Response(416, {**errors.API_VERSION, "Content-Range": f"bytes */{len(data)}"}, b"")
        first, last = span
        headers = {**_blob_headers(digest), "Content-Range": f"bytes {first}-{last}/{len(data)}"}
        return Response(206, headers, memoryview(data)[first : last + 1])

    # -- uploads -------------------------------------------------------------------------------------

    def start_upload(self, request: Request, target: Target) -> Response:
        mount, source, digest = request.param("mount"), request.param("from"), request.param("digest")
        if mount is not None and source and DIGEST.fullmatch(mount):
            source_registry, source_repo = access.address(self.adapter, source, target.creds)
            if source_registry == target.registry and self.adapter.mount_blob(
                target.registry, target.repo, source_repo, mount
            ):
                return _created_blob(target, mount)
        if digest is not None and not DIGEST.fullmatch(digest):
            return errors.error(400, "DIGEST_INVALID", f"Invalid digest '{digest}'")
        upload_id = self.adapter.start_upload(target.registry, target.repo)
        if digest is None:
            return Response(202, self._upload_headers(target, upload_id, 0), b"")
        self.adapter.append_upload(target.registry, target.repo, upload_id, request.iter_body())
        stored = self.adapter.finish_upload(target.registry, target.repo, upload_id, digest)
        return _created_blob(target, stored)

    def _upload_headers(self, target: Target, upload_id: str, received: int) -> dict[str, str]:
        return {
            **errors.API_VERSION,
            "Location": f"/v2/{target.name}/blobs/uploads/{upload_id}",
            "Docker-Upload-UUID": upload_id,
            "Range": f"0-{max(received - 1, 0)}",
        }

    def upload_status(self, request: Request, target: Target) -> Response:
        upload_id = target.params["upload"]
        received = self.adapter.upload_received(target.registry, target.repo, upload_id)
        return Response(204, self._upload_headers(target, upload_id, received), b"")

    def patch_upload(self, request: Request, target: Target) -> Response:
        upload_id = target.params["upload"]
        received = self.adapter.upload_received(target.registry, target.repo, upload_id)
        announced = request.header("Content-Range")
        if announced:
            match = _CONTENT_RANGE.fullmatch(announced.strip())
            if match is None or int(match[1]) != received:
                # Chunks must arrive in order: the spec's 416, with the range received so far.
                headers = self._upload_headers(target, upload_id, received)
                return errors.error(
                    416,
                    "BLOB_UPLOAD_INVALID",
                    f"The chunk starting at {announced!r} is not consecutive to the {received} bytes received",
                    headers,
                )
        received = self.adapter.append_upload(target.registry, target.repo, upload_id, request.iter_body())
        return Response(202, self._upload_headers(target, upload_id, received), b"")

    def finish_upload(self, request: Request, target: Target) -> Response:
        upload_id, digest = target.params["upload"], request.param("digest")
        if digest is None or not DIGEST.fullmatch(digest):
            return errors.error(400, "DIGEST_INVALID", f"Invalid digest '{digest}'")
        self.adapter.append_upload(target.registry, target.repo, upload_id, request.iter_body())
        stored = self.adapter.finish_upload(target.registry, target.repo, upload_id, digest)
        return _created_blob(target, stored)

    def cancel_upload(self, request: Request, target: Target) -> Response:
        self.adapter.cancel_upload(target.registry, target.repo, target.params["upload"])
        return Response(204, dict(errors.API_VERSION), b"")

    # -- manifests -----------------------------------------------------------------------------------

    def get_manifest(self, request: Request, target: Target) -> Response:
        reference = target.params["reference"]
        if not (DIGEST.fullmatch(reference) or TAG.fullmatch(reference)):
            return errors.error(404, "MANIFEST_UNKNOWN", f"Invalid manifest reference '{reference}'")
        manifest = self.adapter.get_manifest(target.registry, target.repo, reference, _accepted(request))
        headers = {**errors.API_VERSION, "Content-Type": manifest.media_type, "Docker-Content-Digest": manifest.digest}
        return Response(200, headers, manifest.body)

    def put_manifest(self, request: Request, target: Target) -> Response:
        reference = target.params["reference"]
        if not (DIGEST.fullmatch(reference) or TAG.fullmatch(reference)):
            return errors.error(400, "TAG_INVALID", f"Invalid tag '{reference}'")
        body = request.body()
        try:
            subject = _subject(body)
            media_type = (request.header("Content-Type") or "").split(";")[0].strip() or None
            digest = self.adapter.put_manifest(target.registry, target.repo, reference, body, media_type)
        except UnicodeDecodeError:
            return errors.error(400, "MANIFEST_INVALID", "The manifest is not valid UTF-8")
        except ServiceError as exc:
            return errors.from_service_error(exc, errors.MANIFEST_PUSH)
        headers = {
            **errors.API_VERSION,
            "Location": f"/v2/{target.name}/manifests/{digest}",
            "Docker-Content-Digest": digest,
        }
        if subject:
            headers["OCI-Subject"] = subject
        return Response(201, headers, b"")

    def delete_manifest(self, request: Request, target: Target) -> Response:
        reference = target.params["reference"]
        if not (DIGEST.fullmatch(reference) or TAG.fullmatch(reference)):
            return errors.error(404, "MANIFEST_UNKNOWN", f"Invalid manifest reference '{reference}'")
        self.adapter.delete_manifest(target.registry, target.repo, reference)
        return Response(202, dict(errors.API_VERSION), b"")

    # -- content discovery -----------------------------------------------------------------------------

    def list_tags(self, request: Request, target: Target) -> Response:
        tags = sorted(self.adapter.tags(target.registry, target.repo))
        last, count = request.param("last"), request.param("n")
        if last:
            tags = [tag for tag in tags if tag > last]
        headers: dict[str, str] = {}
        if count is not None and count.isdigit():
            limit = int(count)
            if len(tags) > limit and limit > 0:
                link = f"/v2/{target.name}/tags/list?n={limit}&last={quote(tags[limit - 1])}"
                headers["Link"] = f'<{link}>; rel="next"'
            tags = tags[:limit]
        return _json(200, {"name": target.name, "tags": tags}, headers)

    def list_referrers(self, request: Request, target: Target) -> Response:
        digest = target.params["digest"]
        if not DIGEST.fullmatch(digest):
            return errors.error(400, "DIGEST_INVALID", f"Invalid digest '{digest}'")
        artifact_type = request.param("artifactType")
        found = self.adapter.referrers(target.registry, target.repo, digest, artifact_type)
        index = {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": found}
        headers = {"OCI-Filters-Applied": "artifactType"} if artifact_type else {}
        return _json(200, index, headers, OCI_INDEX)


def _route(path: str) -> Optional[tuple[str, dict[str, str]]]:
    for pattern, kind in _ROUTES:
        match = pattern.fullmatch(path)
        if match is not None:
            return kind, {k: v for k, v in match.groupdict().items() if v is not None}
    return None


def _json(status: int, body: Any, headers: Optional[dict[str, str]] = None, content_type: str = JSON) -> Response:
    data = json.dumps(body).encode()
    return Response(status, {**errors.API_VERSION, "Content-Type": content_type, **(headers or {})}, data)


def _blob_headers(digest: str) -> dict[str, str]:
    return {
        **errors.API_VERSION,
        "Content-Type": "application/octet-stream",
        "Docker-Content-Digest": digest,
        "Accept-Ranges": "bytes",
        "ETag": f'"{digest}"',
    }


def _created_blob(target: Target, digest: str) -> Response:
    headers = {**errors.API_VERSION, "Location": f"/v2/{target.name}/blobs/{digest}", "Docker-Content-Digest": digest}
    return Response(201, headers, b"")


def _byte_range(header: str, size: int) -> Optional[tuple[int, int]]:
    """The inclusive byte span a ``Range: bytes=a-b`` header asks for (None: unsatisfiable)."""
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:  # a suffix: the last N bytes
        length = int(match[2])
        return (max(size - length, 0), size - 1) if length and size else None
    first = int(match[1])
    last = min(int(match[2]), size - 1) if match[2] else size - 1
    return (first, last) if first <= last else None


def _accepted(request: Request) -> Optional[list[str]]:
    """The manifest media types an ``Accept`` header lists (None: anything)."""
    values = [
        part.split(";")[0].strip() for header in request.headers.get_all("Accept") or [] for part in header.split(",")
    ]
    types = [value for value in values if value]
    if not types or any(value in ("*/*", "application/*") for value in types):
        return None
    return list(dict.fromkeys(types))


def _subject(body: bytes) -> Optional[str]:
    """The ``subject`` digest of a manifest, for the OCI-Subject header (None if absent or unreadable)."""
    try:
        document = json.loads(body)
    except ValueError:
        return None
    subject = document.get("subject") if isinstance(document, dict) else None
    digest = subject.get("digest") if isinstance(subject, dict) else None
    return digest if isinstance(digest, str) else None
