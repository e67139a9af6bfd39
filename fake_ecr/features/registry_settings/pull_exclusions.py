"""Pull-time update exclusions: principals whose pulls leave ``lastRecordedPullTime`` unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_ecr.core.caller import caller_arn, is_principal
from fake_ecr.errors import ServiceError
from fake_ecr.model import Image, Registry, Repository
from fake_ecr.model.ordered import OrderedIndex

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

MAX_EXCLUSIONS = 100  # "You can configure up to 100 exclusions per account."


class PullTimeExclusions:
    """Registry state: excluded principal ARNs in registration order, with their creation time."""

    def __init__(self) -> None:
        self.index: OrderedIndex[str, tuple[str, float]] = OrderedIndex()


def exclusions(registry: Registry) -> OrderedIndex[str, tuple[str, float]]:
    """Excluded principal ARNs of the registry, in registration order: (ARN, creation time)."""
    return registry.state(PullTimeExclusions).index


def register(call: Call, registry: Registry, principal_arn: str) -> float:
    excluded = exclusions(registry)
    if principal_arn in excluded:
        raise ServiceError(
            "ExclusionAlreadyExistsException",
            f"The principal '{principal_arn}' is already excluded from pull time updates in the "
            f"registry with id '{registry.registry_id}'",
        )
    if len(excluded) >= MAX_EXCLUSIONS:
        raise ServiceError(
            "LimitExceededException",
            f"The maximum number of pull time update exclusions ({MAX_EXCLUSIONS}) for the registry "
            f"with id '{registry.registry_id}' has been reached",
        )
    excluded.add(principal_arn, (principal_arn, call.now), call.backend.next_seq())
    return call.now


def deregister(registry: Registry, principal_arn: str) -> None:
    if exclusions(registry).remove(principal_arn) is None:
        raise ServiceError(
            "ExclusionNotFoundException",
            f"The principal '{principal_arn}' is not excluded from pull time updates in the "
            f"registry with id '{registry.registry_id}'",
        )


def pull_time_unchanged(call: Call, repo: Repository, image: Image) -> bool:
    """``KEEP_PULL_TIME``: a pull by an excluded principal is not recorded."""
    registry = call.backend.registries.get((repo.registry_id, repo.region))
    if registry is None or not registry.has_state(PullTimeExclusions):
        return False
    caller = caller_arn(call)
    return any(is_principal(caller, arn) for arn in exclusions(registry))
