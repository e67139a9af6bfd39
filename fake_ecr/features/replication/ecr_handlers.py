"""ECR registry replication: PutReplicationConfiguration and DescribeImageReplicationStatus.

DescribeRegistry (``ecr_registry.py``) returns the rules stored here; the copying itself is in
:mod:`fake_ecr.features.replication.copies`.
"""

from __future__ import annotations

import copy
from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.images.image_ids import echo_id, require
from fake_ecr.features.replication import copies as replication
from fake_ecr.features.replication.configuration import ReplicationConfiguration, normalised_rules, rules_of

operations = OperationTable()


@operations.serves("ecr", "PutReplicationConfiguration")
def put_replication_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    registry.state(ReplicationConfiguration).rules = normalised_rules(registry, params["replicationConfiguration"])
    return {"replicationConfiguration": {"rules": copy.deepcopy(rules_of(registry))}}


@operations.serves("ecr", "DescribeImageReplicationStatus")
def describe_image_replication_status(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = call.registry(params.get("registryId")).repository(params["repositoryName"])
    image = require(repo, params["imageId"], repo.name, repo.registry_id)
    return {
        "repositoryName": repo.name,
        "imageId": echo_id(params["imageId"], image),
        "replicationStatuses": [r.view() for r in replication.statuses(repo, image)],
    }
