"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core.wiring import Feature
from fake_ecr.features.lifecycle import ecr_handlers

FEATURE = Feature(
    "lifecycle",
    "Lifecycle policies: validation, previews and expiry with one evaluation engine.",
    operations=[ecr_handlers.operations],
)
