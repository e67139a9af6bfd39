"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.registry_settings import ecr_handlers, ecr_pull_exclusion_handlers, pull_exclusions

FEATURE = Feature(
    "registry_settings",
    "Account settings and pull-time update exclusions.",
    operations=[ecr_handlers.operations, ecr_pull_exclusion_handlers.operations],
    subscriptions=[
        on(hooks.KEEP_PULL_TIME, pull_exclusions.pull_time_unchanged),
    ],
)
