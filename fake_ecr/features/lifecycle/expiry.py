"""Applying lifecycle policies for real: what ECR does on its own schedule, here on request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Callable

from fake_ecr.features.images import archive, storing
from fake_ecr.features.lifecycle.engine import Outcome, evaluate
from fake_ecr.features.lifecycle.rules import LifecyclePolicy
from fake_ecr.features.lifecycle.store import lifecycle_state
from fake_ecr.model import Image, Repository

if TYPE_CHECKING:
    from fake_ecr.core.call import Call


def deletion_allowed(call: Call, repo: Repository) -> Callable[[Image], bool]:
    """A veto for the engine: whether every ``BEFORE_DELETE`` subscriber lets ``image`` go."""

    def allowed(image: Image) -> bool:
        return storing.deletion_refusal(call, repo, image) is None

    return allowed


def plan(call: Call, repo: Repository, policy: LifecyclePolicy) -> list[Outcome]:
    """What ``policy`` would do to ``repo`` now: the preview shows it, expiry applies it."""
    return evaluate(repo.images.values(), policy, call.now, deletion_allowed(call, repo))


def apply_outcomes(call: Call, repo: Repository, outcomes: Iterable[Outcome]) -> None:
    for outcome in outcomes:
        image = outcome.image
        if repo.image(image.digest) is not image:
            continue
        if outcome.action == "EXPIRE":
            storing.delete_image(call, repo, image)
        else:
            archive.archive(repo, image, call.now)


def run_repository(call: Call, repo: Repository) -> list[Outcome]:
    """Apply the repository's lifecycle policy, if it has one; return what was done."""
    state = lifecycle_state(repo)
    if state.policy is None:
        return []
    outcomes = plan(call, repo, state.policy)
    apply_outcomes(call, repo, outcomes)
    state.last_evaluated_at = call.now
    return outcomes
