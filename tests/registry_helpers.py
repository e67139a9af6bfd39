"""Helpers for the registry endpoint tests: test images on disk and running container clients."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any, Optional

import pytest

CLIENT_TIMEOUT = 60  # seconds any one client command may take


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _layer(files: dict[str, bytes]) -> tuple[bytes, bytes]:
    """A gzip layer holding ``files``, and its uncompressed tar (for the config's diff_ids)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            archive.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue(), raw.getvalue()


class TestImage:
    """An OCI image built in memory: layer, config and manifest bytes."""

    __test__ = False  # not a test class

    def __init__(self, text: str = "hello from fake_ecr\n", extra: Optional[bytes] = None) -> None:
        files = {"hello.txt": text.encode()}
        if extra is not None:
            files["extra.bin"] = extra
        self.layer, diff = _layer(files)
        config = {"architecture": "amd64", "os": "linux", "config": {"Cmd": ["/bin/cat", "/hello.txt"]},
                  "rootfs": {"type": "layers", "diff_ids": [sha256(diff)]}}
        self.config = json.dumps(config, separators=(",", ":")).encode()
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": sha256(self.config), "size": len(self.config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": sha256(self.layer), "size": len(self.layer)}],
        }
        self.manifest = json.dumps(manifest, separators=(",", ":")).encode()
        self.digest = sha256(self.manifest)
        self.size = len(self.config) + len(self.layer)

    def write_oci(self, directory: Path, tag: str = "v1") -> Path:
        """An ``oci:`` layout directory holding the image under ``tag``."""
        blobs = directory / "blobs" / "sha256"
        blobs.mkdir(parents=True, exist_ok=True)
        for blob in (self.layer, self.config, self.manifest):
            (blobs / sha256(blob).split(":")[1]).write_bytes(blob)
        (directory / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": self.digest,
            "size": len(self.manifest), "annotations": {"org.opencontainers.image.ref.name": tag}}]}
        (directory / "index.json").write_text(json.dumps(index))
        return directory


def write_index(directory: Path, images: dict[str, TestImage], tag: str = "v1") -> str:
    """An ``oci:`` layout holding a multi-platform index of ``images`` (by architecture); its digest."""
    for image in images.values():
        image.write_oci(directory)
    index = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": image.digest, "size": len(image.manifest),
         "platform": {"architecture": arch, "os": "linux"}} for arch, image in images.items()]}).encode()
    (directory / "blobs" / "sha256" / sha256(index)[7:]).write_bytes(index)
    (directory / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": sha256(index), "size": len(index),
        "annotations": {"org.opencontainers.image.ref.name": tag}}]}))
    return sha256(index)


def need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        pytest.skip(f"{binary} is not installed here (CI installs skopeo; the docker CLI ships with some images)")
    return path


def run(args: list[str], *, stdin: Optional[str] = None, env: Optional[dict[str, str]] = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a client command, bounded in time; fail with its output if ``check`` and it failed."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=CLIENT_TIMEOUT, env=full_env)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def password(token: str) -> str:
    """The docker-login password inside a GetAuthorizationToken token (``AWS:<password>``)."""
    import base64

    user, _, secret = base64.b64decode(token).decode().partition(":")
    assert user == "AWS"
    return secret


def login_password(client: Any) -> str:
    """What ``aws ecr get-login-password`` prints, for the client's registry."""
    return password(client.get_authorization_token()["authorizationData"][0]["authorizationToken"])
