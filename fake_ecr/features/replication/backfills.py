"""Replication backfills: replicating a registry's existing images to one configured destination.

From the ECR user guide ("Replication backfill") and API reference:

* The images that qualify are those in repositories that a rule naming the destination matches
  (the configuration as it is when the backfill starts); each is replicated with all its tags.
* One backfill in progress per destination Region (ReplicationBackfillInProgressException), at most
  10 in progress per registry (LimitExceededException).
* A backfill ends COMPLETE, or FAILED when at least half of at least 100 replications failed.
  Only PREPARING or IN_PROGRESS backfills can be stopped; per-image results appear once it ends.
* Ended backfills are listed for 90 days.

Timing follows ``fake.replication.delay``: with the default 0 a backfill is COMPLETE (or FAILED)
as soon as StartReplicationBackfill returns; otherwise it is IN_PROGRESS until the delay passes.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from fake_ecr.core.call import Call
from fake_ecr.errors import ServiceError, invalid_parameter, limit_exceeded
from fake_ecr.features.images import archive
from fake_ecr.features.replication.configuration import rule_applies, rules_of
from fake_ecr.features.replication.copies import (
    COMPLETE,
    FAILED,
    Replication,
    cancel,
    delay_of,
    start,
)
from fake_ecr.model import Registry
from fake_ecr.model.ordered import OrderedIndex

PREPARING = "PREPARING"
IN_PROGRESS = "IN_PROGRESS"
STOPPED = "STOPPED"
MAX_IN_PROGRESS = 10
RETENTION = 90 * 24 * 3600
FAILURE_THRESHOLD = 100  # replications processed before the 50% failure rule applies


class Backfill:
    """One backfill: its destination and the replications it started."""

    __slots__ = ("backfill_id", "region", "registry_id", "started_at", "stopped_at", "replications")

    def __init__(self, backfill_id: str, region: str, registry_id: str, started_at: float) -> None:
        self.backfill_id = backfill_id
        self.region = region
        self.registry_id = registry_id
        self.started_at = started_at
        self.stopped_at: Optional[float] = None
        self.replications: list[Replication] = []

    def finished(self) -> list[Replication]:
        return [r for r in self.replications if r.status in (COMPLETE, FAILED)]

    def status(self) -> str:
        if self.stopped_at is not None:
            return STOPPED
        done = self.finished()
        if len(done) < len(self.replications):
            return IN_PROGRESS
        failed = sum(r.status == FAILED for r in done)
        return FAILED if len(done) >= FAILURE_THRESHOLD and 2 * failed >= len(done) else COMPLETE

    def ended_at(self) -> Optional[float]:
        if self.stopped_at is not None:
            return self.stopped_at
        if self.status() == IN_PROGRESS:
            return None
        return max((r.due for r in self.replications), default=self.started_at)

    def destination(self) -> dict[str, str]:
        return {"region": self.region, "registryId": self.registry_id}


class Backfills:
    """Registry state: the registry's backfills, in the order they started."""

    def __init__(self) -> None:
        self.index: OrderedIndex[str, Backfill] = OrderedIndex()


def backfills(registry: Registry) -> OrderedIndex[str, Backfill]:
    return registry.state(Backfills).index


def find(registry: Registry, backfill_id: str) -> Backfill:
    backfill = backfills(registry).get(backfill_id)
    if backfill is None:
        raise ServiceError(
            "ReplicationBackfillNotFoundException",
            f"The replication backfill with id '{backfill_id}' does not exist in the registry with id "
            f"'{registry.registry_id}'",
        )
    return backfill


def begin(call: Call, registry: Registry, destination: dict[str, str]) -> Backfill:
    """StartReplicationBackfill: check the destination and the limits, then replicate every
    qualifying image."""
    region, registry_id = destination["region"], destination["registryId"]
    rules = [
        r
        for r in rules_of(registry)
        if any(d["region"] == region and d["registryId"] == registry_id for d in r["destinations"])
    ]
    if not rules:
        raise invalid_parameter(
            "destination",
            f"The destination with region '{region}' and registry id '{registry_id}' is not in the "
            "registry's replication configuration",
        )
    running = [b for b in backfills(registry).values() if b.status() == IN_PROGRESS]
    if any(b.region == region for b in running):
        raise ServiceError(
            "ReplicationBackfillInProgressException",
            f"A replication backfill is already in progress for the destination Region '{region}'",
        )
    if len(running) >= MAX_IN_PROGRESS:
        raise limit_exceeded()
    backfill = Backfill(str(uuid.uuid4()), region, registry_id, call.now)
    backfills(registry).add(backfill.backfill_id, backfill, call.backend.next_seq())
    due = call.now + delay_of(call.backend)
    for repo in registry.repositories.values():
        if not any(rule_applies(rule, repo.name) for rule in rules):
            continue
        for image in repo.images.values():
            if archive.status(image, call.now) == archive.ACTIVE:
                replication = Replication(repo, image, tuple(image.tags), region, registry_id, due)
                backfill.replications.append(replication)
                start(call, replication)
    return backfill


def stop(call: Call, backfill: Backfill) -> None:
    """StopReplicationBackfill: replications not yet finished are dropped."""
    if backfill.status() != IN_PROGRESS:
        raise ServiceError(
            "ReplicationBackfillInvalidStatusException",
            f"The replication backfill with id '{backfill.backfill_id}' cannot be stopped because its "
            f"status is {backfill.status()}",
        )
    unfinished = {r for r in backfill.replications if r not in backfill.finished()}
    cancel(call.backend, unfinished)
    backfill.replications = backfill.finished()
    backfill.stopped_at = call.now


def listed(call: Call, backfill: Backfill) -> bool:
    """Ended backfills are kept for 90 days."""
    ended = backfill.ended_at()
    return ended is None or call.now < ended + RETENTION


def summary(call: Call, backfill: Backfill) -> dict[str, Any]:
    """The status members shared by every backfill response."""
    view: dict[str, Any] = {
        "replicationBackfillId": backfill.backfill_id,
        "destination": backfill.destination(),
        "status": backfill.status(),
        "startedAt": call.timestamp(backfill.started_at),
    }
    ended = backfill.ended_at()
    if ended is not None:
        view["endedAt"] = call.timestamp(ended)
    done = backfill.finished()  # the images are known at once: no PREPARING phase without progress
    view["progress"] = {
        "totalReplicationCount": len(backfill.replications),
        "completedReplicationCount": sum(r.status == COMPLETE for r in done),
        "failedReplicationCount": sum(r.status == FAILED for r in done),
        "failureCodes": sorted({r.failure_code for r in done if r.failure_code}),
    }
    return view


def result_view(replication: Replication) -> dict[str, Any]:
    """A ``ReplicationBackfillResult``: one replicated image."""
    image_id = {"imageDigest": replication.image.digest}
    if replication.tags:
        image_id["imageTag"] = replication.tags[0]
    view: dict[str, Any] = {
        "repositoryName": replication.source.name,
        "imageId": image_id,
        "status": replication.status,
    }
    if replication.failure_code is not None:
        view["failureCode"] = replication.failure_code
    return view
