"""Registry replication: a push to a repository that a replication rule matches copies the image
(manifest, the blobs it references, the manifests an index lists) to every destination registry.

How it behaves, from the ECR user guide ("Private image replication"):

* Destinations are other Regions of the account and/or other accounts of the same fake. A missing
  destination repository is created with default settings (or from a REPLICATION repository
  creation template, when that feature is present).
* A cross-account destination needs its registry policy to allow the source account
  ``ecr:ReplicateImage`` (and ``ecr:CreateRepository`` when the repository does not exist yet);
  otherwise the replication ends FAILED and nothing is copied.
* A tag moves with the image; a tag that is immutable in the destination stays where it is and
  the image arrives without it.
* Replication happens once per push: a replicated image is not replicated again.
* Deletions are not replicated, unless the rule enables ``deleteReplication``: then a tag removed
  in the source (BatchDeleteImage, lifecycle expiry) is removed in each destination, and a deleted
  image is deleted there with all its tags.
* Timing: ``fake.replication.delay`` seconds (default 0: COMPLETE as soon as the push returns).
  With a delay the copy lands, and the status turns COMPLETE, once the fake's clock has passed it.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Optional, Union

from fake_ecr.aws.partitions import arn
from fake_ecr.core.call import Call
from fake_ecr.features.images import storing
from fake_ecr.features.layers.blobs import store_of
from fake_ecr.features.replication.access import allows
from fake_ecr.features.replication.configuration import ReplicationConfiguration, destinations_for
from fake_ecr.features.repositories.on_demand import create_on_behalf
from fake_ecr.model import Backend, Image, Registry, Repository, manifests
from fake_ecr.model.blobs import Blob

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server

# The IAM action (and CloudTrail event) of ECR's internal replication call; a push made by
# replication carries it as its operation, which is how replication knows not to recurse.
REPLICATE_IMAGE = "ReplicateImage"

IN_PROGRESS = "IN_PROGRESS"
COMPLETE = "COMPLETE"
FAILED = "FAILED"

# failureCode values; ECR documents the member but not its values (see docs/replication.md).
ACCESS_DENIED = "ACCESS_DENIED"
REPOSITORY_NOT_FOUND = "REPOSITORY_NOT_FOUND"


class ReplicationQueue:
    """Backend state: replications waiting for their delay, and the delay itself."""

    def __init__(self) -> None:
        self.pending: list[tuple[float, int, Replication]] = []  # a heap of (due, order, replication)
        self.delay = 0.0  # seconds between a push and its copies


class ReplicationStatuses:
    """Repository state: digest -> (image seq, {destination: latest Replication})."""

    def __init__(self) -> None:
        self.by_digest: dict[str, tuple[int, dict[tuple[str, str], Replication]]] = {}


class Replication:
    """One replication of one pushed image to one destination."""

    __slots__ = ("source", "image", "tags", "region", "registry_id", "due", "status", "failure_code")

    def __init__(
        self, source: Repository, image: Image, tags: tuple[str, ...], region: str, registry_id: str, due: float
    ) -> None:
        self.source = source
        self.image = image
        self.tags = tags  # the tags that move with it: the pushed one, or all of them (backfill)
        self.region = region
        self.registry_id = registry_id
        self.due = due
        self.status = IN_PROGRESS
        self.failure_code: Optional[str] = None

    def view(self) -> dict[str, Any]:
        """The ``ImageReplicationStatus`` structure."""
        view = {"region": self.region, "registryId": self.registry_id, "status": self.status}
        if self.failure_code is not None:
            view["failureCode"] = self.failure_code
        return view


# -- status ---------------------------------------------------------------------------------------


def statuses(repo: Repository, image: Image) -> list[Replication]:
    """The latest replication of ``image`` to each destination, in the order they started."""
    if not repo.has_state(ReplicationStatuses):
        return []
    entry = repo.state(ReplicationStatuses).by_digest.get(image.digest)
    if entry is None or entry[0] != image.seq:  # recorded for an earlier image of that digest
        return []
    return list(entry[1].values())


def _record(replication: Replication) -> None:
    by_digest = replication.source.state(ReplicationStatuses).by_digest
    seq, latest = by_digest.get(replication.image.digest, (None, None))
    if seq != replication.image.seq or latest is None:
        latest = {}
        by_digest[replication.image.digest] = (replication.image.seq, latest)
    latest.pop((replication.region, replication.registry_id), None)
    latest[(replication.region, replication.registry_id)] = replication


# -- starting -------------------------------------------------------------------------------------


def replicate_push(call: Call, repo: Repository, image: Image, tag: Optional[str]) -> None:
    """``IMAGE_PUSHED``: start a replication to each destination of the matching rules (the
    wiring runs it for ECR calls only; a replicated copy is not replicated again)."""
    if call.operation == REPLICATE_IMAGE:
        return
    registry = call.backend.registry(repo.registry_id, repo.region)
    if not registry.has_state(ReplicationConfiguration):
        return  # never configured here (and reading the rules would store an empty set)
    destinations = destinations_for(registry, repo.name)
    if not destinations:
        return
    tags = () if tag is None else (tag,)
    for region, registry_id in destinations:
        start(call, Replication(repo, image, tags, region, registry_id, call.now + delay_of(call.backend)))


def start(call: Call, replication: Replication) -> None:
    """Record ``replication`` and finish it now, or when its delay has passed."""
    _record(replication)
    if replication.due <= call.now:
        _deliver(call, replication)
    else:
        heapq.heappush(call.backend.state(ReplicationQueue).pending, (replication.due, next(_ORDER), replication))


def cancel(backend: Backend, cancelled: set[Replication]) -> None:
    """Drop replications that have not finished (a stopped backfill); they leave no status."""
    pending = backend.state(ReplicationQueue).pending
    pending[:] = [entry for entry in pending if entry[2] not in cancelled]
    heapq.heapify(pending)
    for replication in cancelled:
        entry = replication.source.state(ReplicationStatuses).by_digest.get(replication.image.digest)
        key = (replication.region, replication.registry_id)
        if entry is not None and entry[1].get(key) is replication:
            del entry[1][key]


_ORDER = itertools.count()


def delay_of(backend: Backend) -> float:
    return backend.state(ReplicationQueue).delay


def deliver_due(call: Call) -> int:
    """Finish every replication that is due by ``call.now``; return how many finished."""
    with call.backend.lock:
        pending = call.backend.state(ReplicationQueue).pending
        done = 0
        while pending and pending[0][0] <= call.now:
            _, _, replication = heapq.heappop(pending)
            _deliver(call, replication)
            done += 1
        return done


# -- delivering -----------------------------------------------------------------------------------


def _deliver(caller: Call, replication: Replication) -> None:
    """Copy the image into the destination registry, or mark the replication FAILED."""
    call = caller.elsewhere(
        service="ecr",
        operation=REPLICATE_IMAGE,
        region=replication.region,
        account_id=replication.registry_id,
        now=replication.due,
    )
    destination = call.backend.registry(replication.registry_id, replication.region)
    failure = _refusal(replication, destination)
    if failure is not None:
        replication.status, replication.failure_code = FAILED, failure
        return
    target = destination.repositories.get(replication.source.name)
    if target is None:
        target = create_destination_repository(call, destination, replication.source.name)
    changed = _copy_image(call, replication.source, target, replication.image)
    copy = target.image(replication.image.digest)
    assert copy is not None
    for tag in replication.tags:
        holder = target.image_for_tag(tag)
        if holder is not copy and not (holder is not None and target.tag_is_immutable(tag)):
            target.tag_image(copy, tag)
            changed.append((copy, tag))
    for image, pushed_tag in changed:
        storing.pushed(call, target, image, pushed_tag)
    replication.status = COMPLETE


def _may_replicate(source: Repository, destination: Registry, action: str = "ecr:ReplicateImage") -> bool:
    """Same account, or the destination's registry policy allows the source account ``action``."""
    if destination.registry_id == source.registry_id:
        return True
    resource = arn("ecr", destination.region, destination.registry_id, f"repository/{source.name}")
    return allows(destination, source.registry_id, action, resource)


def _refusal(replication: Replication, destination: Registry) -> Optional[str]:
    """Why a cross-account destination refuses the replication (its registry policy), if it does."""
    source = replication.source
    if not _may_replicate(source, destination):
        return ACCESS_DENIED
    if source.name not in destination.repositories and not _may_replicate(source, destination, "ecr:CreateRepository"):
        return REPOSITORY_NOT_FOUND
    return None


def create_destination_repository(call: Call, registry: Registry, name: str) -> Repository:
    """The repository replication creates (from a REPLICATION creation template, if one matches)."""
    return create_on_behalf(call, registry, name, "REPLICATION")


def _copy_image(call: Call, source: Repository, target: Repository, image: Image) -> list[tuple[Image, Optional[str]]]:
    """Copy ``image`` (and, for an index, the manifests it lists) with its blobs; return the new copies."""
    if target.image(image.digest) is not None:
        return []
    added: list[tuple[Image, Optional[str]]] = []
    for child_digest in image.child_digests:
        child = source.image(child_digest)
        if child is not None:
            added += _copy_image(call, source, target, child)
    info = manifests.parse(image.manifest, image.manifest_media_type)  # stored: parses cleanly
    _copy_blobs(source, target, info)
    # Checked when it was pushed to the source; its blobs and children were copied above.
    copy = storing.store_image(call, target, image.manifest, info, image.digest, check=False)
    added.append((copy, None))
    return added


def _copy_blobs(source: Repository, target: Repository, info: manifests.ManifestInfo) -> None:
    blobs, copies = store_of(source).blobs, store_of(target).blobs
    for digest, _, _ in info.blobs:
        blob = blobs.get(digest)
        if blob is not None and digest not in copies:
            copies[digest] = Blob(digest, blob.data, blob.media_type)


# -- deletions -------------------------------------------------------------------------------------


def replicate_removal(call: Call, repo: Repository, image: Image, tags: list[str], image_deleted: bool) -> None:
    """``IMAGE_REMOVED``: rules with ``deleteReplication`` enabled remove the same tags, or the
    image with all its tags, in each destination repository (at once, whatever the delay). The
    wiring runs it for ECR calls only; a replicated deletion is not replicated again."""
    if call.operation == REPLICATE_IMAGE:
        return
    registry = call.backend.registry(repo.registry_id, repo.region)
    for region, registry_id in destinations_for(registry, repo.name, deletions=True):
        destination = call.backend.registry(registry_id, region)
        target = destination.repositories.get(repo.name)
        copy = target.image(image.digest) if target is not None else None
        if target is None or copy is None or not _may_replicate(repo, destination):
            continue
        here = call.elsewhere(service="ecr", operation=REPLICATE_IMAGE, region=region, account_id=registry_id)
        if image_deleted:
            storing.delete_image(here, target, copy)
            continue
        for tag in tags:
            if target.image_for_tag(tag) is copy:
                storing.remove_tag(here, target, copy, tag, last_tag_deletes=False)


# -- the controller ---------------------------------------------------------------------------------


class ReplicationControls:
    """``fake.replication``: how long replication takes, and finishing it on demand.

    ``delay`` (seconds or a ``timedelta``, default 0) is the time between a push and the copy in
    each destination; until then DescribeImageReplicationStatus reports IN_PROGRESS. Due
    replications finish when the fake's clock is moved and before every call the fake serves.
    """

    def __init__(self, server: Server) -> None:
        self._server = server
        server.clock.on_change(self._clock_moved)

    def _due_call(self, now: Optional[float] = None) -> Call:
        settings = self._server.settings
        return self._server.new_call("ecr", REPLICATE_IMAGE, settings.region, now=now)

    def _clock_moved(self, now: float) -> None:
        deliver_due(self._due_call(now))

    @property
    def delay(self) -> float:
        return delay_of(self._server.backend)

    @delay.setter
    def delay(self, value: Union[float, int, timedelta]) -> None:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        if seconds < 0:
            raise ValueError("fake_ecr: replication delay cannot be negative")
        with self._server.lock:
            self._server.backend.state(ReplicationQueue).delay = seconds

    def deliver_due(self) -> int:
        """Finish the replications whose delay has passed on the fake's clock; return how many."""
        return deliver_due(self._due_call())

    def pending(self) -> int:
        """How many replications are still IN_PROGRESS."""
        with self._server.lock:
            return len(self._server.backend.state(ReplicationQueue).pending)


def deliver_before_serving(call: Call, url: str) -> None:
    """``BEFORE_SERVE``: a call sees every replication that is due by its time."""
    if call.backend.state(ReplicationQueue).pending:
        deliver_due(call)
