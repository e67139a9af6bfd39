"""ECR replication backfills: Start/StopReplicationBackfill, ListReplicationBackfills and
DescribeReplicationBackfillResults (modeled from botocore 1.44; registered only where the
installed botocore has them)."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.replication import backfills

operations = OperationTable()

LIST_PAGE_SIZE = 50


@operations.serves("ecr", "StartReplicationBackfill", if_modeled=True)
def start_replication_backfill(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.begin(call, registry, params["destination"])
    view = backfills.summary(call, backfill)
    return {
        "replicationBackfillId": backfill.backfill_id,
        "registryId": registry.registry_id,
        "destination": view["destination"],
        "status": view["status"],
        "startedAt": view["startedAt"],
    }


@operations.serves("ecr", "StopReplicationBackfill", if_modeled=True)
def stop_replication_backfill(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.find(registry, params["replicationBackfillId"])
    backfills.stop(call, backfill)
    return {
        "registryId": registry.registry_id,
        "replicationBackfillId": backfill.backfill_id,
        "destination": backfill.destination(),
        "status": backfill.status(),
        "startedAt": call.timestamp(backfill.started_at),
    }


@operations.serves("ecr", "ListReplicationBackfills", if_modeled=True)
def list_replication_backfills(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    page, token = pagination.page_of(
        backfills.backfills(registry),
        params,
        f"ListReplicationBackfills:{registry.registry_id}",
        keep=lambda backfill: backfills.listed(call, backfill),
        default=LIST_PAGE_SIZE,
    )
    return {
        "registryId": registry.registry_id,
        **pagination.paged("backfills", [backfills.summary(call, b) for b in page], token),
    }


@operations.serves("ecr", "DescribeReplicationBackfillResults", if_modeled=True)
def describe_replication_backfill_results(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.find(registry, params["replicationBackfillId"])
    view = backfills.summary(call, backfill)
    results = []
    if "endedAt" in view:  # per-image results only once the backfill has ended
        wanted = params.get("resultStatusFilter")
        results = [r for r in backfill.finished() if wanted is None or r.status == wanted]
    scope = f"DescribeReplicationBackfillResults:{backfill.backfill_id}:{params.get('resultStatusFilter')}"
    page, token = pagination.page_of_list(results, params, scope)
    return {
        "registryId": registry.registry_id,
        **view,
        **pagination.paged("results", [backfills.result_view(r) for r in page], token),
    }
