"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core.wiring import Feature
from fake_ecr.features.repositories import ecr_handlers, ecr_tag_handlers, public_handlers, public_tag_handlers

FEATURE = Feature(
    "repositories",
    "Repositories of both services: create, describe, delete, settings, resource tags, and the repositories ECR creates on demand.",
    operations=[
        ecr_handlers.operations,
        ecr_tag_handlers.operations,
        public_handlers.operations,
        public_tag_handlers.operations,
    ],
)
