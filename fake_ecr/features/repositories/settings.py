"""Repository settings as ECR checks them: tag mutability (with exclusions) and encryption.

Shared by CreateRepository, PutImageTagMutability and the creation templates that give
repositories these settings.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, Optional

from fake_ecr.aws.partitions import arn
from fake_ecr.core.call import Call
from fake_ecr.errors import invalid_parameter
from fake_ecr.model.repository import IMMUTABLE_WITH_EXCLUSION, MUTABLE, MUTABLE_WITH_EXCLUSION

_EXCLUSION_MODES = (IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION)


def mutability_settings(params: dict[str, Any]) -> tuple[str, list[str]]:
    """The (mode, exclusion filters) a request asks for, checked as ECR checks them."""
    mode = params.get("imageTagMutability") or MUTABLE
    given = params.get("imageTagMutabilityExclusionFilters")
    # Most requests have no filters: no comprehension to run over an empty list.
    filters = [f["filter"] for f in given] if given else []
    if mode in _EXCLUSION_MODES and not filters:
        raise invalid_parameter(
            "imageTagMutabilityExclusionFilters",
            f"ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as {mode}",
        )
    if mode not in _EXCLUSION_MODES and filters:
        raise invalid_parameter(
            "imageTagMutabilityExclusionFilters",
            f"ImageTagMutabilityExclusionFilters can only be set when imageTagMutability is set as "
            f"{IMMUTABLE_WITH_EXCLUSION} or {MUTABLE_WITH_EXCLUSION}",
        )
    return mode, filters


def _default_kms_key(call: Call, registry_id: str) -> str:
    # The AWS managed key alias/aws/ecr, resolved to a key ARN that is stable per registry.
    key_id = uuid.UUID(bytes=hashlib.sha256(f"{registry_id}:{call.region}:aws/ecr".encode()).digest()[:16])
    return arn("kms", call.region, registry_id, f"key/{key_id}")


def encryption_for(call: Call, registry_id: str, config: Optional[dict[str, Any]]) -> dict[str, str]:
    if not config:
        return {"encryptionType": "AES256"}
    kind = config["encryptionType"]
    key = config.get("kmsKey")
    if kind == "AES256":
        if key:
            raise invalid_parameter(
                "encryptionConfiguration.kmsKey",
                "KMS key should not be specified when encryptionType is AES256",
            )
        return {"encryptionType": kind}
    return {"encryptionType": kind, "kmsKey": key or _default_kms_key(call, registry_id)}
