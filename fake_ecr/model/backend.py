"""All state of one fake: its registries, keyed by account and region."""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

from fake_ecr.model.feature_state import HoldsFeatureState
from fake_ecr.model.public import PublicRegistry
from fake_ecr.model.registry import Registry


class Backend(HoldsFeatureState):
    """The root of a fake's model. A reset replaces it wholesale; nothing is global."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.registries: dict[tuple[str, str], Registry] = {}
        # ECR Public: one registry per account, whatever the region.
        self.public_registries: dict[str, PublicRegistry] = {}
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        """A process-unique, increasing number that orders pushes and creations."""
        return next(self._seq)

    def __deepcopy__(self, memo: dict[int, Any]) -> Backend:
        """A copy of the whole model (a checkpoint): its own lock, the same sequence position."""
        copied = Backend.__new__(Backend)
        memo[id(self)] = copied
        copied.lock = threading.RLock()
        position = next(self._seq)
        self._seq = itertools.count(position)
        copied._seq = itertools.count(position)
        for name, value in vars(self).items():
            if name not in ("lock", "_seq"):
                setattr(copied, name, copy.deepcopy(value, memo))
        return copied

    def registry(self, account_id: str, region: str) -> Registry:
        key = (account_id, region)
        registry = self.registries.get(key)
        if registry is None:
            registry = self.registries[key] = Registry(account_id, region)
        return registry

    def public_registry(self, account_id: str) -> PublicRegistry:
        registry = self.public_registries.get(account_id)
        if registry is None:
            registry = self.public_registries[account_id] = PublicRegistry(account_id)
        return registry
