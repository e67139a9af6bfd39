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
from collections.abc import Sequence
from typing import Any, Optional, Union

from fake_ecr.model import manifests

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
        present: set[str] = set()
        digests = list(unique)
        for start in range(0, len(digests), 100):
            answer = self.client.batch_check_layer_availability(layerDigests=digests[start : start + 100], **self.where)
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
        try:
            self.client.complete_layer_upload(uploadId=upload_id, layerDigests=[digest], **self.where)
        except self.client.exceptions.LayerAlreadyExistsException:
            pass  # another push stored it meanwhile: the layer is there, as container clients conclude

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


def _platform_of(platform: str) -> dict[str, str]:
    """``"linux/arm64/v8"`` as an OCI platform object."""
    os_name, _, rest = platform.partition("/")
    architecture, _, variant = rest.partition("/")
    spec = {"architecture": architecture or "amd64", "os": os_name or "linux"}
    if variant:
        spec["variant"] = variant
    return spec


class _ImageSpec:
    """What the caller asked for, shared by every platform's image."""

    def __init__(
        self,
        layers: Union[Sequence[bytes], int, None],
        layer_size: int,
        config: Any,
        artifact_type: Optional[str],
        annotations: Optional[dict[str, str]],
    ) -> None:
        self.layers, self.layer_size, self.config = layers, layer_size, config
        self.artifact_type, self.annotations = artifact_type, annotations

    def layer_bytes(self) -> list[bytes]:
        if self.layers is None or isinstance(self.layers, int):
            count = 2 if self.layers is None else self.layers
            return [os.urandom(self.layer_size) for _ in range(count)]
        return list(self.layers)

    def config_blob(self, platform: str, layers: Sequence[bytes]) -> bytes:
        if isinstance(self.config, bytes):
            return self.config
        if self.artifact_type:
            return b"{}"
        doc: dict[str, Any] = {
            **_platform_of(platform),
            "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in layers]},
            "history": [{"created_by": f"fake_ecr layer {i}"} for i in range(len(layers))],
        }
        if isinstance(self.config, dict):
            doc.update(self.config)
        return json.dumps(doc, sort_keys=True).encode()

    def manifest(self, media_type: str, config: bytes, layers: Sequence[bytes], subject: Any) -> str:
        docker = media_type == manifests.DOCKER_MANIFEST
        if self.artifact_type:
            config_type, layer_type = OCI_EMPTY, ARTIFACT_BLOB
        else:
            config_type, layer_type = (DOCKER_CONFIG, DOCKER_LAYER) if docker else (OCI_CONFIG, OCI_LAYER)
        doc: dict[str, Any] = {"schemaVersion": 2, "mediaType": media_type}
        if self.artifact_type:
            doc["artifactType"] = self.artifact_type
        doc["config"] = _descriptor(config_type, config)
        doc["layers"] = [_descriptor(layer_type, layer) for layer in layers]
        if subject:
            doc["subject"] = subject
        if self.annotations:
            doc["annotations"] = dict(self.annotations)
        return json.dumps(doc, indent=3)


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
    :param platforms: ``"os/arch[/variant]"`` names: each platform gets its own (untagged) image
        and the tag names a Docker manifest list or OCI index over them.
    :param config: extra members for the generated image config, or the exact config blob bytes.
    :param artifact_type: push an OCI artifact of this type (empty config, ``layers`` as blobs).
    :param subject: the digest of an image in the repository this manifest refers to (an OCI 1.1
        referrer, e.g. a signature or SBOM); reading it counts as a pull.
    :param annotations: manifest annotations.
    :param registry_id: the registry to push to (default: the client's account).
    """
    media_type = _SHORT_NAMES.get(media_type, media_type)
    pusher = _Pusher(client, repository, registry_id)
    spec = _ImageSpec(layers, layer_size, config, artifact_type, annotations)
    if media_type in manifests.INDEXES and not platforms:
        platforms = _DEFAULT_PLATFORMS
    if not platforms:
        if artifact_type and media_type == manifests.DOCKER_MANIFEST:
            media_type = manifests.OCI_MANIFEST
        subject_descriptor = pusher.subject_descriptor(subject) if subject else None
        manifest = _push_one(pusher, spec, media_type, "linux/amd64", tag, subject_descriptor)
        return manifests.digest_of(manifest)
    docker = media_type in (manifests.DOCKER_MANIFEST, manifests.DOCKER_MANIFEST_LIST)
    index_type = manifests.DOCKER_MANIFEST_LIST if docker else manifests.OCI_INDEX
    child_type = manifests.DOCKER_MANIFEST if docker else manifests.OCI_MANIFEST
    children = []
    for platform in platforms:
        child = _push_one(pusher, spec, child_type, platform, None, None)
        children.append({**_descriptor(child_type, child.encode("utf-8")), "platform": _platform_of(platform)})
    index: dict[str, Any] = {"schemaVersion": 2, "mediaType": index_type, "manifests": children}
    if annotations:
        index["annotations"] = dict(annotations)
    return pusher.put(json.dumps(index, indent=3), tag)


def _push_one(
    pusher: _Pusher, spec: _ImageSpec, media_type: str, platform: str, tag: Optional[str], subject: Any
) -> str:
    """Upload the blobs of one image manifest, put the manifest, and return its text."""
    layers = spec.layer_bytes()
    config = spec.config_blob(platform, layers)
    manifest = spec.manifest(media_type, config, layers, subject)
    pusher.upload_blobs([config, *layers])
    pusher.put(manifest, tag)
    return manifest
