"""The repository an image or layer operation addresses, after on-demand features had their say.

ECR creates some repositories itself when a client first uses them: a pull under a pull through
cache rule, a push matched by a CREATE_ON_PUSH creation template. Those features register on
``extensions.before_repository_lookup``; the image and layer handlers look their repository up
through :func:`repository_for` so the features run before RepositoryNotFoundException would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fake_ecr.core import hooks as extensions

if TYPE_CHECKING:
    from fake_ecr.core.serving import Call
    from fake_ecr.model import Repository


def repository_for(call: Call, params: dict[str, Any]) -> Repository:
    """The repository named by ``registryId``/``repositoryName``, created on demand if a feature does."""
    registry = call.registry(params.get("registryId"))
    name = params["repositoryName"]
    for prepare in extensions.before_repository_lookup:
        prepare(call, registry, name, params)
    return registry.repository(name)
