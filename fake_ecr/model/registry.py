"""A private registry: one per account and region, holding its repositories and settings."""

from __future__ import annotations

from fake_ecr.errors import repository_not_found
from fake_ecr.model.feature_state import HoldsFeatureState
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.model.repository import Repository


class Registry(HoldsFeatureState):
    """A private registry: one per account and Region; features keep their settings in ``state()``."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.repositories: OrderedIndex[str, Repository] = OrderedIndex()

    @property
    def registry_id(self) -> str:
        return self.account_id

    def repository(self, name: str) -> Repository:
        """The repository ``name``, or AWS's RepositoryNotFoundException."""
        repo = self.repositories.get(name)
        if repo is None:
            raise repository_not_found(name, self.account_id)
        return repo

    def __repr__(self) -> str:
        return f"<Registry {self.account_id} {self.region} repositories={len(self.repositories)}>"
