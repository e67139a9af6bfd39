"""Registry error answers: the OCI Distribution JSON error body with ECR's codes and messages.

ECR's registry reports an API error with the OCI code closest to it and the API's own message,
e.g. ``NAME_UNKNOWN: The repository with name 'x' does not exist in the registry with id 'y'``
(quoted from real pushes, see tests/test_registry_clients.py).
"""

from __future__ import annotations

import json
from typing import Optional

from fake_ecr.endpoints.http_server import Response
from fake_ecr.errors import ServiceError

API_VERSION = {"Docker-Distribution-API-Version": "registry/2.0"}

# ECR's answer to a request without valid credentials is a plain "Not Authorized" body.
NOT_AUTHORIZED = b"Not Authorized\n"
EXPIRED = "Your authorization token has expired. Reauthenticate and try again."

# API error (or BatchGetImage/BatchDeleteImage failure) code -> HTTP status and OCI error code.
_MAPPING: dict[str, tuple[int, str]] = {
    "RepositoryNotFoundException": (404, "NAME_UNKNOWN"),
    # "denied: User: arn:aws:sts::...:assumed-role/... is not authorized to perform: ecr:BatchGetImage ..."
    # (docker's output of ECR's refusal, https://github.com/everything2/everything2/issues/2562).
    "AccessDeniedException": (403, "DENIED"),
    "RegistryNotFoundException": (404, "NAME_UNKNOWN"),
    "ImageNotFoundException": (404, "MANIFEST_UNKNOWN"),
    "ImageNotFound": (404, "MANIFEST_UNKNOWN"),
    "ImageTagDoesNotMatchDigest": (404, "MANIFEST_UNKNOWN"),
    "ImageInaccessible": (404, "MANIFEST_UNKNOWN"),
    "InvalidImageDigest": (400, "DIGEST_INVALID"),
    "InvalidImageTag": (400, "TAG_INVALID"),
    "ImageReferencedByManifestList": (409, "DENIED"),
    "LayersNotFoundException": (404, "BLOB_UNKNOWN"),
    "LayerInaccessibleException": (404, "BLOB_UNKNOWN"),
    "ImageTagAlreadyExistsException": (400, "TAG_INVALID"),
    "ImageDigestDoesNotMatchException": (400, "DIGEST_INVALID"),
    "InvalidLayerException": (400, "DIGEST_INVALID"),
    "UploadNotFoundException": (404, "BLOB_UPLOAD_UNKNOWN"),
    "EmptyUploadException": (400, "BLOB_UPLOAD_INVALID"),
    "InvalidLayerPartException": (400, "BLOB_UPLOAD_INVALID"),
    "LayerPartTooSmallException": (400, "BLOB_UPLOAD_INVALID"),
    "ReferencedImagesNotFoundException": (400, "MANIFEST_BLOB_UNKNOWN"),
    "UnsupportedImageTypeException": (400, "MANIFEST_INVALID"),
    "InvalidParameterException": (400, "NAME_INVALID"),
    "LimitExceededException": (429, "TOOMANYREQUESTS"),
    "ThrottlingException": (429, "TOOMANYREQUESTS"),
}

# What a manifest push reports differently from the other requests.
MANIFEST_PUSH: dict[str, tuple[int, str]] = {
    "LayersNotFoundException": (400, "MANIFEST_BLOB_UNKNOWN"),
    "InvalidParameterException": (400, "MANIFEST_INVALID"),
}


def error(status: int, code: str, message: str, headers: Optional[dict[str, str]] = None) -> Response:
    body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
    return Response(status, {**API_VERSION, "Content-Type": "application/json; charset=utf-8", **(headers or {})}, body)


def from_service_error(exc: ServiceError, overrides: Optional[dict[str, tuple[int, str]]] = None) -> Response:
    """The registry's answer to an API error met while serving a request."""
    known = (overrides or {}).get(exc.code) or _MAPPING.get(exc.code)
    if known is None:
        known = (exc.status, "UNKNOWN") if exc.status >= 500 else (400, "UNKNOWN")
    return error(known[0], known[1], exc.message)


def unauthorized(realm_host: str, service: str) -> Response:
    """401 with ECR's Basic challenge: clients then send ``AWS:<password>``."""
    challenge = f'Basic realm="https://{realm_host}/",service="{service}"'
    headers = {**API_VERSION, "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": challenge}
    return Response(401, headers, NOT_AUTHORIZED)


def expired() -> Response:
    return error(403, "DENIED", EXPIRED)


def unsupported() -> Response:
    return error(405, "UNSUPPORTED", "The operation is unsupported.")
