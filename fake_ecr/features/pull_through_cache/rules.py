"""Pull through cache: rules, and what a pull under a rule's prefix does.

A rule maps the repositories under ``ecrRepositoryPrefix/`` (or every repository, for ``ROOT``)
to an upstream registry. When BatchGetImage asks such a repository for an image it does not
have, ECR fetches it from the upstream: the first time it creates the repository (configured by
the best PULL_THROUGH_CACHE creation template), then it stores the manifest and its blobs as if
they had been pushed, so GetDownloadUrlForLayer and every other image operation see them.
A cached tag is compared with the upstream again when it is pulled 24 hours (on the fake's
clock) after its last check, and moved to the upstream's new image if it changed.

The upstream repository of ``<prefix>/<rest>`` is ``<rest>``, or ``<upstreamRepositoryPrefix>/<rest>``
for an ECR upstream with an upstream prefix. An image the upstream does not have is not cached:
BatchGetImage reports it as ImageNotFound (and a repository that would have been created is not).
A secret ECR cannot use fails the pull with UnableToGetUpstreamImageException; an upstream that
fails (or rejects the credentials) is reported per image with its Upstream* failure code, or
with UnableToGetUpstreamImageException while the repository does not exist yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.errors import ServiceError
from fake_ecr.features.access_control.authorize import require
from fake_ecr.features.images import storing
from fake_ecr.features.images.image_ids import resolve
from fake_ecr.features.layers.blobs import store_of
from fake_ecr.features.pull_through_cache import upstreams
from fake_ecr.features.pull_through_cache.secrets import BAD_CREDENTIALS, find_secret
from fake_ecr.features.pull_through_cache.upstreams import StoredImage, upstream_registry
from fake_ecr.features.repositories.on_demand import ROOT, create_on_behalf, prefix_specificity
from fake_ecr.model import Backend, Registry, Repository, manifests
from fake_ecr.model.blobs import Blob
from fake_ecr.model.ordered import OrderedIndex

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

PULL_THROUGH_CACHE = "PULL_THROUGH_CACHE"  # what creation templates call this purpose

# "For subsequent pull requests of the cached image with a given tag, Amazon ECR checks the
# upstream registry for a new version of the image with that specific tag and attempts to update
# the image in your private registry at least once every 24 hours."
SYNC_INTERVAL = 24 * 3600


class PullThroughCacheRule:
    def __init__(
        self,
        prefix: str,
        upstream_url: str,
        upstream_kind: str,
        created_at: float,
        credential_arn: Optional[str] = None,
        custom_role_arn: Optional[str] = None,
        upstream_prefix: Optional[str] = None,
    ) -> None:
        self.prefix = prefix
        self.upstream_url = upstream_url
        self.upstream_kind = upstream_kind
        self.created_at = created_at
        self.updated_at = created_at
        self.credential_arn = credential_arn
        self.custom_role_arn = custom_role_arn
        self.upstream_prefix = upstream_prefix

    def local_rest(self, repository_name: str) -> Optional[str]:
        """The part of ``repository_name`` after this rule's prefix, or None if it is not under it."""
        if self.prefix == ROOT:
            return repository_name
        prefix = self.prefix.rstrip("/") + "/"
        return repository_name[len(prefix) :] if repository_name.startswith(prefix) else None

    def upstream_repository(self, rest: str) -> str:
        if self.upstream_prefix and self.upstream_prefix != ROOT:
            return f"{self.upstream_prefix.rstrip('/')}/{rest}"
        return rest

    def __repr__(self) -> str:
        return f"<PullThroughCacheRule {self.prefix} -> {self.upstream_url}>"


class PullThroughCacheRules:
    """Registry state: the registry's rules by prefix, in creation order."""

    def __init__(self) -> None:
        self.index: OrderedIndex[str, PullThroughCacheRule] = OrderedIndex()


class CacheChecks:
    """Repository state: when each tag of a cache repository was last compared with the upstream."""

    def __init__(self) -> None:
        self.by_tag: dict[str, float] = {}


def rules_of(registry: Registry) -> OrderedIndex[str, PullThroughCacheRule]:
    """The registry's rules by prefix, in creation order."""
    return registry.state(PullThroughCacheRules).index


def same_prefix(a: str, b: str) -> bool:
    """``ecr-public`` and ``ecr-public/`` name the same rule ("an assumed / at the end")."""
    return a.rstrip("/") == b.rstrip("/")


def find_rule(registry: Registry, prefix: str) -> Optional[PullThroughCacheRule]:
    for rule in rules_of(registry).values():
        if same_prefix(rule.prefix, prefix):
            return rule
    return None


def rule_for(registry: Registry, repository_name: str) -> Optional[PullThroughCacheRule]:
    """The rule whose prefix covers ``repository_name`` (longest wins; ROOT last)."""
    covering = [r for r in rules_of(registry).values() if r.local_rest(repository_name) is not None]
    return max(covering, key=lambda r: prefix_specificity(r.prefix), default=None)


# -- reaching the upstream ------------------------------------------------------------------------


class _EcrSource:
    """An ECR upstream: a private registry of this fake."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def _repo(self, repository: str) -> Optional[Repository]:
        return self.registry.repositories.get(repository)

    def image(self, repository: str, image_id: dict[str, Any]) -> Optional[StoredImage]:
        repo = self._repo(repository)
        found = resolve(repo, image_id).image if repo is not None else None
        return None if found is None else StoredImage(found.digest, found.manifest, found.manifest_media_type)

    def blob(self, repository: str, digest: str) -> Optional[bytes]:
        repo = self._repo(repository)
        blob = store_of(repo).blob(digest) if repo is not None else None
        return None if blob is None else blob.data


class UpstreamProblem:
    """Why ECR cannot read from a rule's upstream right now.

    ``failure_code`` is the ImageFailureCode BatchGetImage reports per image (Upstream*), or
    None when the call as a whole fails with UnableToGetUpstreamImageException (a secret ECR
    cannot use).
    """

    __slots__ = ("failure_code", "reason")

    def __init__(self, failure_code: Optional[str], reason: str) -> None:
        self.failure_code, self.reason = failure_code, reason


_AUTHENTICATION_FAILED = (
    "The authentication to the upstream registry failed. Verify that the credentials provided in the "
    "pull through cache rule are correct, and try again."
)


def access_problem(backend: Backend, registry: Registry, rule: PullThroughCacheRule) -> Optional[UpstreamProblem]:
    """What stops ECR from reading the rule's upstream (secret first, then the upstream), or None."""
    if rule.credential_arn is not None:
        secret = find_secret(backend, rule.credential_arn, registry.registry_id, registry.region)
        if secret is None:
            return UpstreamProblem(None, f"The secret '{rule.credential_arn}' could not be found")
        if secret.problem == BAD_CREDENTIALS:
            return UpstreamProblem("UpstreamAccessDenied", _AUTHENTICATION_FAILED)
        if secret.problem is not None:
            return UpstreamProblem(None, f"The secret '{rule.credential_arn}' could not be read")
    if rule.upstream_kind != "ecr":
        failure = upstream_registry(backend, rule.upstream_url).failure
        if failure is not None:
            return UpstreamProblem(failure, upstreams.FAILURE_REASONS[failure].format(url=rule.upstream_url))
    return None


def _source(backend: Backend, rule: PullThroughCacheRule) -> upstreams.Source:
    if rule.upstream_kind == "ecr":
        account, region = upstreams.ecr_location(rule.upstream_url)
        return _EcrSource(backend.registry(account, region))
    return upstream_registry(backend, rule.upstream_url)


# -- caching on pull ---------------------------------------------------------------------------------


def _cache_image(
    call: Call, repo: Repository, source: upstreams.Source, upstream_repo: str, stored: StoredImage, tag: Optional[str]
) -> None:
    """Store an upstream image (children of an index first) with its blobs, as a push would."""
    info = manifests.parse(stored.manifest, stored.media_type)
    for child in info.child_digests:
        child_image = source.image(upstream_repo, {"imageDigest": child})
        if child_image is not None and repo.image(child) is None:
            _cache_image(call, repo, source, upstream_repo, child_image, None)
    blobs = store_of(repo).blobs
    for digest, _, _ in info.blobs:
        data = source.blob(upstream_repo, digest)
        if digest not in blobs and data is not None:
            blobs[digest] = Blob(digest, data)
    existing = repo.image(stored.digest)
    if existing is not None and (tag is None or tag in existing.tags):
        return
    storing.push(call, repo, stored.manifest, media_type=stored.media_type, tag=tag)


def _last_checks(repo: Repository) -> dict[str, float]:
    """When each tag of a cache repository was last compared with the upstream."""
    return repo.state(CacheChecks).by_tag


def _to_fetch(call: Call, repo: Optional[Repository], image_ids: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """(identifiers not cached, cached tags due for their daily upstream check)."""
    if repo is None:
        return list(image_ids), []
    missing, stale = [], []
    checks = _last_checks(repo)
    for image_id in image_ids:
        found = resolve(repo, image_id)
        tag = image_id.get("imageTag")
        if found.failure_code == "ImageNotFound":
            missing.append(image_id)
        elif found.image is not None and tag is not None:
            if call.now - checks.get(tag, found.image.pushed_at) >= SYNC_INTERVAL:
                stale.append(image_id)
    return missing, stale


def pull_through(call: Call, registry: Registry, name: str, params: dict[str, Any]) -> None:
    """``BEFORE_REPOSITORY_LOOKUP``: fetch what a pull asks for from the upstream registry of a
    matching rule (the wiring runs it for ECR's BatchGetImage only)."""
    if not registry.has_state(PullThroughCacheRules):
        return  # no rule was ever created here (and reading the rules would store an empty set)
    rule = rule_for(registry, name)
    if rule is None:
        return
    repo = registry.repositories.get(name)
    missing, stale = _to_fetch(call, repo, params["imageIds"])
    if not missing and not stale:
        return
    problem = access_problem(call.backend, registry, rule)
    if problem is not None:
        if missing and (problem.failure_code is None or repo is None):
            raise ServiceError("UnableToGetUpstreamImageException", problem.reason)
        return  # cached images are served; BatchGetImage reports missing ones with the failure code
    source = _source(call.backend, rule)
    upstream_repo = rule.upstream_repository(rule.local_rest(name) or "")
    fetched = [(i, stored) for i in missing + stale if (stored := source.image(upstream_repo, i)) is not None]
    if repo is None and not fetched:
        return
    # The puller needs these permissions, through its identity policy or the registry policy
    # (user guide, "IAM permissions required to sync an upstream registry").
    if repo is None:
        require(call, "ecr:CreateRepository", registry.registry_id, name)
    require(call, "ecr:BatchImportUpstreamImage", registry.registry_id, name)
    repo = create_on_behalf(call, registry, name, PULL_THROUGH_CACHE)
    for image_id, stored in fetched:
        try:
            _cache_image(call, repo, source, upstream_repo, stored, image_id.get("imageTag"))
        except ServiceError as err:
            if err.code != "ImageTagAlreadyExistsException":
                raise  # an immutable tag keeps the image it was cached with
    checks = _last_checks(repo)
    for image_id in missing + stale:
        if image_id.get("imageTag") is not None:
            checks[image_id["imageTag"]] = call.now


def upstream_failure(call: Call, repo: Repository, image_id: dict[str, Any]) -> Optional[dict[str, Any]]:
    registry = call.backend.registry(repo.registry_id, repo.region)
    rule = rule_for(registry, repo.name)
    problem = access_problem(call.backend, registry, rule) if rule is not None else None
    if problem is None or problem.failure_code is None:
        return None
    return {"imageId": dict(image_id), "failureCode": problem.failure_code, "failureReason": problem.reason}
