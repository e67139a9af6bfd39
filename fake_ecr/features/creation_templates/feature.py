"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.creation_templates import ecr_handlers, templates

FEATURE = Feature(
    "creation_templates",
    "Repository creation templates, and create on push.",
    operations=[ecr_handlers.operations],
    subscriptions=[
        on(
            hooks.BEFORE_REPOSITORY_LOOKUP,
            templates.create_on_push,
            services=["ecr"],
            operations=templates.PUSH_OPERATIONS,
        ),
        on(hooks.REPOSITORY_FROM_TEMPLATE, templates.repository_from_template),
    ],
)
