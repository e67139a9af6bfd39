"""ECR registry-level reads: DescribeRegistry."""

from __future__ import annotations

import copy
from typing import Any

from fake_ecr.core.serving import Call
from fake_ecr.core.operations import operation


@operation("ecr", "DescribeRegistry")
def describe_registry(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    return {
        "registryId": registry.registry_id,
        "replicationConfiguration": {"rules": copy.deepcopy(registry.replication_rules)},
    }
