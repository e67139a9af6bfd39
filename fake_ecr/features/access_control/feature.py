"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.access_control.authorize import authorize

FEATURE = Feature(
    "access_control",
    "Who may do what (opt-in): every call authorized by IAM's evaluation logic before it runs.",
    subscriptions=[on(hooks.AUTHORIZE, authorize)],
)
