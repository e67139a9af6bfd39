"""Feature state: what a capability keeps on a model object, one typed object per feature.

The model's classes hold what ECR reports as the resource itself (a repository's name, settings and
images). Everything a capability adds (a policy, scan results, lifecycle state, replication
rules) lives in a small class of that capability's own, created on first use and found by its
type: ``repo.state(LifecycleState)``. A reset drops it with the rest of the model.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

S = TypeVar("S")


class HoldsFeatureState:
    """Mixin for model objects that carry per-feature state (backend, registries, repositories)."""

    _feature_state: dict[Callable[[], Any], Any]

    def state(self, kind: Callable[[], S]) -> S:
        """This object's state of type ``kind`` (made with ``kind()`` on first use)."""
        try:  # the common case, read by several hooks of every push: the state exists
            return self._feature_state[kind]  # type: ignore[no-any-return]
        except (AttributeError, KeyError):
            pass
        states = self.__dict__.get("_feature_state")
        if states is None:
            states = self._feature_state = {}
        found = states.get(kind)
        if found is None:
            found = states[kind] = kind()
        return found

    def has_state(self, kind: Callable[[], Any]) -> bool:
        """Whether a feature ever stored state of type ``kind`` here (lets readers skip work)."""
        states = self.__dict__.get("_feature_state")
        return states is not None and kind in states
