"""Registry replication: PutReplicationConfiguration, DescribeRegistry, DescribeImageReplicationStatus
and the copies that pushes leave in other Regions and accounts."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError, ParamValidationError

ECR_MODEL = botocore.session.get_session().get_service_model("ecr")
SOURCE_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "444455556666"
HOME = "us-east-1"
AWAY = "eu-west-1"

# botocore models a rule's deleteReplication from 1.44 on.
needs_delete_replication = pytest.mark.skipif(
    "DeleteReplication" not in ECR_MODEL.shape_names,
    reason="this botocore does not model deleteReplication",
)


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _rule(*destinations: tuple[str, str], filters: tuple[str, ...] = ()) -> dict[str, Any]:
    rule: dict[str, Any] = {"destinations": [{"region": r, "registryId": a} for r, a in destinations]}
    if filters:
        rule["repositoryFilters"] = [{"filter": f, "filterType": "PREFIX_MATCH"} for f in filters]
    return rule


def _configure(client: Any, *rules: dict[str, Any]) -> dict[str, Any]:
    return client.put_replication_configuration(replicationConfiguration={"rules": list(rules)})


def _statuses(client: Any, repository: str, tag: str = "latest") -> list[dict[str, Any]]:
    return client.describe_image_replication_status(repositoryName=repository, imageId={"imageTag": tag})[
        "replicationStatuses"
    ]


def _tags(client: Any, repository: str) -> dict[str, list[str]]:
    details = client.describe_images(repositoryName=repository)["imageDetails"]
    return {d["imageDigest"]: sorted(d.get("imageTags", [])) for d in details}


@contextlib.contextmanager
def _as_account(fake: Any, account_id: str) -> Iterator[None]:
    """Make calls as another account of the same fake (to set up the destination's policy)."""
    previous, fake.account_id = fake.account_id, account_id
    try:
        yield
    finally:
        fake.account_id = previous


def _allow_replication(
    fake: Any,
    actions: list[str],
    resource: str = "*",
    account: str = OTHER_ACCOUNT,
    region: str = HOME,
    extra: tuple[dict[str, Any], ...] = (),
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReplicationAccessCrossAccount",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{SOURCE_ACCOUNT}:root"},
                "Action": actions,
                "Resource": [resource],
            },
            *extra,
        ],
    }
    with _as_account(fake, account):
        fake.client("ecr", region=region).put_registry_policy(policyText=json.dumps(policy))


# -- the configuration ------------------------------------------------------------------------------


def test_describe_registry_before_any_configuration_has_no_rules(ecr_client):
    assert ecr_client.describe_registry()["replicationConfiguration"] == {"rules": []}


def test_put_echoes_and_describe_registry_returns_the_configuration(ecr_client):
    rules = [
        _rule((AWAY, SOURCE_ACCOUNT), (HOME, OTHER_ACCOUNT), filters=("prod", "team-a/")),
        _rule(("us-west-2", SOURCE_ACCOUNT)),
    ]
    put = _configure(ecr_client, *rules)
    assert put["replicationConfiguration"] == {"rules": rules}
    described = ecr_client.describe_registry()
    assert described["registryId"] == SOURCE_ACCOUNT
    assert described["replicationConfiguration"] == {"rules": rules}
    assert "repositoryFilters" not in described["replicationConfiguration"]["rules"][1]


def test_put_replaces_the_configuration_and_empty_rules_clear_it(ecr_client):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    _configure(ecr_client, _rule(("us-west-2", SOURCE_ACCOUNT)))
    assert ecr_client.describe_registry()["replicationConfiguration"]["rules"] == [_rule(("us-west-2", SOURCE_ACCOUNT))]
    assert _configure(ecr_client)["replicationConfiguration"] == {"rules": []}
    assert ecr_client.describe_registry()["replicationConfiguration"] == {"rules": []}


def test_configuration_is_per_region(fake_ecr, ecr_client):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    assert fake_ecr.client("ecr", region=AWAY).describe_registry()["replicationConfiguration"] == {"rules": []}


def test_a_registry_cannot_replicate_to_itself(ecr_client):
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), (HOME, SOURCE_ACCOUNT)))
    assert _code(exc) == "InvalidParameterException"
    # The text as reported for real ECR (same Region and account refused): getmoto/moto pull request
    # #4170 ("this is not allowed for the same account"), whose tests pin this message; the API
    # reference (API_PutReplicationConfiguration.html) models only InvalidParameterException here.
    assert exc.value.response["Error"]["Message"] == (
        "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: "
        "'Replication destination cannot be the same as the source registry'"
    )
    assert ecr_client.describe_registry()["replicationConfiguration"] == {"rules": []}


def test_at_most_25_unique_destinations_across_rules(ecr_client):
    regions = [f"us-west-{i}" for i in range(1, 6)]
    accounts = [f"{i:012d}" for i in range(1, 6)]
    destinations = [(r, a) for r in regions for a in accounts]  # 25 unique
    first, second = destinations[:13], destinations[12:]  # one shared: still 25 unique
    _configure(ecr_client, _rule(*first), _rule(*second), _rule(*destinations))
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, _rule(*first), _rule(*second, ("ca-central-1", SOURCE_ACCOUNT)))
    assert _code(exc) == "InvalidParameterException"
    assert len(ecr_client.describe_registry()["replicationConfiguration"]["rules"]) == 3


def test_cross_partition_destinations_are_refused(ecr_client):
    for region in ("cn-north-1", "us-gov-west-1"):
        with pytest.raises(ClientError) as exc:
            _configure(ecr_client, _rule((region, SOURCE_ACCOUNT)))
        assert _code(exc) == "InvalidParameterException"


def test_a_rule_needs_a_destination(ecr_client):
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, {"destinations": []})
    assert _code(exc) == "InvalidParameterException"


def test_rule_count_limit_comes_from_the_model(ecr_client):
    limit = ECR_MODEL.shape_for("ReplicationRuleList").metadata["max"]
    _configure(ecr_client, *[_rule((AWAY, SOURCE_ACCOUNT)) for _ in range(limit)])
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, *[_rule((AWAY, SOURCE_ACCOUNT)) for _ in range(limit + 1)])
    assert _code(exc) == "InvalidParameterException"


def test_filters_are_validated(ecr_client):
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), filters=tuple(f"p{i}" for i in range(101))))
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        _configure(
            ecr_client,
            {
                "destinations": [{"region": AWAY, "registryId": SOURCE_ACCOUNT}],
                "repositoryFilters": [{"filter": "prod", "filterType": "WILDCARD"}],
            },
        )
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), filters=("x" * 257,)))
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ParamValidationError):
        _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), filters=("p",)))


@needs_delete_replication
def test_delete_replication_flag_is_stored(ecr_client):
    rule = {**_rule((AWAY, SOURCE_ACCOUNT)), "deleteReplication": {"enabled": True}}
    assert _configure(ecr_client, rule)["replicationConfiguration"]["rules"] == [rule]
    assert ecr_client.describe_registry()["replicationConfiguration"]["rules"] == [rule]


# -- cross-Region replication -------------------------------------------------------------------------


def test_push_replicates_image_tags_and_blobs_to_another_region(fake_ecr, ecr_client):
    ecr_client.create_repository(
        repositoryName="app", imageTagMutability="IMMUTABLE", imageScanningConfiguration={"scanOnPush": True}
    )
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    digest = fake_ecr.push_image("app", "v1", layers=[b"layer-one", b"layer-two"])
    assert _statuses(ecr_client, "app", "v1") == [{"region": AWAY, "registryId": SOURCE_ACCOUNT, "status": "COMPLETE"}]

    away = fake_ecr.client("ecr", region=AWAY)
    repo = away.describe_repositories(repositoryNames=["app"])["repositories"][0]
    # Settings are not replicated: the created repository has ECR's defaults.
    assert repo["imageTagMutability"] == "MUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": False}
    assert repo["encryptionConfiguration"] == {"encryptionType": "AES256"}
    assert repo["repositoryArn"] == f"arn:aws:ecr:{AWAY}:{SOURCE_ACCOUNT}:repository/app"
    assert _tags(away, "app") == {digest: ["v1"]}
    source_manifest = ecr_client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])["images"][0]
    copy = away.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])["images"][0]
    assert copy["imageManifest"] == source_manifest["imageManifest"]
    layer = json.loads(copy["imageManifest"])["layers"][0]["digest"]
    url = away.get_download_url_for_layer(repositoryName="app", layerDigest=layer)["downloadUrl"]
    assert fake_ecr.download(url) == b"layer-one"


def test_only_matching_repositories_replicate(fake_ecr, ecr_client):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), filters=("prod",)))
    for name in ("prod-api", "prod/web", "dev/prod"):
        ecr_client.create_repository(repositoryName=name)
        fake_ecr.push_image(name, "latest")
    away = fake_ecr.client("ecr", region=AWAY)
    names = sorted(r["repositoryName"] for r in away.describe_repositories()["repositories"])
    assert names == ["prod-api", "prod/web"]
    assert _statuses(ecr_client, "dev/prod") == []


def test_images_pushed_before_the_configuration_are_not_copied(fake_ecr, ecr_client, repo):
    fake_ecr.push_image(repo, "old")
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    assert _statuses(ecr_client, repo, "old") == []
    fake_ecr.push_image(repo, "new")
    assert list(_tags(fake_ecr.client("ecr", region=AWAY), repo).values()) == [["new"]]


def test_every_destination_of_every_matching_rule_receives_the_image_once(fake_ecr, ecr_client, repo):
    _configure(
        ecr_client,
        _rule((AWAY, SOURCE_ACCOUNT), ("us-west-2", SOURCE_ACCOUNT)),
        _rule(("us-west-2", SOURCE_ACCOUNT), filters=("ap",)),
    )
    digest = fake_ecr.push_image(repo, "latest")
    assert [(s["region"], s["status"]) for s in _statuses(ecr_client, repo)] == [
        (AWAY, "COMPLETE"),
        ("us-west-2", "COMPLETE"),
    ]
    for region in (AWAY, "us-west-2"):
        assert _tags(fake_ecr.client("ecr", region=region), repo) == {digest: ["latest"]}


def test_a_pushed_tag_moves_in_the_destination(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    first = fake_ecr.push_image(repo, "latest")
    second = fake_ecr.push_image(repo, "latest")
    assert _tags(fake_ecr.client("ecr", region=AWAY), repo) == {first: [], second: ["latest"]}
    # Tagging the existing first image again replicates the tag move.
    manifest = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": first}])["images"][0]
    ecr_client.put_image(repositoryName=repo, imageManifest=manifest["imageManifest"], imageTag="stable")
    assert _tags(fake_ecr.client("ecr", region=AWAY), repo) == {first: ["stable"], second: ["latest"]}


def test_an_immutable_tag_in_the_destination_is_not_moved(fake_ecr, ecr_client, repo):
    away = fake_ecr.client("ecr", region=AWAY)
    away.create_repository(repositoryName=repo, imageTagMutability="IMMUTABLE")
    existing = fake_ecr.push_image(repo, "v1", region=AWAY)
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    pushed = fake_ecr.push_image(repo, "v1")
    # "the image is replicated but won't contain the duplicated tag"
    assert _tags(away, repo) == {existing: ["v1"], pushed: []}
    assert _statuses(ecr_client, repo, "v1")[0]["status"] == "COMPLETE"


def test_replication_is_not_recursive(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    away = fake_ecr.client("ecr", region=AWAY)
    _configure(away, _rule(("us-west-2", SOURCE_ACCOUNT)))
    fake_ecr.push_image(repo, "latest")
    assert away.describe_images(repositoryName=repo)["imageDetails"]
    with pytest.raises(ClientError) as exc:
        fake_ecr.client("ecr", region="us-west-2").describe_repositories(repositoryNames=[repo])
    assert _code(exc) == "RepositoryNotFoundException"
    assert _statuses(away, repo) == []
    # A push made in the middle Region itself does replicate onwards.
    fake_ecr.push_image(repo, "direct", region=AWAY)
    assert _statuses(away, repo, "direct") == [
        {"region": "us-west-2", "registryId": SOURCE_ACCOUNT, "status": "COMPLETE"}
    ]


def test_a_multi_platform_image_replicates_with_its_platform_images(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    index = fake_ecr.push_image(repo, "multi", platforms=["linux/amd64", "linux/arm64"])
    source_tags = _tags(ecr_client, repo)
    assert _tags(fake_ecr.client("ecr", region=AWAY), repo) == source_tags
    assert source_tags[index] == ["multi"] and len(source_tags) == 3


# -- cross-account replication ----------------------------------------------------------------------


def test_cross_account_without_a_registry_policy_fails(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((HOME, OTHER_ACCOUNT)))
    fake_ecr.push_image(repo, "latest")
    assert _statuses(ecr_client, repo) == [
        {"region": HOME, "registryId": OTHER_ACCOUNT, "status": "FAILED", "failureCode": "ACCESS_DENIED"}
    ]
    assert repo not in fake_ecr.registry(HOME, OTHER_ACCOUNT).repositories


def test_cross_account_with_a_registry_policy_replicates(fake_ecr, ecr_client, repo):
    _allow_replication(
        fake_ecr,
        ["ecr:CreateRepository", "ecr:ReplicateImage"],
        f"arn:aws:ecr:{AWAY}:{OTHER_ACCOUNT}:repository/*",
        region=AWAY,
    )
    _configure(ecr_client, _rule((AWAY, OTHER_ACCOUNT)))
    digest = fake_ecr.push_image(repo, "latest")
    assert _statuses(ecr_client, repo) == [{"region": AWAY, "registryId": OTHER_ACCOUNT, "status": "COMPLETE"}]
    other = fake_ecr.client("ecr", region=AWAY)
    found = other.describe_images(registryId=OTHER_ACCOUNT, repositoryName=repo)["imageDetails"]
    assert [(d["registryId"], d["imageDigest"], d["imageTags"]) for d in found] == [(OTHER_ACCOUNT, digest, ["latest"])]


def test_cross_account_without_create_repository_needs_an_existing_repository(fake_ecr, ecr_client, repo):
    _allow_replication(fake_ecr, ["ecr:ReplicateImage"])
    _configure(ecr_client, _rule((HOME, OTHER_ACCOUNT)))
    fake_ecr.push_image(repo, "first")
    assert _statuses(ecr_client, repo, "first")[0] == {
        "region": HOME,
        "registryId": OTHER_ACCOUNT,
        "status": "FAILED",
        "failureCode": "REPOSITORY_NOT_FOUND",
    }
    ecr_client.create_repository(registryId=OTHER_ACCOUNT, repositoryName=repo)
    digest = fake_ecr.push_image(repo, "second")
    assert _statuses(ecr_client, repo, "second")[0]["status"] == "COMPLETE"
    images = ecr_client.describe_images(registryId=OTHER_ACCOUNT, repositoryName=repo)["imageDetails"]
    assert [d["imageDigest"] for d in images] == [digest]


def test_registry_policy_resources_and_denies_are_honoured(fake_ecr, ecr_client):
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "ecr:ReplicateImage",
        "Resource": f"arn:aws:ecr:{HOME}:{OTHER_ACCOUNT}:repository/prod-secret",
    }
    _allow_replication(fake_ecr, ["ecr:*"], f"arn:aws:ecr:{HOME}:{OTHER_ACCOUNT}:repository/prod-*", extra=(deny,))
    _configure(ecr_client, _rule((HOME, OTHER_ACCOUNT)))
    outcomes = {}
    for name in ("prod-api", "prod-secret", "dev-api"):
        ecr_client.create_repository(repositoryName=name)
        fake_ecr.push_image(name, "latest")
        outcomes[name] = _statuses(ecr_client, name)[0].get("failureCode", "COMPLETE")
    assert outcomes == {"prod-api": "COMPLETE", "prod-secret": "ACCESS_DENIED", "dev-api": "ACCESS_DENIED"}


def test_a_policy_for_another_account_does_not_allow_the_source(fake_ecr, ecr_client, repo):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "999988887777"}, "Action": "ecr:*", "Resource": "*"}],
    }
    with _as_account(fake_ecr, OTHER_ACCOUNT):
        ecr_client.put_registry_policy(policyText=json.dumps(policy))
    _configure(ecr_client, _rule((HOME, OTHER_ACCOUNT)))
    fake_ecr.push_image(repo, "latest")
    assert _statuses(ecr_client, repo)[0]["failureCode"] == "ACCESS_DENIED"


# -- DescribeImageReplicationStatus ------------------------------------------------------------------


def test_status_by_digest_echoes_the_identifier(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    digest = fake_ecr.push_image(repo, "latest")
    got = ecr_client.describe_image_replication_status(repositoryName=repo, imageId={"imageDigest": digest})
    assert got["repositoryName"] == repo
    assert got["imageId"] == {"imageDigest": digest}
    assert got["replicationStatuses"][0]["status"] == "COMPLETE"
    by_tag = ecr_client.describe_image_replication_status(repositoryName=repo, imageId={"imageTag": "latest"})
    assert by_tag["imageId"] == {"imageDigest": digest, "imageTag": "latest"}


def test_status_errors(ecr_client, repo):
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_replication_status(repositoryName="missing", imageId={"imageTag": "latest"})
    assert _code(exc) == "RepositoryNotFoundException"
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_replication_status(repositoryName=repo, imageId={"imageTag": "nope"})
    assert _code(exc) == "ImageNotFoundException"
    assert "does not exist within the repository with name 'app'" in exc.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as exc:
        ecr_client.describe_image_replication_status(repositoryName=repo, imageId={})
    assert _code(exc) == "InvalidParameterException"


def test_status_of_a_deleted_and_pushed_again_image_starts_over(fake_ecr, ecr_client, repo):
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    digest = fake_ecr.push_image(repo, "latest", layers=[b"same"])
    manifest = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])["images"][0]
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])
    _configure(ecr_client)
    ecr_client.put_image(repositoryName=repo, imageManifest=manifest["imageManifest"], imageTag="latest")
    assert _statuses(ecr_client, repo) == []


# -- timing ------------------------------------------------------------------------------------------


def test_a_replication_delay_keeps_the_status_in_progress_until_the_clock_passes_it(fake_ecr, ecr_client, repo):
    fake_ecr.clock.freeze()
    fake_ecr.replication.delay = 600
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    digest = fake_ecr.push_image(repo, "latest")
    away = fake_ecr.client("ecr", region=AWAY)
    assert _statuses(ecr_client, repo) == [{"region": AWAY, "registryId": SOURCE_ACCOUNT, "status": "IN_PROGRESS"}]
    assert repo not in fake_ecr.registry(AWAY).repositories
    assert fake_ecr.replication.pending() == 1
    fake_ecr.clock.advance(minutes=9)
    assert _statuses(ecr_client, repo)[0]["status"] == "IN_PROGRESS"
    fake_ecr.clock.advance(minutes=1)
    assert repo in fake_ecr.registry(AWAY).repositories  # delivered when the clock moved
    assert _statuses(ecr_client, repo)[0]["status"] == "COMPLETE"
    detail = away.describe_images(repositoryName=repo)["imageDetails"][0]
    assert detail["imageDigest"] == digest
    pushed = ecr_client.describe_images(repositoryName=repo)["imageDetails"][0]["imagePushedAt"]
    assert (detail["imagePushedAt"] - pushed).total_seconds() == pytest.approx(600, abs=1)
    assert fake_ecr.replication.pending() == 0


def test_replication_delay_rejects_negative_values(fake_ecr):
    with pytest.raises(ValueError):
        fake_ecr.replication.delay = -1
    assert fake_ecr.replication.delay == 0


# -- replicating deletions ------------------------------------------------------------------------------


def _replicating_deletions(client: Any, enabled: bool = True) -> None:
    _configure(client, {**_rule((AWAY, SOURCE_ACCOUNT)), "deleteReplication": {"enabled": enabled}})


@needs_delete_replication
def test_deleting_replicates_tag_removals_and_image_deletions(fake_ecr, ecr_client, repo):
    _replicating_deletions(ecr_client)
    away = fake_ecr.client("ecr", region=AWAY)
    first = fake_ecr.push_image(repo, "a")
    manifest = ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageDigest": first}])["images"][0]
    ecr_client.put_image(repositoryName=repo, imageManifest=manifest["imageManifest"], imageTag="b")
    second = fake_ecr.push_image(repo, "c")
    third = fake_ecr.push_image(repo, "d")
    assert _tags(away, repo) == {first: ["a", "b"], second: ["c"], third: ["d"]}

    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": "a"}])  # other tags remain
    assert _tags(away, repo) == {first: ["b"], second: ["c"], third: ["d"]}
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageTag": "c"}])  # last tag: image goes
    assert _tags(away, repo) == {first: ["b"], third: ["d"]}
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": first}])
    assert _tags(away, repo) == {third: ["d"]}


@needs_delete_replication
def test_without_delete_replication_destinations_keep_their_images(fake_ecr, ecr_client, repo):
    _replicating_deletions(ecr_client, enabled=False)
    digest = fake_ecr.push_image(repo, "latest")
    ecr_client.batch_delete_image(repositoryName=repo, imageIds=[{"imageDigest": digest}])
    assert _tags(fake_ecr.client("ecr", region=AWAY), repo) == {digest: ["latest"]}


@needs_delete_replication
def test_lifecycle_expiry_is_replicated_as_a_deletion(fake_ecr, ecr_client, repo):
    _replicating_deletions(ecr_client)
    old = fake_ecr.push_image(repo, "old")
    new = fake_ecr.push_image(repo, "new")
    policy = {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1},
                "action": {"type": "expire"},
            }
        ]
    }
    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=json.dumps(policy))
    fake_ecr.run_lifecycle()
    assert list(_tags(ecr_client, repo)) == [new]
    assert _tags(fake_ecr.client("ecr", region=AWAY), repo) == {new: ["new"]}
    assert old not in _tags(fake_ecr.client("ecr", region=AWAY), repo)


# -- replication backfills (botocore models them from 1.44) -------------------------------------------

needs_backfill = pytest.mark.skipif(
    "StartReplicationBackfill" not in ECR_MODEL.operation_names,
    reason="this botocore does not model replication backfills",
)
AWAY_DESTINATION = {"region": AWAY, "registryId": SOURCE_ACCOUNT}


@needs_backfill
def test_backfill_replicates_existing_matching_images_with_their_tags(fake_ecr, ecr_client):
    for name in ("prod-api", "dev-api"):
        ecr_client.create_repository(repositoryName=name)
    tagged = fake_ecr.push_image("prod-api", "v1")
    untagged = fake_ecr.push_image("prod-api")
    fake_ecr.push_image("dev-api", "v1")
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), filters=("prod",)))
    started = ecr_client.start_replication_backfill(destination=AWAY_DESTINATION)
    assert started["registryId"] == SOURCE_ACCOUNT and started["destination"] == AWAY_DESTINATION
    assert started["status"] == "COMPLETE"
    backfill_id = started["replicationBackfillId"]

    away = fake_ecr.client("ecr", region=AWAY)
    assert _tags(away, "prod-api") == {tagged: ["v1"], untagged: []}
    assert [r["repositoryName"] for r in away.describe_repositories()["repositories"]] == ["prod-api"]
    assert _statuses(ecr_client, "prod-api", "v1") == [
        {"region": AWAY, "registryId": SOURCE_ACCOUNT, "status": "COMPLETE"}
    ]

    results = ecr_client.describe_replication_backfill_results(replicationBackfillId=backfill_id)
    assert results["status"] == "COMPLETE" and results["destination"] == AWAY_DESTINATION
    assert results["progress"] == {
        "totalReplicationCount": 2,
        "completedReplicationCount": 2,
        "failedReplicationCount": 0,
        "failureCodes": [],
    }
    assert sorted((r["imageId"]["imageDigest"], r["status"]) for r in results["results"]) == sorted(
        [(tagged, "COMPLETE"), (untagged, "COMPLETE")]
    )
    listed = ecr_client.list_replication_backfills()["backfills"]
    assert [(b["replicationBackfillId"], b["status"]) for b in listed] == [(backfill_id, "COMPLETE")]


@needs_backfill
def test_backfill_destination_must_be_configured(ecr_client):
    _configure(ecr_client, _rule(("us-west-2", SOURCE_ACCOUNT)))
    with pytest.raises(ClientError) as exc:
        ecr_client.start_replication_backfill(destination=AWAY_DESTINATION)
    assert _code(exc) == "InvalidParameterException"


@needs_backfill
def test_backfill_cross_account_failures_are_reported(fake_ecr, ecr_client, repo):
    fake_ecr.push_image(repo, "latest")
    _configure(ecr_client, _rule((HOME, OTHER_ACCOUNT)))
    backfill_id = ecr_client.start_replication_backfill(destination={"region": HOME, "registryId": OTHER_ACCOUNT})[
        "replicationBackfillId"
    ]
    results = ecr_client.describe_replication_backfill_results(replicationBackfillId=backfill_id)
    # Below 100 replications the 50% failure rule does not apply yet.
    assert results["status"] == "COMPLETE"
    assert results["progress"]["failedReplicationCount"] == 1
    assert results["progress"]["failureCodes"] == ["ACCESS_DENIED"]
    failed = ecr_client.describe_replication_backfill_results(
        replicationBackfillId=backfill_id, resultStatusFilter="FAILED"
    )["results"]
    assert [(r["status"], r["failureCode"]) for r in failed] == [("FAILED", "ACCESS_DENIED")]
    assert (
        ecr_client.describe_replication_backfill_results(
            replicationBackfillId=backfill_id, resultStatusFilter="COMPLETE"
        )["results"]
        == []
    )


@needs_backfill
def test_backfill_in_progress_blocks_its_region_and_can_be_stopped(fake_ecr, ecr_client, repo):
    fake_ecr.clock.freeze()
    fake_ecr.replication.delay = 60
    fake_ecr.push_image(repo, "latest")
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT), ("us-west-2", SOURCE_ACCOUNT)))
    first = ecr_client.start_replication_backfill(destination=AWAY_DESTINATION)
    assert first["status"] == "IN_PROGRESS"
    results = ecr_client.describe_replication_backfill_results(replicationBackfillId=first["replicationBackfillId"])
    assert results["status"] == "IN_PROGRESS" and "endedAt" not in results and results["results"] == []
    with pytest.raises(ClientError) as exc:
        ecr_client.start_replication_backfill(destination=AWAY_DESTINATION)
    assert _code(exc) == "ReplicationBackfillInProgressException"
    other = ecr_client.start_replication_backfill(destination={"region": "us-west-2", "registryId": SOURCE_ACCOUNT})

    stopped = ecr_client.stop_replication_backfill(replicationBackfillId=first["replicationBackfillId"])
    assert stopped["status"] == "STOPPED"
    with pytest.raises(ClientError) as exc:
        ecr_client.stop_replication_backfill(replicationBackfillId=first["replicationBackfillId"])
    assert _code(exc) == "ReplicationBackfillInvalidStatusException"
    fake_ecr.clock.advance(seconds=60)
    assert repo not in fake_ecr.registry(AWAY).repositories  # the stopped backfill copied nothing
    assert repo in fake_ecr.registry("us-west-2").repositories
    done = ecr_client.describe_replication_backfill_results(replicationBackfillId=other["replicationBackfillId"])
    assert done["status"] == "COMPLETE" and len(done["results"]) == 1
    with pytest.raises(ClientError) as exc:
        ecr_client.stop_replication_backfill(replicationBackfillId=other["replicationBackfillId"])
    assert _code(exc) == "ReplicationBackfillInvalidStatusException"
    assert _statuses(ecr_client, repo) == [{"region": "us-west-2", "registryId": SOURCE_ACCOUNT, "status": "COMPLETE"}]


@needs_backfill
def test_at_most_ten_backfills_in_progress(fake_ecr, ecr_client, repo):
    fake_ecr.push_image(repo, "latest")
    fake_ecr.replication.delay = 3600
    regions = [f"us-west-{i}" for i in range(1, 12)]
    _configure(ecr_client, _rule(*[(r, SOURCE_ACCOUNT) for r in regions]))
    for region in regions[:10]:
        ecr_client.start_replication_backfill(destination={"region": region, "registryId": SOURCE_ACCOUNT})
    with pytest.raises(ClientError) as exc:
        ecr_client.start_replication_backfill(destination={"region": regions[10], "registryId": SOURCE_ACCOUNT})
    assert _code(exc) == "LimitExceededException"


@needs_backfill
def test_unknown_backfill_ids(ecr_client):
    unknown = "00000000-0000-0000-0000-000000000000"
    for call in (ecr_client.stop_replication_backfill, ecr_client.describe_replication_backfill_results):
        with pytest.raises(ClientError) as exc:
            call(replicationBackfillId=unknown)
        assert _code(exc) == "ReplicationBackfillNotFoundException"


@needs_backfill
def test_backfills_are_listed_in_pages_and_for_90_days(fake_ecr, ecr_client):
    fake_ecr.clock.freeze()
    regions = [f"us-west-{i}" for i in range(1, 4)]
    _configure(ecr_client, _rule(*[(r, SOURCE_ACCOUNT) for r in regions]))
    ids = [
        ecr_client.start_replication_backfill(destination={"region": r, "registryId": SOURCE_ACCOUNT})[
            "replicationBackfillId"
        ]
        for r in regions
    ]
    first = ecr_client.list_replication_backfills(maxResults=2)
    second = ecr_client.list_replication_backfills(maxResults=2, nextToken=first["nextToken"])
    assert [b["replicationBackfillId"] for b in first["backfills"] + second["backfills"]] == ids
    assert "nextToken" not in second
    fake_ecr.clock.advance(days=90)
    assert ecr_client.list_replication_backfills()["backfills"] == []


def test_destination_repositories_come_from_a_replication_creation_template(fake_ecr, ecr_client, repo):
    away_client = fake_ecr.client("ecr", region=AWAY)
    away_client.create_repository_creation_template(
        prefix="ROOT", appliedFor=["REPLICATION"], imageTagMutability="IMMUTABLE"
    )
    _configure(ecr_client, _rule((AWAY, SOURCE_ACCOUNT)))
    fake_ecr.push_image(repo, "latest")
    away = away_client.describe_repositories(repositoryNames=[repo])["repositories"][0]
    assert away["imageTagMutability"] == "IMMUTABLE"
