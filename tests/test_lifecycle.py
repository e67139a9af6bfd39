"""Lifecycle policies: storing them, previewing them and applying them for real."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest
from botocore.exceptions import ClientError

from fake_ecr import push_image

T0 = 1_700_000_000


def rule(
    priority: int,
    tag_status: str = "untagged",
    count_type: str = "imageCountMoreThan",
    number: int = 1,
    action: str = "expire",
    **selection: Any,
) -> dict[str, Any]:
    chosen: dict[str, Any] = {"tagStatus": tag_status, "countType": count_type, "countNumber": number}
    if count_type != "imageCountMoreThan":
        chosen["countUnit"] = "days"
    chosen.update(selection)
    act: dict[str, Any] = {"type": action}
    if action == "transition":
        act["targetStorageClass"] = "archive"
    return {"rulePriority": priority, "selection": chosen, "action": act}


def policy(*rules: dict[str, Any]) -> str:
    return json.dumps({"rules": list(rules)}).ljust(100)


def listed(client: Any, repo: str = "app", status: str = "ANY") -> set[str]:
    rows = client.list_images(repositoryName=repo, filter={"imageStatus": status})["imageIds"]
    return {i["imageDigest"] for i in rows}


def preview(client: Any, text: Optional[str] = None, repo: str = "app") -> list[dict[str, Any]]:
    params: dict[str, Any] = {"repositoryName": repo}
    if text is not None:
        params["lifecyclePolicyText"] = text
    client.start_lifecycle_policy_preview(**params)
    pages = client.get_paginator("get_lifecycle_policy_preview").paginate(repositoryName=repo)
    return [r for page in pages for r in page["previewResults"]]


@pytest.fixture
def clock(fake_ecr):
    fake_ecr.clock.freeze(T0)
    return fake_ecr.clock


# -- Put / Get / Delete -----------------------------------------------------------------------------


def test_delete_of_a_never_evaluated_policy_reports_epoch_zero(ecr_client, repo):
    # aws-cli's delete-lifecycle-policy example: "lastEvaluatedAt": 0.0
    # (awscli/examples/ecr/delete-lifecycle-policy.rst).
    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    deleted = ecr_client.delete_lifecycle_policy(repositoryName=repo)
    assert deleted["lastEvaluatedAt"].timestamp() == 0


def test_put_get_delete_lifecycle_policy(ecr_client, repo, fake_ecr, clock):
    text = policy(rule(1))
    put = ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=text)
    assert put["registryId"] == "123456789012" and put["repositoryName"] == repo
    assert json.loads(put["lifecyclePolicyText"]) == json.loads(text)
    assert "lastEvaluatedAt" not in put

    got = ecr_client.get_lifecycle_policy(repositoryName=repo)
    assert got["lifecyclePolicyText"] == put["lifecyclePolicyText"]
    # Never evaluated yet: epoch 0, as in aws-cli's delete-lifecycle-policy example
    # (awscli/examples/ecr/delete-lifecycle-policy.rst: "lastEvaluatedAt": 0.0); the API reference
    # lists lastEvaluatedAt in both responses (API_GetLifecyclePolicy.html, API_DeleteLifecyclePolicy.html).
    assert got["lastEvaluatedAt"].timestamp() == 0

    clock.advance(hours=3)
    fake_ecr.run_lifecycle()
    got = ecr_client.get_lifecycle_policy(repositoryName=repo)
    assert got["lastEvaluatedAt"].timestamp() == T0 + 3 * 3600

    deleted = ecr_client.delete_lifecycle_policy(repositoryName=repo)
    assert deleted["lifecyclePolicyText"] == put["lifecyclePolicyText"]
    assert deleted["lastEvaluatedAt"].timestamp() == T0 + 3 * 3600
    with pytest.raises(ClientError) as exc:
        ecr_client.get_lifecycle_policy(repositoryName=repo)
    assert exc.value.response["Error"] == {
        "Code": "LifecyclePolicyNotFoundException",
        "Message": "Lifecycle policy does not exist for the repository with name 'app' in the registry with id "
        "'123456789012'",
    }


def test_delete_without_policy(ecr_client, repo):
    with pytest.raises(ecr_client.exceptions.LifecyclePolicyNotFoundException):
        ecr_client.delete_lifecycle_policy(repositoryName=repo)


def test_unknown_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.put_lifecycle_policy(repositoryName="nope", lifecyclePolicyText=policy(rule(1)))
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.start_lifecycle_policy_preview(repositoryName="nope")


# -- evaluation semantics ------------------------------------------------------------------------------


def test_image_count_keeps_the_newest(ecr_client, repo, fake_ecr, clock):
    digests = []
    for i in range(5):
        digests.append(push_image(ecr_client, repo, f"v{i}"))
        clock.advance(minutes=1)
    text = policy(rule(1, "tagged", number=2, tagPrefixList=["v"]))
    results = preview(ecr_client, text)
    assert [r["imageDigest"] for r in results] == digests[:3]  # oldest first
    assert {r["appliedRulePriority"] for r in results} == {1}
    assert results[0]["imageTags"] == ["v0"] and results[0]["action"] == {"type": "EXPIRE"}
    assert results[0]["imagePushedAt"].timestamp() == T0
    assert results[0]["storageClass"] == "STANDARD"

    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=text)
    actions = fake_ecr.run_lifecycle()
    assert [a.image_digest for a in actions] == digests[:3]
    assert actions[0].image_tags == ["v0"] and actions[0].action == "EXPIRE" and actions[0].rule_priority == 1
    assert listed(ecr_client) == set(digests[3:])


def test_since_image_pushed_uses_the_fake_clock(ecr_client, repo, fake_ecr, clock):
    old = push_image(ecr_client, repo)
    clock.advance(days=10)
    young = push_image(ecr_client, repo)
    ecr_client.put_lifecycle_policy(
        repositoryName=repo, lifecyclePolicyText=policy(rule(1, count_type="sinceImagePushed", number=7))
    )
    assert [a.image_digest for a in fake_ecr.run_lifecycle()] == [old]
    clock.advance(days=7)
    assert fake_ecr.run_lifecycle() == []  # exactly 7 days is not older than 7 days
    clock.advance(seconds=1)
    assert [a.image_digest for a in fake_ecr.run_lifecycle()] == [young]
    assert listed(ecr_client) == set()


def test_since_image_pulled_counts_from_the_last_pull(ecr_client, repo, fake_ecr, clock):
    pulled = push_image(ecr_client, repo, "pulled")
    never = push_image(ecr_client, repo, "never")
    clock.advance(days=20)
    ecr_client.batch_get_image(repositoryName=repo, imageIds=[{"imageTag": "pulled"}])
    clock.advance(days=15)
    text = policy(rule(1, "any", count_type="sinceImagePulled", number=30))
    assert [r["imageDigest"] for r in preview(ecr_client, text)] == [never]
    assert pulled in listed(ecr_client)


def test_documented_example_a_only_the_oldest_goes(ecr_client, repo, clock):
    # User guide, "Applying a lifecycle policy to multiple rules", example A.
    a = push_image(ecr_client, repo, "beta-1", layers=[b"A"])
    push_image(ecr_client, repo, "prod-1", layers=[b"A"])  # the same image, tagged again
    clock.advance(minutes=1)
    push_image(ecr_client, repo, "beta-2", layers=[b"B"])
    push_image(ecr_client, repo, "prod-2", layers=[b"B"])  # the same image, tagged again
    clock.advance(minutes=1)
    push_image(ecr_client, repo, "beta-3")
    text = policy(rule(1, "tagged", tagPrefixList=["prod"]), rule(2, "tagged", tagPrefixList=["beta"]))
    results = preview(ecr_client, text)
    assert [(r["imageDigest"], r["appliedRulePriority"]) for r in results] == [(a, 1)]


def test_documented_example_b_swapped_priorities_expire_two(ecr_client, repo, clock):
    a = push_image(ecr_client, repo, "beta-1", layers=[b"A"])
    push_image(ecr_client, repo, "prod-1", layers=[b"A"])  # the same image, tagged again
    clock.advance(minutes=1)
    b = push_image(ecr_client, repo, "beta-2", layers=[b"B"])
    push_image(ecr_client, repo, "prod-2", layers=[b"B"])  # the same image, tagged again
    clock.advance(minutes=1)
    push_image(ecr_client, repo, "beta-3")
    text = policy(rule(1, "tagged", tagPrefixList=["beta"]), rule(2, "tagged", tagPrefixList=["prod"]))
    assert [(r["imageDigest"], r["appliedRulePriority"]) for r in preview(ecr_client, text)] == [(a, 1), (b, 1)]


def test_image_matching_an_earlier_rule_is_safe_from_later_ones(ecr_client, repo, clock):
    kept = push_image(ecr_client, repo, "prod-1")
    clock.advance(days=60)
    text = policy(
        rule(1, "tagged", number=5, tagPatternList=["prod-*"]), rule(2, "any", count_type="sinceImagePushed", number=30)
    )
    assert preview(ecr_client, text) == []
    assert kept in listed(ecr_client)


def test_tag_patterns_need_every_pattern_to_match(ecr_client, repo, clock):
    both = push_image(ecr_client, repo, "release-1", layers=[b"both"])
    push_image(ecr_client, repo, "stable", layers=[b"both"])  # the same image, tagged again
    push_image(ecr_client, repo, "release-2")
    clock.advance(days=2)
    text = policy(rule(1, "tagged", count_type="sinceImagePushed", number=1, tagPatternList=["release-*", "sta*e"]))
    assert [r["imageDigest"] for r in preview(ecr_client, text)] == [both]


def test_images_in_an_index_are_not_expired_but_the_index_can_be(ecr_client, repo, fake_ecr, clock):
    loose = push_image(ecr_client, repo)
    idx = push_image(ecr_client, repo, "multi", media_type="oci-index", platforms=["linux/amd64", "linux/arm64"])
    index_manifest = json.loads(fake_ecr.repository(repo).image(idx).manifest)
    child_digests = [m["digest"] for m in index_manifest["manifests"]]
    assert listed(ecr_client) == {loose, idx, *child_digests}
    clock.advance(days=3)
    ecr_client.put_lifecycle_policy(
        repositoryName=repo,
        lifecyclePolicyText=policy(
            rule(1, count_type="sinceImagePushed", number=1), rule(2, "any", count_type="sinceImagePushed", number=30)
        ),
    )
    assert [a.image_digest for a in fake_ecr.run_lifecycle()] == [loose]
    assert listed(ecr_client) == set(child_digests) | {idx}


def test_referrers_expire_with_their_subject(ecr_client, repo, fake_ecr, clock):
    subject = push_image(ecr_client, repo, "v1")
    signature = push_image(ecr_client, repo, artifact_type="application/vnd.cncf.notary.signature", subject=subject)
    clock.advance(days=10)
    keeper = push_image(ecr_client, repo, "v2")
    text = policy(rule(1, "tagged", number=1, tagPrefixList=["v"]))
    results = preview(ecr_client, text)
    assert [(r["imageDigest"], r["appliedRulePriority"]) for r in results] == [(subject, 1), (signature, 1)]
    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=text)
    fake_ecr.run_lifecycle()
    assert listed(ecr_client) == {keeper}


def test_before_delete_veto_is_respected_by_preview_and_expiry(ecr_client, repo, fake_ecr, clock):
    # Internal on purpose: a subscriber is added to the before_delete hook, which only the wiring can do.
    from fake_ecr.core import hooks
    from fake_ecr.core.wiring import Feature, Wiring, on
    from fake_ecr.features import FEATURES

    protected = push_image(ecr_client, repo)
    clock.advance(minutes=1)
    push_image(ecr_client, repo)

    def keep_protected(call, r, image):
        return "ImageReferencedByManifestList" if image.digest == protected else None

    veto = Feature("veto", "keeps one image", subscriptions=[on(hooks.BEFORE_DELETE, keep_protected)])
    fake_ecr.server.wiring = Wiring(FEATURES + (veto,))
    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=policy(rule(1, number=1)))
    assert preview(ecr_client) == []
    assert fake_ecr.run_lifecycle() == []
    assert protected in listed(ecr_client)


def test_transition_archives_and_archive_rules_expire_later(ecr_client, repo, fake_ecr, clock):
    old = push_image(ecr_client, repo, "old")
    clock.advance(days=40)
    fresh = push_image(ecr_client, repo, "fresh")
    text = policy(
        rule(1, "any", count_type="sinceImagePushed", number=30, action="transition"),
        rule(2, "any", count_type="sinceImageTransitioned", number=90, storageClass="archive"),
    )
    ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=text)
    got = ecr_client.get_lifecycle_policy_preview(repositoryName=repo)
    assert got["previewResults"][0]["action"] == {"type": "TRANSITION", "targetStorageClass": "ARCHIVE"}
    assert got["summary"] == {
        "expiringImageTotalCount": 0,
        "transitioningImageTotalCounts": [{"targetStorageClass": "ARCHIVE", "imageTotalCount": 1}],
    }
    ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=text)
    assert [(a.image_digest, a.action) for a in fake_ecr.run_lifecycle()] == [(old, "TRANSITION")]
    image = fake_ecr.repository(repo).image(old)
    assert image.storage_class == "ARCHIVE" and image.archived_at == T0 + 40 * 86400
    assert listed(ecr_client) == {old, fresh}  # archived images are still there,
    assert listed(ecr_client, status="ACTIVE") == {fresh}  # but not among the active ones
    clock.advance(days=89)
    # fresh is now old enough to archive; old has been archived for 89 days: too soon to expire.
    assert [(a.image_digest, a.action) for a in fake_ecr.run_lifecycle()] == [(fresh, "TRANSITION")]
    clock.advance(days=2)
    assert [(a.image_digest, a.action, a.rule_priority) for a in fake_ecr.run_lifecycle()] == [(old, "EXPIRE", 2)]
    assert listed(ecr_client) == {fresh}


# -- preview operation -------------------------------------------------------------------------------


def test_preview_uses_the_saved_policy_and_needs_one(ecr_client, repo):
    with pytest.raises(ClientError) as exc:
        ecr_client.start_lifecycle_policy_preview(repositoryName=repo)
    assert exc.value.response["Error"]["Code"] == "LifecyclePolicyNotFoundException"
    saved = ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    started = ecr_client.start_lifecycle_policy_preview(repositoryName=repo)
    assert started["status"] == "IN_PROGRESS"
    assert started["lifecyclePolicyText"] == saved["lifecyclePolicyText"]


def test_preview_never_started(ecr_client, repo):
    with pytest.raises(ClientError) as exc:
        ecr_client.get_lifecycle_policy_preview(repositoryName=repo)
    assert exc.value.response["Error"] == {
        "Code": "LifecyclePolicyPreviewNotFoundException",
        "Message": "Lifecycle policy preview does not exist for the repository with name 'app' in the registry "
        "with id '123456789012'",
    }


def test_second_start_while_in_progress_is_refused(ecr_client, repo):
    ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    with pytest.raises(ClientError) as exc:
        ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    assert exc.value.response["Error"] == {
        "Code": "LifecyclePolicyPreviewInProgressException",
        "Message": "The previous lifecycle policy preview request has not completed. Wait and try again.",
    }
    assert ecr_client.get_lifecycle_policy_preview(repositoryName=repo)["status"] == "COMPLETE"
    ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))


def test_waiter_completes_without_sleeping(ecr_client, repo, monkeypatch):
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail("the waiter slept"))
    ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    ecr_client.get_waiter("lifecycle_policy_preview_complete").wait(repositoryName=repo)


def test_preview_is_a_snapshot_and_does_not_delete(ecr_client, repo, clock):
    first = push_image(ecr_client, repo)
    clock.advance(minutes=1)
    push_image(ecr_client, repo)
    assert [r["imageDigest"] for r in preview(ecr_client, policy(rule(1)))] == [first]
    push_image(ecr_client, repo)
    got = ecr_client.get_lifecycle_policy_preview(repositoryName=repo)
    assert [r["imageDigest"] for r in got["previewResults"]] == [first]
    assert got["summary"] == {"expiringImageTotalCount": 1}
    assert first in listed(ecr_client)


def test_preview_pagination_filter_and_image_ids(ecr_client, repo, clock):
    tagged, untagged = [], []
    for i in range(4):
        tagged.append(push_image(ecr_client, repo, f"t{i}"))
        untagged.append(push_image(ecr_client, repo))
        clock.advance(days=1)
    clock.advance(days=10)
    ecr_client.start_lifecycle_policy_preview(
        repositoryName=repo, lifecyclePolicyText=policy(rule(1, "any", count_type="sinceImagePushed", number=1))
    )
    first = ecr_client.get_lifecycle_policy_preview(repositoryName=repo, maxResults=3)
    assert len(first["previewResults"]) == 3 and first["summary"] == {"expiringImageTotalCount": 8}
    rest = ecr_client.get_lifecycle_policy_preview(repositoryName=repo, maxResults=100, nextToken=first["nextToken"])
    assert "nextToken" not in rest
    everything = [r["imageDigest"] for r in first["previewResults"] + rest["previewResults"]]
    assert sorted(everything) == sorted(tagged + untagged)

    only_tagged = ecr_client.get_lifecycle_policy_preview(repositoryName=repo, filter={"tagStatus": "TAGGED"})
    assert {r["imageDigest"] for r in only_tagged["previewResults"]} == set(tagged)
    only_untagged = ecr_client.get_lifecycle_policy_preview(repositoryName=repo, filter={"tagStatus": "UNTAGGED"})
    assert {r["imageDigest"] for r in only_untagged["previewResults"]} == set(untagged)

    by_id = ecr_client.get_lifecycle_policy_preview(
        repositoryName=repo, imageIds=[{"imageTag": "t2"}, {"imageDigest": untagged[0]}]
    )
    assert {r["imageDigest"] for r in by_id["previewResults"]} == {tagged[2], untagged[0]}


def test_preview_max_results_limit_and_bad_token(ecr_client, repo):
    ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=policy(rule(1)))
    with pytest.raises(ClientError) as exc:
        ecr_client.get_lifecycle_policy_preview(repositoryName=repo, maxResults=101)
    assert exc.value.response["Error"]["Code"] == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        ecr_client.get_lifecycle_policy_preview(repositoryName=repo, nextToken="garbage")
    assert exc.value.response["Error"]["Code"] == "InvalidParameterException"


# -- real expiry from the controller -----------------------------------------------------------------


def test_run_lifecycle_by_region(fake_ecr, clock):
    east, west = fake_ecr.client(region="us-east-1"), fake_ecr.client(region="us-west-2")
    for client in (east, west):
        client.create_repository(repositoryName="app")
        push_image(client, "app")
        clock.advance(minutes=1)
        push_image(client, "app")
        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=policy(rule(1)))
    assert [a.region for a in fake_ecr.run_lifecycle(region="us-west-2")] == ["us-west-2"]
    assert len(listed(east)) == 2 and len(listed(west)) == 1
    assert [a.region for a in fake_ecr.run_lifecycle()] == ["us-east-1"]


def test_lifecycle_can_run_whenever_the_clock_moves(ecr_client, repo, fake_ecr, clock):
    push_image(ecr_client, repo)
    ecr_client.put_lifecycle_policy(
        repositoryName=repo, lifecyclePolicyText=policy(rule(1, count_type="sinceImagePushed", number=1))
    )
    clock.advance(days=2)
    assert len(listed(ecr_client)) == 1  # off by default
    fake_ecr.lifecycle_on_clock_change = True
    clock.advance(seconds=1)
    assert listed(ecr_client) == set()


def test_repositories_without_policy_are_untouched(ecr_client, repo, fake_ecr, clock):
    push_image(ecr_client, repo)
    clock.advance(days=400)
    assert fake_ecr.run_lifecycle() == []
    assert len(listed(ecr_client)) == 1
