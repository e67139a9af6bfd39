"""Upstream registries that pull through cache rules copy images from.

Each supported upstream (``UpstreamRegistry`` enum of the ECR model) has a registry URL and a way
to authenticate: none (ECR Public, Kubernetes, Quay), a Secrets Manager secret (Docker Hub,
GitHub, GitLab, Azure, Chainguard) or an IAM role (ECR to ECR).

In the fake, a test fills an upstream with images through ``fake.upstream("docker-hub")``::

    fake.upstream("docker-hub").push_image("library/nginx", "latest")

An ``ecr`` upstream is the fake's own private registry of that account and Region: push to it
with ``fake.push_image`` as usual.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any, ContextManager, Optional, Protocol

from fake_ecr import image_builder as images
from fake_ecr.aws.partitions import dns_suffix
from fake_ecr.model import manifests

if TYPE_CHECKING:
    from fake_ecr.model import Backend

NO_AUTH, SECRET, ROLE = "none", "secret", "role"

# kind -> (URL pattern, how ECR authenticates to it, the URL when there is only one)
_KINDS: dict[str, tuple[str, str, Optional[str]]] = {
    "ecr-public": (r"public\.ecr\.aws", NO_AUTH, "public.ecr.aws"),
    "quay": (r"quay\.io", NO_AUTH, "quay.io"),
    "k8s": (r"registry\.k8s\.io", NO_AUTH, "registry.k8s.io"),
    "docker-hub": (r"registry-1\.docker\.io", SECRET, "registry-1.docker.io"),
    "github-container-registry": (r"ghcr\.io", SECRET, "ghcr.io"),
    "gitlab-container-registry": (r"registry\.gitlab\.com", SECRET, "registry.gitlab.com"),
    "chainguard": (r"cgr\.dev", SECRET, "cgr.dev"),
    "azure-container-registry": (r"[a-z0-9]+\.azurecr\.io", SECRET, None),
    # The host ends in the DNS suffix of the Region's partition (checked in kind_of_url).
    "ecr": (r"(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.([a-z0-9.-]+)", ROLE, None),
}
_ECR_URL = re.compile(_KINDS["ecr"][0])


def kind_of_url(url: str) -> Optional[str]:
    """The upstream registry kind an ``upstreamRegistryUrl`` names, or None if unsupported."""
    for kind, (pattern, _, _) in _KINDS.items():
        match = re.fullmatch(pattern, url)
        if match and (kind != "ecr" or match.group(3) == dns_suffix(match.group(2))):
            return kind
    return None


def authentication(kind: str) -> str:
    """How ECR authenticates to ``kind``: NO_AUTH, SECRET or ROLE."""
    return _KINDS[kind][1]


def ecr_location(url: str) -> tuple[str, str]:
    """(account, region) of an ECR upstream URL."""
    match = _ECR_URL.fullmatch(url)
    assert match is not None
    return match.group(1), match.group(2)


class StoredImage:
    """What an upstream answers for an image reference: its digest, manifest and media type."""

    __slots__ = ("digest", "manifest", "media_type")

    def __init__(self, digest: str, manifest: str, media_type: str) -> None:
        self.digest, self.manifest, self.media_type = digest, manifest, media_type


class Source(Protocol):
    """Read access to the images of an upstream registry."""

    def image(self, repository: str, image_id: dict[str, Any]) -> Optional[StoredImage]: ...

    def blob(self, repository: str, digest: str) -> Optional[bytes]: ...


class UpstreamRepository:
    __slots__ = ("blobs", "manifests", "tags")

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.manifests: dict[str, StoredImage] = {}
        self.tags: dict[str, str] = {}


# How an upstream can fail (BatchGetImage's ImageFailureCode values), with the reason reported.
FAILURE_REASONS = {
    "UpstreamUnavailable": "The upstream registry '{url}' is unavailable",
    "UpstreamTooManyRequests": "The upstream registry '{url}' refused the request: too many requests",
    "UpstreamAccessDenied": "The upstream registry '{url}' denied access to the image",
}


class UpstreamRegistry:
    """A third-party registry's content, as a test declared it, and how it fails (if it does)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.failure: Optional[str] = None
        self.repositories: dict[str, UpstreamRepository] = {}

    def image(self, repository: str, image_id: dict[str, Any]) -> Optional[StoredImage]:
        repo = self.repositories.get(repository)
        if repo is None:
            return None
        digest = image_id.get("imageDigest")
        tag = image_id.get("imageTag")
        if tag is not None:
            tagged = repo.tags.get(tag)
            if tagged is None or (digest is not None and digest != tagged):
                return None
            digest = tagged
        return repo.manifests.get(digest) if digest else None

    def blob(self, repository: str, digest: str) -> Optional[bytes]:
        repo = self.repositories.get(repository)
        return None if repo is None else repo.blobs.get(digest)


class _DirectClient:
    """The few ``ecr`` client calls ``images.push_image`` makes, answered by an upstream repository."""

    def __init__(self, repo: UpstreamRepository) -> None:
        self.repo = repo
        self.uploads: dict[str, bytes] = {}

    def batch_check_layer_availability(self, layerDigests: list[str], **_: Any) -> dict[str, Any]:
        return {
            "layers": [
                {"layerDigest": d, "layerAvailability": "AVAILABLE" if d in self.repo.blobs else "UNAVAILABLE"}
                for d in layerDigests
            ]
        }

    def initiate_layer_upload(self, **_: Any) -> dict[str, Any]:
        upload_id = str(len(self.uploads))
        self.uploads[upload_id] = b""
        return {"uploadId": upload_id, "partSize": 0}

    def upload_layer_part(self, uploadId: str, layerPartBlob: bytes, **_: Any) -> dict[str, Any]:
        self.uploads[uploadId] += layerPartBlob
        return {}

    def complete_layer_upload(self, uploadId: str, **_: Any) -> dict[str, Any]:
        data = self.uploads.pop(uploadId)
        self.repo.blobs["sha256:" + hashlib.sha256(data).hexdigest()] = data
        return {}

    def put_image(self, imageManifest: str, imageTag: Optional[str] = None, **_: Any) -> dict[str, Any]:
        digest = manifests.digest_of(imageManifest)
        media_type = manifests.parse(imageManifest, None).media_type
        self.repo.manifests[digest] = StoredImage(digest, imageManifest, media_type)
        if imageTag is not None:
            self.repo.tags[imageTag] = digest
        return {"image": {"imageId": {"imageDigest": digest}}}

    def batch_get_image(self, imageIds: list[dict[str, str]], **_: Any) -> dict[str, Any]:
        found = [self.repo.manifests[i["imageDigest"]] for i in imageIds if i["imageDigest"] in self.repo.manifests]
        return {"images": [{"imageManifest": s.manifest, "imageManifestMediaType": s.media_type} for s in found]}


class Upstream:
    """The controller of one upstream registry (``fake.upstream("docker-hub")``)."""

    def __init__(self, registry: UpstreamRegistry, lock: ContextManager[Any]) -> None:
        self.registry = registry
        self._lock = lock  # the fake's lock: pulls read the upstream under it

    @property
    def url(self) -> str:
        return self.registry.url

    @property
    def failure(self) -> Optional[str]:
        """None, or how the upstream fails: "UpstreamUnavailable", "UpstreamTooManyRequests",
        "UpstreamAccessDenied" (BatchGetImage reports it for images not cached yet)."""
        return self.registry.failure

    @failure.setter
    def failure(self, code: Optional[str]) -> None:
        if code is not None and code not in FAILURE_REASONS:
            raise ValueError(f"failure must be None or one of {sorted(FAILURE_REASONS)}, got {code!r}")
        self.registry.failure = code

    def push_image(self, repository: str, tag: Optional[str] = None, **options: Any) -> str:
        """Publish an image upstream; ``options`` are those of :func:`fake_ecr.push_image`."""
        with self._lock:
            repo = self.registry.repositories.setdefault(repository, UpstreamRepository())
            return images.push_image(_DirectClient(repo), repository, tag, **options)

    def delete_image(self, repository: str, tag: str) -> None:
        """Remove ``tag`` upstream (the image stays reachable by digest)."""
        with self._lock:
            self.registry.repositories[repository].tags.pop(tag, None)

    def __repr__(self) -> str:
        return f"<Upstream {self.url} repositories={len(self.registry.repositories)}>"


def upstream_url(name: str) -> str:
    """The URL for ``name``: an upstream kind with a single URL, or a URL itself."""
    if name in _KINDS:
        url = _KINDS[name][2]
        if url is None:
            raise ValueError(f"{name} upstreams have one URL per registry: pass the URL, e.g. 'myreg.azurecr.io'")
        return url
    kind = kind_of_url(name)
    if kind is None:
        raise ValueError(f"{name!r} is not a registry URL that pull through cache supports")
    if kind == "ecr":
        raise ValueError("an ECR upstream is the fake's own registry: push to it with fake.push_image")
    return name


class UpstreamRegistries:
    """Backend state: the third-party registries tests published images to, by URL."""

    def __init__(self) -> None:
        self.by_url: dict[str, UpstreamRegistry] = {}


def upstream_registry(backend: Backend, url: str) -> UpstreamRegistry:
    """The (possibly empty) third-party registry at ``url``."""
    upstreams = backend.state(UpstreamRegistries).by_url
    registry = upstreams.get(url)
    if registry is None:
        registry = upstreams[url] = UpstreamRegistry(url)
    return registry
