"""Pushing images for the scanning, signing and pull-time tests, in one place."""

from __future__ import annotations

from typing import Any, Optional

from helpers import manifest, upload_blobs


def push(client: Any, repository: str, seed: str = "x", tag: Optional[str] = "latest", **manifest_options: Any) -> str:
    """Push a single-platform image built from ``seed`` (blobs first, as ECR requires); return its digest."""
    upload_blobs(client, repository, seed, **manifest_options)
    params: dict[str, Any] = {"repositoryName": repository, "imageManifest": manifest(seed, **manifest_options)}
    if tag is not None:
        params["imageTag"] = tag
    return str(client.put_image(**params)["image"]["imageId"]["imageDigest"])
