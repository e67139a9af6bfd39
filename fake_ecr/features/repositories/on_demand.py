"""Repositories ECR creates itself, and the lookup that gives on-demand features their say.

ECR creates some repositories when a client first uses them: a pull under a pull through cache
rule, a push matched by a CREATE_ON_PUSH creation template, a replicated image. Those features
subscribe to ``BEFORE_REPOSITORY_LOOKUP``; the image and layer handlers look their repository up
through :func:`repository_for` so the features run before RepositoryNotFoundException would.
:func:`create_on_behalf` is the one way a feature creates a repository for ECR's own purposes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.core import hooks
from fake_ecr.model import Registry, Repository

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

# The prefix of pull through cache rules and creation templates that covers every repository.
ROOT = "ROOT"


def prefix_specificity(prefix: str) -> int:
    """How closely a matching prefix fits: longer prefixes win, ROOT loses to any other."""
    return -1 if prefix == ROOT else len(prefix.rstrip("/"))


def repository_for(call: Call, params: dict[str, Any]) -> Repository:
    """The repository named by ``registryId``/``repositoryName``, created on demand if a feature does."""
    registry = call.registry(params.get("registryId"))
    name = params["repositoryName"]
    call.notify(hooks.BEFORE_REPOSITORY_LOOKUP, registry, name, params)
    return registry.repository(name)


def create_on_behalf(call: Call, registry: Registry, name: str, purpose: str) -> Repository:
    """The repository ``name``, created if missing as ECR does for ``purpose`` (PULL_THROUGH_CACHE,
    REPLICATION): from a template when a ``REPOSITORY_FROM_TEMPLATE`` subscriber has one, else
    with ECR's defaults (mutable tags, AES-256 encryption, no policies)."""
    existing = registry.repositories.get(name)
    if existing is not None:
        return existing
    created: Optional[Repository] = call.first_answer(hooks.REPOSITORY_FROM_TEMPLATE, registry, name, purpose)
    if created is not None:
        return created
    seq = call.backend.next_seq()
    repo = Repository(name=name, registry_id=registry.registry_id, region=registry.region, created_at=call.now, seq=seq)
    registry.repositories.add(name, repo, seq)
    return repo
