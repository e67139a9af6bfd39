"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.signing import ecr_handlers, signatures

FEATURE = Feature(
    "signing",
    "Signing configuration and the signing status of pushed images.",
    operations=[ecr_handlers.operations],
    subscriptions=[
        on(hooks.IMAGE_PUSHED, signatures.sign_on_push),
    ],
)
