"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.public import common, registry_handlers

FEATURE = Feature(
    "public",
    "ECR Public's Region rule, its registries, aliases and catalog data.",
    operations=[registry_handlers.operations],
    subscriptions=[
        on(hooks.BEFORE_SERVE, common.check_region, services=[common.SERVICE]),
    ],
)
