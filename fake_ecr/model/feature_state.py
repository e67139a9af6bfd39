"""Feature state: what a capability keeps on a model object, one typed object per feature.

The model's classes hold what ECR reports as the resource itself (a repository's name, settings and
images). Everything a capability adds (a policy, scan results, lifecycle state, replication
rules) lives in a small class of that capability's own, created on first use and found by its
type: ``repo.state(LifecycleState)``. A reset drops it with the rest of the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Callable, TypeVar

S = TypeVar("S")

# What objects without feature state read: empty and read-only, so it cannot be filled by mistake.
_NO_STATE: Mapping[Any, Any] = MappingProxyType({})


class HoldsFeatureState:
    """Mixin for model objects that carry per-feature state (backend, registries, repositories)."""

    # Shared and empty until the first ``state()`` gives the object a dict of its own, so
    # ``has_state`` (asked by hooks on every call) is one lookup with no test for a missing dict.
    _feature_state: Mapping[Callable[[], Any], Any] = _NO_STATE

    def state(self, kind: Callable[[], S]) -> S:
        """This object's state of type ``kind`` (made with ``kind()`` on first use)."""
        try:  # the common case, read by several hooks of every push: the state exists
            return self._feature_state[kind]  # type: ignore[no-any-return]
        except KeyError:
            pass
        states = self.__dict__.get("_feature_state")
        if states is None:
            states = {}
            self._feature_state = states
        found = states.get(kind)
        if found is None:
            found = states[kind] = kind()
        return found

    def has_state(self, kind: Callable[[], Any]) -> bool:
        """Whether a feature ever stored state of type ``kind`` here (lets readers skip work)."""
        return kind in self._feature_state
