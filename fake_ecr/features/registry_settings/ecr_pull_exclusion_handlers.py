"""ECR pull-time update exclusions: Register, Deregister and List."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.registry_settings import pull_exclusions

operations = OperationTable()


@operations.serves("ecr", "RegisterPullTimeUpdateExclusion")
def register_pull_time_update_exclusion(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    created = pull_exclusions.register(call, call.registry(), params["principalArn"])
    return {"principalArn": params["principalArn"], "createdAt": call.timestamp(created)}


@operations.serves("ecr", "DeregisterPullTimeUpdateExclusion")
def deregister_pull_time_update_exclusion(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pull_exclusions.deregister(call.registry(), params["principalArn"])
    return {"principalArn": params["principalArn"]}


@operations.serves("ecr", "ListPullTimeUpdateExclusions")
def list_pull_time_update_exclusions(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    scope = f"ListPullTimeUpdateExclusions:{registry.registry_id}:{call.region}"
    page, next_token = pagination.page_of(pull_exclusions.exclusions(registry), params, scope)
    return pagination.paged("pullTimeUpdateExclusions", [arn for arn, _created in page], next_token)
