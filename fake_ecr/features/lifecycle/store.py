"""Where a repository keeps its lifecycle policy, its last evaluation and its latest preview."""

from __future__ import annotations

from typing import Any, Callable, Optional

from fake_ecr.errors import missing_in_repository
from fake_ecr.features.lifecycle.engine import Outcome
from fake_ecr.features.lifecycle.rules import LifecyclePolicy
from fake_ecr.model import Repository

IN_PROGRESS, COMPLETE = "IN_PROGRESS", "COMPLETE"


class Preview:
    """One StartLifecyclePolicyPreview: evaluated at once, reported COMPLETE from the first Get.

    It stays ``IN_PROGRESS`` until someone reads it, so a second Start before that is refused
    as ECR refuses it; a waiter's first GetLifecyclePolicyPreview already sees ``COMPLETE``.
    """

    __slots__ = ("preview_id", "policy_text", "outcomes", "status", "filtered", "_summary")

    def __init__(self, preview_id: int, policy_text: str, outcomes: list[Outcome]) -> None:
        self.preview_id = preview_id
        self.policy_text = policy_text
        self.outcomes = outcomes
        self.status = IN_PROGRESS
        # The results of each tagStatus filter, made on first request (a preview never changes).
        self.filtered: dict[Optional[str], list[Outcome]] = {}
        self._summary: Optional[dict[str, Any]] = None

    def summary(self, make: Callable[[list[Outcome]], dict[str, Any]]) -> dict[str, Any]:
        """The preview's summary, made once by ``make`` and reused by every page."""
        if self._summary is None:
            self._summary = make(self.outcomes)
        return self._summary


class LifecycleState:
    """Repository state: the lifecycle policy, when it was last applied, the latest preview."""

    __slots__ = ("policy", "last_evaluated_at", "preview")

    def __init__(self) -> None:
        self.policy: Optional[LifecyclePolicy] = None
        self.last_evaluated_at: Optional[float] = None
        self.preview: Optional[Preview] = None


def lifecycle_state(repo: Repository) -> LifecycleState:
    return repo.state(LifecycleState)


def saved_policy(repo: Repository) -> LifecyclePolicy:
    """The repository's lifecycle policy, or AWS's LifecyclePolicyNotFoundException."""
    policy = lifecycle_state(repo).policy
    if policy is None:
        raise missing_in_repository("LifecyclePolicyNotFoundException", "Lifecycle policy", repo.name, repo.registry_id)
    return policy
