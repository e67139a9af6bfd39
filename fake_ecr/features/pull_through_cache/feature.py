"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.pull_through_cache import ecr_handlers, rules

FEATURE = Feature(
    "pull_through_cache",
    "Pull through cache rules and pulls from test-defined upstream registries.",
    operations=[ecr_handlers.operations],
    subscriptions=[
        on(hooks.BEFORE_REPOSITORY_LOOKUP, rules.pull_through, services=["ecr"], operations=["BatchGetImage"]),
        on(hooks.MISSING_IMAGE_FAILURE, rules.upstream_failure),
    ],
)
