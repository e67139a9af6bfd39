"""Reading manifests the way ECR does: media type, size, config, layers, children, subject.

Shared by PutImage on both services. Digests are SHA-256 of the exact manifest bytes as pushed.
"""

from __future__ import annotations

import hashlib
import operator
import re
import sys
from typing import Any, Optional

from fake_ecr.aws.json_text import parse_json
from fake_ecr.errors import invalid_parameter

DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json"
DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"

IMAGE_MANIFESTS = frozenset({DOCKER_MANIFEST, OCI_MANIFEST})
INDEXES = frozenset({DOCKER_MANIFEST_LIST, OCI_INDEX})
SCHEMA1 = frozenset({DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED})
SUPPORTED = IMAGE_MANIFESTS | INDEXES | SCHEMA1

DIGEST = re.compile(r"sha256:[a-f0-9]{64}")
# What ECR accepts as a digest in an image identifier (other algorithms included).
IMAGE_ID_DIGEST = re.compile(r"[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+")


def digest_of(manifest: str) -> str:
    """The SHA-256 of the manifest's UTF-8 bytes; text that has none (a lone surrogate) is refused."""
    try:
        data = manifest.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid_manifest() from None
    return "sha256:" + hashlib.sha256(data).hexdigest()


class ManifestInfo:
    """What ECR derives from a manifest when it is pushed."""

    __slots__ = (
        "media_type",
        "artifact_media_type",
        "artifact_type",
        "size_in_bytes",
        "config_digest",
        "layer_digests",
        "child_digests",
        "subject_digest",
        "blobs",
    )

    def __init__(self, media_type: str) -> None:
        self.media_type = media_type
        self.artifact_media_type: Optional[str] = None
        self.artifact_type: Optional[str] = None
        self.size_in_bytes = 0
        self.config_digest: Optional[str] = None
        self.layer_digests: tuple[str, ...] = ()
        self.child_digests: tuple[str, ...] = ()
        self.subject_digest: Optional[str] = None
        # (digest, size, mediaType) of every blob the manifest references (config first).
        self.blobs: tuple[tuple[str, int, Optional[str]], ...] = ()


# Descriptor sizes are int64 (OCI image spec, "size"); so is imageSizeInBytes, their sum.
MAX_SIZE = 2**63 - 1


def _invalid_manifest(reason: str = "Invalid JSON syntax") -> Exception:
    return invalid_parameter("ImageManifest", reason)


Descriptors = tuple[tuple[tuple[str, int, Optional[str]], ...], list[str], int]


def _checked_descriptors(items: list[Any]) -> Descriptors:
    """Check ``items`` as descriptors, in order, raising ECR's error for the first bad one: their
    (digest, size, mediaType) triples, their digests and their total size. The reference rules
    (:func:`_descriptors` only adds a faster way to accept valid ones)."""
    triples = []
    digests = []
    for item in items:
        if not isinstance(item, dict):
            raise _invalid_manifest("Invalid manifest: descriptor must be an object")
        digest, size = item.get("digest"), item.get("size", 0)
        if not isinstance(digest, str) or not IMAGE_ID_DIGEST.fullmatch(digest):
            raise _invalid_manifest("Invalid manifest: descriptor digest is missing or invalid")
        if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_SIZE:
            raise _invalid_manifest("Invalid manifest: descriptor size is missing or invalid")
        media_type = item.get("mediaType")
        triples.append((digest, size, media_type if isinstance(media_type, str) else None))
        digests.append(digest)
    return tuple(triples), digests, sum(size for _, size, _ in triples)


_VALID_DIGEST = IMAGE_ID_DIGEST.fullmatch
_INT = frozenset({int})  # JSON gives exact types: no bool here
_STR_OR_NONE = frozenset({str, type(None)})
_TRIPLE = operator.itemgetter("digest", "size", "mediaType")


def _descriptors(items: list[Any]) -> Descriptors:
    """What :func:`_checked_descriptors` returns, read in C (``map``) when every descriptor is
    a valid one with all three members: a push reads several, and a Python loop over them costs
    several times the rest of the parse. Anything else (an item that is not an object, a missing
    member, a digest that is not a string, a bad size or mediaType, no items) goes through
    :func:`_checked_descriptors`, which raises the error for the first bad descriptor, in order."""
    try:
        triples = tuple(map(_TRIPLE, items))
        digests, sizes, media_types = zip(*triples)
        valid = all(map(_VALID_DIGEST, digests))
    except (KeyError, TypeError, ValueError):  # not a dict, a member missing, no items, not a string
        return _checked_descriptors(items)
    if (
        valid
        and _INT.issuperset(map(type, sizes))
        and _STR_OR_NONE.issuperset(map(type, media_types))
        and min(sizes) >= 0
        and max(sizes) <= MAX_SIZE
    ):
        return triples, list(digests), sum(sizes)
    return _checked_descriptors(items)


def parse(manifest: str, declared_media_type: Optional[str]) -> ManifestInfo:
    """Parse ``manifest`` as PutImage does, raising AWS's InvalidParameterException if it can't."""
    try:
        doc = parse_json(manifest)
    except ValueError:
        raise _invalid_manifest() from None
    if not isinstance(doc, dict):
        raise _invalid_manifest()
    inline = doc.get("mediaType")
    if inline is not None and not isinstance(inline, str):
        raise _invalid_manifest()
    if inline and declared_media_type and inline != declared_media_type:
        raise invalid_parameter(
            "imageManifestMediaType",
            f"Manifest media type '{inline}' does not match the provided imageManifestMediaType "
            f"'{declared_media_type}'",
        )
    media_type = inline or declared_media_type
    if media_type is None:
        if doc.get("schemaVersion") == 1:
            media_type = DOCKER_SCHEMA1_SIGNED if "signatures" in doc else DOCKER_SCHEMA1
        else:
            # What ECR answers when neither the manifest nor the request names a media type.
            raise _invalid_manifest()
    if media_type not in SUPPORTED:
        raise invalid_parameter("imageManifestMediaType", f"Unsupported manifest media type '{media_type}'")

    # Media types repeat across thousands of images: keep one copy of each string.
    info = ManifestInfo(sys.intern(media_type))
    subject = doc.get("subject")
    if subject is not None:
        info.subject_digest = _descriptors([subject])[1][0]
    artifact_type = doc.get("artifactType")
    if isinstance(artifact_type, str):
        info.artifact_type = sys.intern(artifact_type)

    if media_type in IMAGE_MANIFESTS:
        config_doc = doc.get("config")
        layers_doc = doc.get("layers", [])
        if type(layers_doc) is not list:
            _descriptors([config_doc])  # a bad config is reported before the layers
            raise _invalid_manifest("Invalid manifest: layers must be a list")
        blobs, digests, info.size_in_bytes = _descriptors([config_doc, *layers_doc])
        config = blobs[0]
        info.config_digest = digests[0]
        info.layer_digests = tuple(digests[1:])
        info.blobs = blobs
        if info.size_in_bytes > MAX_SIZE:
            raise _invalid_manifest("Invalid manifest: the image size is out of range")
        info.artifact_media_type = info.artifact_type or (sys.intern(config[2]) if config[2] else None)
    elif media_type in INDEXES:
        children = doc.get("manifests", [])
        if not isinstance(children, list):
            raise _invalid_manifest("Invalid manifest: manifests must be a list")
        info.child_digests = tuple(_descriptors(children)[1])
        info.artifact_media_type = info.artifact_type
    else:  # Docker schema 1: layers are listed as fsLayers, without sizes.
        layers_doc = doc.get("fsLayers", [])
        if not isinstance(layers_doc, list):
            raise _invalid_manifest("Invalid manifest: fsLayers must be a list")
        digests = []
        for item in layers_doc:
            blob = item.get("blobSum") if isinstance(item, dict) else None
            if not isinstance(blob, str) or not IMAGE_ID_DIGEST.fullmatch(blob):
                raise _invalid_manifest("Invalid manifest: fsLayers blobSum is missing or invalid")
            digests.append(blob)
        info.layer_digests = tuple(dict.fromkeys(digests))
        info.blobs = tuple((d, 0, None) for d in info.layer_digests)
    return info
