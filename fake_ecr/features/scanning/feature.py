"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.scanning import ecr_handlers, scans

FEATURE = Feature(
    "scanning",
    "Image scans, scan on push, registry scanning configuration, and the findings tests decide.",
    operations=[ecr_handlers.operations],
    subscriptions=[
        on(hooks.IMAGE_PUSHED, scans.start_on_push),
        on(hooks.IMAGE_DETAILS, scans.image_details),
    ],
)
