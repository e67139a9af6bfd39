"""ECR replication backfills: Start/StopReplicationBackfill, ListReplicationBackfills and
DescribeReplicationBackfillResults (modeled from botocore 1.44; registered only where the
installed botocore has them)."""

from __future__ import annotations

from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.features.replication import backfills
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.core.operations import OperationTable

operations = OperationTable()

LIST_PAGE_SIZE = 50


@operations.serves("ecr", "StartReplicationBackfill", if_modeled=True)
def start_replication_backfill(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.begin(call, registry, params["destination"])
    view = backfills.summary(call, backfill)
    return {"replicationBackfillId": backfill.backfill_id, "registryId": registry.registry_id,
            "destination": view["destination"], "status": view["status"], "startedAt": view["startedAt"]}


@operations.serves("ecr", "StopReplicationBackfill", if_modeled=True)
def stop_replication_backfill(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.find(registry, params["replicationBackfillId"])
    backfills.stop(call, backfill)
    return {"registryId": registry.registry_id, "replicationBackfillId": backfill.backfill_id,
            "destination": backfill.destination(), "status": backfill.status(),
            "startedAt": call.timestamp(backfill.started_at)}


@operations.serves("ecr", "ListReplicationBackfills", if_modeled=True)
def list_replication_backfills(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    visible: OrderedIndex[str, backfills.Backfill] = OrderedIndex()
    for seq, backfill in backfills.backfills(registry).iter_from(0):
        if backfills.listed(call, backfill):
            visible.add(backfill.backfill_id, backfill, seq)
    page, token = pagination.page_of(visible, {"maxResults": params.get("maxResults") or LIST_PAGE_SIZE,
                                               "nextToken": params.get("nextToken")},
                                     f"ListReplicationBackfills:{registry.registry_id}")
    return {"registryId": registry.registry_id,
            **pagination.paged("backfills", [backfills.summary(call, b) for b in page], token)}


@operations.serves("ecr", "DescribeReplicationBackfillResults", if_modeled=True)
def describe_replication_backfill_results(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry(params.get("registryId"))
    backfill = backfills.find(registry, params["replicationBackfillId"])
    view = backfills.summary(call, backfill)
    results: OrderedIndex[int, Any] = OrderedIndex()
    if "endedAt" in view:  # per-image results only once the backfill has ended
        wanted = params.get("resultStatusFilter")
        for number, replication in enumerate(backfill.finished(), start=1):
            if wanted is None or replication.status == wanted:
                results.add(number, replication, number)
    page, token = pagination.page_of(results, params, f"DescribeReplicationBackfillResults:{backfill.backfill_id}")
    return {"registryId": registry.registry_id, **view,
            **pagination.paged("results", [backfills.result_view(r) for r in page], token)}

