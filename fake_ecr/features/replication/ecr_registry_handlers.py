"""DescribeRegistry: the registry and its replication configuration."""

from __future__ import annotations

import copy
from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.replication.configuration import rules_of

operations = OperationTable()


@operations.serves("ecr", "DescribeRegistry")
def describe_registry(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    return {
        "registryId": registry.registry_id,
        "replicationConfiguration": {"rules": copy.deepcopy(rules_of(registry))},
    }
