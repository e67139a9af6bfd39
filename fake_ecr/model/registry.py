"""A private registry: one per account and region, holding its repositories and settings."""

from __future__ import annotations

from typing import Any

from fake_ecr.errors import repository_not_found
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.model.repository import Repository


class Registry:
    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.repositories: OrderedIndex[str, Repository] = OrderedIndex()
        self.replication_rules: list[dict[str, Any]] = []
        # Extension points for registry-level features (policies, scanning, settings, ...).
        self.extras: dict[str, Any] = {}

    @property
    def registry_id(self) -> str:
        return self.account_id

    def index(self, feature: str) -> OrderedIndex[Any, Any]:
        """The registry's ordered collection for ``feature`` (rules, templates, ...), made on first use."""
        found = self.extras.get(feature)
        if found is None:
            found = self.extras[feature] = OrderedIndex()
        return found

    def repository(self, name: str) -> Repository:
        """The repository ``name``, or AWS's RepositoryNotFoundException."""
        repo = self.repositories.get(name)
        if repo is None:
            raise repository_not_found(name, self.account_id)
        return repo

    def __repr__(self) -> str:
        return f"<Registry {self.account_id} {self.region} repositories={len(self.repositories)}>"
