"""The capability's declaration: its handlers and its hook subscriptions (see fake_ecr.features)."""

from __future__ import annotations

from fake_ecr.core import hooks
from fake_ecr.core.wiring import Feature, on
from fake_ecr.features.images import (
    ecr_archive_handlers,
    ecr_handlers,
    ecr_referrer_handlers,
    public_handlers,
    references,
)

FEATURE = Feature(
    "images",
    "Images of both services: push (PutImage), pull (BatchGetImage), listings, deletion, referrers, the archive storage class, and what manifests reference.",
    operations=[
        ecr_handlers.operations,
        ecr_archive_handlers.operations,
        ecr_referrer_handlers.operations,
        public_handlers.operations,
    ],
    subscriptions=[
        on(hooks.BEFORE_STORE, references.check_references),
        on(hooks.IMAGE_STORED, references.record_references),
        on(hooks.BEFORE_DELETE, references.refuse_listed_image),
        on(hooks.IMAGE_PUSHED, public_handlers.record_tag, services=["ecr-public"]),
    ],
)
