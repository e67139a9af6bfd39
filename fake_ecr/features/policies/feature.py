"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core.wiring import Feature
from fake_ecr.features.policies import ecr_handlers, public_handlers

FEATURE = Feature(
    "policies",
    "Repository policies (both services) and the registry policy.",
    operations=[ecr_handlers.operations, public_handlers.operations],
)
