"""Build a realistic image and push it the way a container client does, in one call.

``push_image(client, "app", "v1")`` uploads the layers and the config blob (InitiateLayerUpload,
UploadLayerPart in ``partSize`` chunks, CompleteLayerUpload, skipping blobs that
BatchCheckLayerAvailability reports as present) and then PutImage's the manifest. It works with
any ``ecr`` client, so it pushes to real ECR just the same.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any, Optional, Sequence, Union

from . import manifests

DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
OCI_EMPTY = "application/vnd.oci.empty.v1+json"
ARTIFACT_BLOB = "application/octet-stream"

_SHORT_NAMES = {
    "docker": manifests.DOCKER_MANIFEST,
    "docker-list": manifests.DOCKER_MANIFEST_LIST,
    "oci": manifests.OCI_MANIFEST,
    "oci-index": manifests.OCI_INDEX,
}
_DEFAULT_PLATFORMS = ("linux/amd64", "linux/arm64")


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _descriptor(media_type: str, data: bytes) -> dict[str, Any]:
    return {"mediaType": media_type, "size": len(data), "digest": _sha256(data)}


class _Pusher:
    """Uploads blobs and manifests for one repository through one client."""

    def __init__(self, client: Any, repository: str, registry_id: Optional[str]) -> None:
        self.client = client
        self.where: dict[str, str] = {"repositoryName": repository}
        if registry_id is not None:
            self.where["registryId"] = registry_id

    def upload_blobs(self, blobs: Sequence[bytes]) -> None:
        unique = {_sha256(data): data for data in blobs}
        present = set()
        digests = list(unique)
        for start in range(0, len(digests), 100):
            answer = self.client.batch_check_layer_availability(
                layerDigests=digests[start : start + 100], **self.where
            )
            present.update(
                layer["layerDigest"] for layer in answer["layers"] if layer["layerAvailability"] == "AVAILABLE"
            )
        for digest, data in unique.items():
            if digest not in present:
                self.upload(digest, data)

    def upload(self, digest: str, data: bytes) -> None:
        started = self.client.initiate_layer_upload(**self.where)
        upload_id, part_size = started["uploadId"], started["partSize"] or len(data) or 1
        view = memoryview(data)
        for first in range(0, len(data), part_size):
            part = view[first : first + part_size]
            self.client.upload_layer_part(
                uploadId=upload_id,
                partFirstByte=first,
                partLastByte=first + len(part) - 1,
                layerPartBlob=bytes(part),
                **self.where,
            )
        self.client.complete_layer_upload(uploadId=upload_id, layerDigests=[digest], **self.where)

    def put(self, manifest: str, tag: Optional[str]) -> str:
        extra = {"imageTag": tag} if tag is not None else {}
        answer = self.client.put_image(imageManifest=manifest, **self.where, **extra)
        return str(answer["image"]["imageId"]["imageDigest"])

    def subject_descriptor(self, digest: str) -> dict[str, Any]:
        # Reading the subject manifest is what OCI clients do to attach an artifact to it.
        answer = self.client.batch_get_image(imageIds=[{"imageDigest": digest}], **self.where)
        if not answer["images"]:
            raise ValueError(f"subject {digest} is not an image in {self.where['repositoryName']}")
        image = answer["images"][0]
        return {
            "mediaType": image["imageManifestMediaType"],
            "size": len(image["imageManifest"].encode("utf-8")),
            "digest": digest,
        }


def _config_blob(platform: str, layers: Sequence[bytes], config: Any, media_type: str) -> bytes:
    if isinstance(config, bytes):
        return config
    os_name, _, rest = platform.partition("/")
    architecture, _, variant = rest.partition("/")
    doc: dict[str, Any] = {
        "architecture": architecture or "amd64",
        "os": os_name or "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in layers]},
        "history": [{"created_by": f"fake_ecr layer {i}"} for i in range(len(layers))],
    }
    if variant:
        doc["variant"] = variant
    if isinstance(config, dict):
        doc.update(config)
    return json.dumps(doc, sort_keys=True).encode()


def _image_manifest(
    media_type: str, config: bytes, layers: Sequence[bytes], *, config_media_type: Optional[str] = None,
    layer_media_type: Optional[str] = None, artifact_type: Optional[str] = None,
    subject: Optional[dict[str, Any]] = None, annotations: Optional[dict[str, str]] = None,
) -> str:
    docker = media_type == manifests.DOCKER_MANIFEST
    doc: dict[str, Any] = {"schemaVersion": 2, "mediaType": media_type}
    if artifact_type:
        doc["artifactType"] = artifact_type
    doc["config"] = _descriptor(config_media_type or (DOCKER_CONFIG if docker else OCI_CONFIG), config)
    doc["layers"] = [_descriptor(layer_media_type or (DOCKER_LAYER if docker else OCI_LAYER), l) for l in layers]
    if subject:
        doc["subject"] = subject
    if annotations:
        doc["annotations"] = dict(annotations)
    return json.dumps(doc, indent=3)


def _platform_of(platform: str) -> dict[str, str]:
    os_name, _, rest = platform.partition("/")
    architecture, _, variant = rest.partition("/")
    spec = {"architecture": architecture, "os": os_name}
    if variant:
        spec["variant"] = variant
    return spec


def push_image(
    client: Any,
    repository: str,
    tag: Optional[str] = None,
    *,
    layers: Union[Sequence[bytes], int, None] = None,
    layer_size: int = 1024,
    media_type: str = manifests.DOCKER_MANIFEST,
    platforms: Optional[Sequence[str]] = None,
    config: Union[dict[str, Any], bytes, None] = None,
    artifact_type: Optional[str] = None,
    subject: Optional[str] = None,
    annotations: Optional[dict[str, str]] = None,
    registry_id: Optional[str] = None,
) -> str:
    """Build an image, push it to ``repository`` through ``client`` and return its digest.

    :param tag: the image tag (``None`` pushes an untagged image).
    :param layers: the layers' bytes, or a number of random layers of ``layer_size`` bytes
        (default: 2 random layers, so every call pushes a new image).
    :param media_type: the manifest type: ``"docker"`` (Docker schema 2, the default), ``"oci"``,
        ``"docker-list"`` or ``"oci-index"`` (multi-platform), or a full media type.
    :param platforms: ``"os/arch[/variant]"`` names; with more than none, each platform gets its
        own image and the tag names a Docker manifest list or OCI index over them.
    :param config: extra members for the generated image config, or the exact config blob bytes.
    :param artifact_type: push an OCI artifact of this type (empty config, ``layers`` as blobs).
    :param subject: the digest of an image in the repository this manifest refers to (an OCI 1.1
        referrer, e.g. a signature or SBOM); reading it counts as a pull.
    :param annotations: manifest annotations.
    """
    media_type = _SHORT_NAMES.get(media_type, media_type)
    pusher = _Pusher(client, repository, registry_id)
    if media_type in manifests.INDEXES and not platforms:
        platforms = _DEFAULT_PLATFORMS
    if platforms:
        index_type = media_type
        if media_type not in manifests.INDEXES:
            index_type = manifests.DOCKER_MANIFEST_LIST if media_type == manifests.DOCKER_MANIFEST else manifests.OCI_INDEX
        child_type = manifests.DOCKER_MANIFEST if index_type == manifests.DOCKER_MANIFEST_LIST else manifests.OCI_MANIFEST
        children = []
        for platform in platforms:
            child = _build_and_push(pusher, None, child_type, platform, layers, layer_size, config, None, None, None)
            children.append({**_descriptor(child_type, child.encode("utf-8")), "platform": _platform_of(platform)})
        index: dict[str, Any] = {"schemaVersion": 2, "mediaType": index_type, "manifests": children}
        if annotations:
            index["annotations"] = dict(annotations)
        return pusher.put(json.dumps(index, indent=3), tag)
    if artifact_type and media_type == manifests.DOCKER_MANIFEST:
        media_type = manifests.OCI_MANIFEST
    subject_descriptor = pusher.subject_descriptor(subject) if subject else None
    manifest = _build_and_push(
        pusher, tag, media_type, "linux/amd64", layers, layer_size, config, artifact_type,
        subject_descriptor, annotations,
    )
    return manifests.digest_of(manifest)


def _build_and_push(
    pusher: _Pusher, tag: Optional[str], media_type: str, platform: str, layers: Any, layer_size: int,
    config: Any, artifact_type: Optional[str], subject: Optional[dict[str, Any]],
    annotations: Optional[dict[str, str]],
) -> str:
    """Upload the blobs of one image manifest, put the manifest, and return its text."""
    if layers is None or isinstance(layers, int):
        count = 2 if layers is None else layers
        layer_bytes = [os.urandom(layer_size) for _ in range(count)]
    else:
        layer_bytes = list(layers)
    if artifact_type:
        config_blob = config if isinstance(config, bytes) else b"{}"
        manifest = _image_manifest(
            media_type, config_blob, layer_bytes, config_media_type=OCI_EMPTY, layer_media_type=ARTIFACT_BLOB,
            artifact_type=artifact_type, subject=subject, annotations=annotations,
        )
    else:
        config_blob = _config_blob(platform, layer_bytes, config, media_type)
        manifest = _image_manifest(media_type, config_blob, layer_bytes, subject=subject, annotations=annotations)
    pusher.upload_blobs([config_blob, *layer_bytes])
    pusher.put(manifest, tag)
    return manifest
