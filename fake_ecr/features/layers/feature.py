"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core.wiring import Feature
from fake_ecr.features.layers import ecr_handlers, public_handlers

FEATURE = Feature(
    "layers",
    "Layer uploads, layer availability and layer downloads of both services.",
    operations=[ecr_handlers.operations, public_handlers.operations],
)
