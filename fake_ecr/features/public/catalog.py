"""ECR Public catalog data: what a repository shows in the Amazon ECR Public Gallery.

Rules from the ECR Public API reference and user guide:

* ``architectures`` and ``operatingSystems`` are free-form: the gallery shows badges for
  ``ARM``, ``ARM 64``, ``x86``, ``x86-64`` and ``Linux``, ``Windows``, but "if an unsupported tag
  is added to your repository catalog data, it's associated with the repository and can be
  retrieved using the API". So every value is kept (lengths are checked by the model).
* ``logoImageBlob`` is a PNG of 60 to 2048 pixels each way, at most 500 KB (512,000 bytes, the
  model's limit); it is stored and returned as ``logoUrl``, a public CloudFront URL.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from typing import Any, Optional

from fake_ecr.errors import invalid_parameter

SUPPORTED_ARCHITECTURES = ("ARM", "ARM 64", "x86", "x86-64")
SUPPORTED_OPERATING_SYSTEMS = ("Linux", "Windows")
LOGO_MIN_PIXELS = 60
LOGO_MAX_PIXELS = 2048
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_MEMBERS = ("description", "aboutText", "usageText")
_LIST_MEMBERS = ("architectures", "operatingSystems")


def png_size(blob: bytes) -> Optional[tuple[int, int]]:
    """(width, height) of a PNG image, or None when ``blob`` is not one."""
    if len(blob) < 24 or not blob.startswith(_PNG_SIGNATURE) or blob[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", blob[16:24])
    return width, height


def _check_logo(blob: bytes) -> None:
    size = png_size(blob)
    if size is None:
        raise invalid_parameter("logoImageBlob", "The logo image must be a PNG image")
    if not all(LOGO_MIN_PIXELS <= side <= LOGO_MAX_PIXELS for side in size):
        raise invalid_parameter(
            "logoImageBlob",
            f"The logo image dimensions must be between {LOGO_MIN_PIXELS} and {LOGO_MAX_PIXELS} pixels, "
            f"got {size[0]}x{size[1]}",
        )


def _logo_url(registry_id: str, blob: bytes) -> str:
    # A CloudFront host per account and a path per upload, like the URLs ECR Public returns.
    host = hashlib.sha256(f"logo-host:{registry_id}".encode()).hexdigest()[:14]
    folder = uuid.UUID(bytes=hashlib.sha256(f"logo:{registry_id}".encode()).digest()[:16])
    return f"https://d{host}.cloudfront.net/logo/{folder}/{uuid.uuid4()}.png"


def catalog_from_input(registry_id: str, given: dict[str, Any]) -> dict[str, Any]:
    """The stored ``RepositoryCatalogData`` for a ``RepositoryCatalogDataInput``."""
    data: dict[str, Any] = {m: given[m] for m in _TEXT_MEMBERS if m in given}
    data.update({m: list(given[m]) for m in _LIST_MEMBERS if m in given})
    blob = given.get("logoImageBlob")
    if blob:
        _check_logo(blob)
        data["logoUrl"] = _logo_url(registry_id, blob)
    return data


def catalog_view(data: Optional[dict[str, Any]]) -> dict[str, Any]:
    """A copy safe to hand to the caller."""
    return {k: list(v) if isinstance(v, list) else v for k, v in (data or {}).items()}
