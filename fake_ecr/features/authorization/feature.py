"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core.wiring import Feature
from fake_ecr.features.authorization import ecr_handlers

FEATURE = Feature(
    "authorization",
    "GetAuthorizationToken: docker-login tokens valid for 12 hours.",
    operations=[ecr_handlers.operations],
)
