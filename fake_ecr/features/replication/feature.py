"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.replication import copies, ecr_backfill_handlers, ecr_handlers, ecr_registry_handlers

FEATURE = Feature(
    "replication",
    "Registry replication across Regions and accounts, replication status, backfills, DescribeRegistry.",
    operations=[ecr_handlers.operations, ecr_registry_handlers.operations, ecr_backfill_handlers.operations],
    subscriptions=[
        on(hooks.BEFORE_SERVE, copies.deliver_before_serving),
        on(hooks.IMAGE_PUSHED, copies.replicate_push, services=["ecr"]),
        on(hooks.IMAGE_REMOVED, copies.replicate_removal, services=["ecr"]),
    ],
)
