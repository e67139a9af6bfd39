"""Saving a fake's state as JSON and loading it again (``fake.save_state``/``fake.load_state``,
``fake-ecr serve --state``), so a suite can start from a fixtures file.

A snapshot holds what a test suite seeds: private registries with their repositories (settings,
resource tags, repository and lifecycle policies), their images (manifests, tags, push times)
and layers, the registry policy and the replication configuration. Loading replays it through
the API operations (CreateRepository, the layer upload operations, PutImage, ...) at the times
it records, so every feature sees a loaded image exactly as a pushed one. State a snapshot does
not cover yet (scan results, pull through cache rules, templates, ECR Public, ...) makes
:func:`save` fail with an error that names it, rather than being silently left out.
"""

from __future__ import annotations

import base64
from typing import Any, Optional

from fake_ecr.core.serving import Server
from fake_ecr.errors import FakeECRError
from fake_ecr.features.authorization.tokens import AuthorizationTokens
from fake_ecr.features.layers.blobs import DownloadUrls
from fake_ecr.features.lifecycle.store import LifecycleState
from fake_ecr.features.policies.stored import RegistryPolicy, RepositoryPolicy, registry_policy, repository_policy
from fake_ecr.features.replication.configuration import ReplicationConfiguration, rules_of
from fake_ecr.features.replication.copies import ReplicationQueue, ReplicationStatuses
from fake_ecr.model import Registry, Repository
from fake_ecr.model.blobs import BlobStore

FORMAT = "fake_ecr-snapshot/1"

# Feature state a snapshot saves, and state that is only ever transient (tokens, URLs, queues).
_SAVED = {RepositoryPolicy, RegistryPolicy, LifecycleState, ReplicationConfiguration, BlobStore}
_TRANSIENT = {AuthorizationTokens, DownloadUrls, ReplicationQueue, ReplicationStatuses}


class SnapshotError(FakeECRError, ValueError):
    """A snapshot that cannot be saved (state it does not cover) or loaded (not a snapshot)."""


def _check_covered(holder: Any, where: str) -> None:
    for kind, state in getattr(holder, "_feature_state", {}).items():
        if kind in _SAVED or kind in _TRANSIENT or not vars(state) or not any(vars(state).values()):
            continue
        raise SnapshotError(f"fake_ecr snapshots do not cover {kind.__name__} ({where}) yet")


def save(server: Server) -> dict[str, Any]:
    """The state of ``server`` as a JSON-ready dictionary."""
    with server.lock:
        backend = server.backend
        _check_covered(backend, "the fake")
        if any(registry.repositories for registry in backend.public_registries.values()):
            raise SnapshotError("fake_ecr snapshots do not cover ECR Public repositories yet")
        registries = [_registry(registry) for _, registry in sorted(backend.registries.items())]
        return {
            "format": FORMAT,
            "account_id": server.settings.account_id,
            "region": server.settings.region,
            "registries": registries,
        }


def _registry(registry: Registry) -> dict[str, Any]:
    _check_covered(registry, f"registry {registry.registry_id} in {registry.region}")
    policy = registry_policy(registry)
    return {
        "account_id": registry.registry_id,
        "region": registry.region,
        "policy": None if policy is None else policy.text,
        "replication_rules": rules_of(registry),
        "repositories": [_repository(repo) for repo in registry.repositories.values()],
    }


def _repository(repo: Repository) -> dict[str, Any]:
    _check_covered(repo, f"repository {repo.name}")
    policy = repository_policy(repo)
    lifecycle = repo.state(LifecycleState).policy if repo.has_state(LifecycleState) else None
    blobs = repo.state(BlobStore).blobs if repo.has_state(BlobStore) else {}
    return {
        "name": repo.name,
        "created_at": repo.created_at,
        "tag_mutability": repo.tag_mutability,
        "mutability_exclusions": list(repo.mutability_exclusions),
        "scan_on_push": repo.scan_on_push,
        "encryption": dict(repo.encryption),
        "resource_tags": dict(repo.resource_tags),
        "policy": None if policy is None else policy.text,
        "lifecycle_policy": None if lifecycle is None else lifecycle.text,
        "blobs": {digest: base64.b64encode(bytes(blob.data)).decode() for digest, blob in blobs.items()},
        "images": [
            {
                "manifest": image.manifest,
                "media_type": image.manifest_media_type,
                "tags": list(image.tags),
                "pushed_at": image.pushed_at,
            }
            for image in repo.images.values()
        ],
    }


def load(server: Server, snapshot: dict[str, Any]) -> None:
    """Replay ``snapshot`` into ``server`` (whose state should be empty: use ``reset()`` first)."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise SnapshotError(f"not a fake_ecr snapshot (expected format {FORMAT!r})")
    for registry in snapshot.get("registries", []):
        where = {"region": registry["region"], "account_id": registry["account_id"]}
        for repo in registry.get("repositories", []):
            _load_repository(server, where, repo)
        if registry.get("policy"):
            server.call("ecr", "PutRegistryPolicy", {"policyText": registry["policy"]}, **where)
    for registry in snapshot.get("registries", []):  # last, so loading does not replicate images
        if registry.get("replication_rules"):
            server.call(
                "ecr",
                "PutReplicationConfiguration",
                {"replicationConfiguration": {"rules": registry["replication_rules"]}},
                region=registry["region"],
                account_id=registry["account_id"],
            )


def _load_repository(server: Server, where: dict[str, Any], repo: dict[str, Any]) -> None:
    name = repo["name"]
    create: dict[str, Any] = {
        "repositoryName": name,
        "imageTagMutability": repo["tag_mutability"],
        "imageScanningConfiguration": {"scanOnPush": repo["scan_on_push"]},
        "encryptionConfiguration": repo["encryption"],
    }
    if repo["mutability_exclusions"]:
        create["imageTagMutabilityExclusionFilters"] = [
            {"filterType": "WILDCARD", "filter": f} for f in repo["mutability_exclusions"]
        ]
    if repo["resource_tags"]:
        create["tags"] = [{"Key": k, "Value": v} for k, v in repo["resource_tags"].items()]
    server.call("ecr", "CreateRepository", create, now=repo["created_at"], **where)
    for digest, data in repo["blobs"].items():
        _upload(server, where, name, digest, base64.b64decode(data), repo["created_at"])
    for image in repo["images"]:
        tags: list[Optional[str]] = list(image["tags"]) or [None]
        for tag in tags:
            put: dict[str, Any] = {
                "repositoryName": name,
                "imageManifest": image["manifest"],
                "imageManifestMediaType": image["media_type"],
            }
            if tag is not None:
                put["imageTag"] = tag
            server.call("ecr", "PutImage", put, now=image["pushed_at"], **where)
    if repo["policy"]:
        server.call("ecr", "SetRepositoryPolicy", {"repositoryName": name, "policyText": repo["policy"]}, **where)
    if repo["lifecycle_policy"]:
        server.call(
            "ecr",
            "PutLifecyclePolicy",
            {"repositoryName": name, "lifecyclePolicyText": repo["lifecycle_policy"]},
            **where,
        )


def _upload(server: Server, where: dict[str, Any], name: str, digest: str, data: bytes, at: float) -> None:
    upload = server.call("ecr", "InitiateLayerUpload", {"repositoryName": name}, now=at, **where)
    if data:
        server.call(
            "ecr",
            "UploadLayerPart",
            {
                "repositoryName": name,
                "uploadId": upload["uploadId"],
                "partFirstByte": 0,
                "partLastByte": len(data) - 1,
                "layerPartBlob": data,
            },
            now=at,
            **where,
        )
    server.call(
        "ecr",
        "CompleteLayerUpload",
        {"repositoryName": name, "uploadId": upload["uploadId"], "layerDigests": [digest]},
        now=at,
        **where,
    )
