"""Generated repositories and policies: the preview and real expiry agree, and every rule keeps
within what the user guide allows it to do."""

from __future__ import annotations

import fnmatch
import json
from typing import Any, Optional

import pytest
from helpers import OCI_MANIFEST, index, manifest, put_manifest, sha
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_ecr import FakeECR, strategies

pytestmark = pytest.mark.slow

DAY = 86400
T0 = 1_700_000_000
NOW = T0 + 100 * DAY
TAGS = ["prod-1", "prod-2", "prod-3", "beta-1", "beta-2", "dev", "latest", "v1.0", "v2.0", "release"]
PREFIXES = ["prod", "beta", "v", "rel", "d", "prod-1"]
PATTERNS = ["prod-*", "*-1", "v*.0", "*", "b*t*", "release", "*e*"]


images_strategy = st.lists(
    st.tuples(
        st.lists(st.sampled_from(TAGS), max_size=3, unique=True),
        st.integers(0, 95),  # age in days
        st.one_of(st.none(), st.integers(0, 95)),  # days since last pull
    ),
    max_size=12,
)


@st.composite
def rule_strategy(draw: Any) -> dict[str, Any]:
    tag_status = draw(st.sampled_from(["tagged", "untagged", "any"]))
    selection: dict[str, Any] = {"tagStatus": tag_status}
    if tag_status == "tagged":
        if draw(st.booleans()):
            selection["tagPrefixList"] = draw(st.lists(st.sampled_from(PREFIXES), min_size=1, max_size=2, unique=True))
        else:
            selection["tagPatternList"] = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2, unique=True))
    count_type = draw(st.sampled_from(["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled"]))
    selection["countType"] = count_type
    if count_type == "imageCountMoreThan":
        selection["countNumber"] = draw(st.integers(1, 6))
    else:
        selection["countUnit"] = "days"
        selection["countNumber"] = draw(st.integers(1, 60))
    action = draw(st.sampled_from([{"type": "expire"}] * 3 + [{"type": "transition", "targetStorageClass": "archive"}]))
    return {"selection": selection, "action": action}


@st.composite
def policy_strategy(draw: Any) -> list[dict[str, Any]]:
    """A valid policy: unique priorities, one untagged rule at most, the ``any`` rule last."""
    rules = draw(st.lists(rule_strategy(), min_size=1, max_size=4))
    untagged = [r for r in rules if r["selection"]["tagStatus"] == "untagged"][:1]
    anys = [r for r in rules if r["selection"]["tagStatus"] == "any"][:1]
    rules = [r for r in rules if r["selection"]["tagStatus"] == "tagged"] + untagged + anys
    priorities = sorted(draw(st.lists(st.integers(1, 50), min_size=len(rules), max_size=len(rules), unique=True)))
    ordered = draw(st.permutations(rules[: len(rules) - len(anys)])) + anys
    return [dict(r, rulePriority=p) for r, p in zip(ordered, priorities)]


def _build(fake: FakeECR, images: list[tuple[list[str], int, Optional[int]]]) -> Any:
    fake.clock.freeze(T0)
    client = fake.client()
    client.create_repository(repositoryName="app")
    for n, (tags, age, _) in sorted(enumerate(images), key=lambda item: (-item[1][1], item[0])):
        fake.clock.set(NOW - age * DAY + n)
        # Bare manifests (the fakes run without_blobs) whose digests _digest(n) knows in advance.
        put_manifest(client, "app", str(n), tags[0] if tags else None)
        for tag in tags[1:]:
            put_manifest(client, "app", str(n), tag)
    for n, (_tags, age, pulled) in enumerate(images):
        if pulled is not None and pulled < age:
            fake.clock.set(NOW - pulled * DAY)
            client.batch_get_image(repositoryName="app", imageIds=[{"imageDigest": _digest(n)}])
    fake.clock.set(NOW)
    return client


def _digest(n: int) -> str:
    return sha(manifest(str(n)))


def _matches(selection: dict[str, Any], tags: list[str]) -> bool:
    status = selection["tagStatus"]
    if status == "any":
        return True
    if status == "untagged":
        return not tags
    if "tagPrefixList" in selection:
        return bool(tags) and all(any(t.startswith(p) for t in tags) for p in selection["tagPrefixList"])
    return bool(tags) and all(any(fnmatch.fnmatchcase(t, p) for t in tags) for p in selection["tagPatternList"])


def _expected(rules: list[dict[str, Any]], details: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    """The user guide's evaluation rules, stated directly: what each rule must act on."""
    claimed: set[str] = set()
    expected = []
    for rule in sorted(rules, key=lambda r: r["rulePriority"]):
        selection = rule["selection"]
        matching = sorted(
            (d for d in details if _matches(selection, d.get("imageTags", []))),
            key=lambda d: d["imagePushedAt"],
            reverse=True,
        )
        if selection["countType"] == "imageCountMoreThan":
            picked = matching[selection["countNumber"] :]
        else:

            def reference(d: dict[str, Any]) -> float:
                if selection["countType"] == "sinceImagePulled" and "lastRecordedPullTime" in d:
                    return d["lastRecordedPullTime"].timestamp()
                return d["imagePushedAt"].timestamp()

            picked = [d for d in matching if NOW - reference(d) > selection["countNumber"] * DAY]
        for detail in sorted(picked, key=lambda d: d["imagePushedAt"]):
            if detail["imageDigest"] not in claimed:
                expected.append((detail["imageDigest"], rule["rulePriority"], rule["action"]["type"].upper()))
        claimed.update(d["imageDigest"] for d in matching)
    return expected


@settings(max_examples=120, deadline=None)
@given(images=images_strategy, rules=policy_strategy(), page_size=st.integers(1, 5))
def test_preview_equals_expiry_and_rules_keep_their_limits(images, rules, page_size):
    with FakeECR(require_blobs=False) as fake:
        client = _build(fake, images)
        text = json.dumps({"rules": rules}).ljust(100)
        details = client.describe_images(repositoryName="app")["imageDetails"]

        client.start_lifecycle_policy_preview(repositoryName="app", lifecyclePolicyText=text)
        pages = client.get_paginator("get_lifecycle_policy_preview").paginate(
            repositoryName="app", PaginationConfig={"PageSize": page_size}
        )
        previewed = [
            (r["imageDigest"], r["appliedRulePriority"], r["action"]["type"])
            for page in pages
            for r in page["previewResults"]
        ]

        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)
        applied = [(a.image_digest, a.rule_priority, a.action) for a in fake.run_lifecycle()]

        # The preview is exactly what expiry then does.
        assert previewed == applied
        # ... which is what the user guide's rules say, and no image is acted on twice.
        assert applied == _expected(rules, details)
        assert len({digest for digest, _, _ in applied}) == len(applied)

        by_rule = {r["rulePriority"]: r for r in rules}
        for priority, rule in by_rule.items():
            selection = rule["selection"]
            acted = [d for d, p, _ in applied if p == priority]
            matching = [d for d in details if _matches(selection, d.get("imageTags", []))]
            if selection["countType"] == "imageCountMoreThan":
                # A count rule never takes more than the surplus, and never one of the N newest.
                assert len(acted) <= max(0, len(matching) - selection["countNumber"])
                newest = sorted(matching, key=lambda d: d["imagePushedAt"], reverse=True)
                assert not {d["imageDigest"] for d in newest[: selection["countNumber"]]} & set(acted)
            elif selection["countType"] == "sinceImagePushed":
                pushed = {d["imageDigest"]: d["imagePushedAt"].timestamp() for d in details}
                assert all(NOW - pushed[d] > selection["countNumber"] * DAY for d in acted)

        expired = {d for d, _, action in applied if action == "EXPIRE"}
        transitioned = {d for d, _, action in applied if action == "TRANSITION"}
        remaining = {
            i["imageDigest"]
            for i in client.list_images(repositoryName="app", filter={"imageStatus": "ANY"})["imageIds"]
        }
        assert remaining == {d["imageDigest"] for d in details} - expired
        repo = fake.repository("app")
        assert {d for d in remaining if repo.image(d).storage_class == "ARCHIVE"} == transitioned
        assert client.get_lifecycle_policy(repositoryName="app")["lastEvaluatedAt"].timestamp() == NOW


ARCHIVE_RULE = {
    "selection": {
        "tagStatus": "any",
        "storageClass": "archive",
        "countType": "sinceImageTransitioned",
        "countUnit": "days",
        "countNumber": 90,
    },
    "action": {"type": "expire"},
}


def signature_of(subject: str) -> dict[str, Any]:
    """The members that make an OCI manifest a signature (an artifact whose subject is ``subject``)."""
    descriptor = {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "digest": subject, "size": 1}
    return {"subject": descriptor, "artifactType": "application/vnd.example.signature"}


@settings(max_examples=80, deadline=None)
@given(
    images=images_strategy.filter(lambda images: len(images) >= 2),
    rules=policy_strategy(),
    with_archive_rule=st.booleans(),
    index_members=st.sets(st.integers(0, 11), max_size=4),
    signed=st.sets(st.integers(0, 11), max_size=4),
    archived=st.dictionaries(st.integers(0, 11), st.integers(0, 200), max_size=4),
)
def test_indexes_referrers_and_archives(images, rules, with_archive_rule, index_members, signed, archived):
    with FakeECR(require_blobs=False) as fake:
        client = _build(fake, images)
        digests = [_digest(n) for n in range(len(images))]
        children = [digests[n] for n in sorted(index_members) if n < len(images)]
        if children:
            client.put_image(
                repositoryName="app",
                imageManifest=index([manifest(str(digests.index(c))) for c in children]),
                imageTag="multi",
            )
        signatures = {
            put_manifest(client, "app", f"sig{n}", media_type=OCI_MANIFEST, extra=signature_of(digests[n]))["imageId"][
                "imageDigest"
            ]: digests[n]
            for n in signed
            if n < len(images)
        }
        repo = fake.repository("app")
        for n, days in archived.items():
            if n < len(images):
                fake.clock.set(NOW - days * DAY)  # archived that many days ago
                client.update_image_storage_class(
                    repositoryName="app", imageId={"imageDigest": digests[n]}, targetStorageClass="ARCHIVE"
                )
        fake.clock.set(NOW)
        if with_archive_rule:
            rules = rules + [dict(ARCHIVE_RULE, rulePriority=99)]
        text = json.dumps({"rules": rules}).ljust(100)
        before = {d: repo.image(d).storage_class for d in repo.images}
        archived_at = {d: repo.image(d).archived_at for d in repo.images}

        client.start_lifecycle_policy_preview(repositoryName="app", lifecyclePolicyText=text)
        pages = client.get_paginator("get_lifecycle_policy_preview").paginate(repositoryName="app")
        previewed = [
            (r["imageDigest"], r["appliedRulePriority"], r["action"]["type"])
            for page in pages
            for r in page["previewResults"]
        ]
        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)
        applied = [(a.image_digest, a.rule_priority, a.action) for a in fake.run_lifecycle()]

        assert previewed == applied
        assert len({d for d, _, _ in applied}) == len(applied)
        acted = {d: (p, action) for d, p, action in applied}
        # Images an index holds are never acted on by themselves.
        assert not set(children) & set(acted)
        # A signature goes exactly when its subject is expired, under the same rule.
        for signature, subject in signatures.items():
            if acted.get(subject, (0, ""))[1] == "EXPIRE":
                assert acted.get(signature) == acted[subject]
            else:
                assert signature not in acted
        # Rules only touch images of their storage class; archived images only expire after 90 days.
        storage = {r["rulePriority"]: r["selection"].get("storageClass", "standard") for r in rules}
        for digest, (priority, _) in acted.items():
            if digest not in signatures:
                assert before[digest] == storage[priority].upper()
                if before[digest] == "ARCHIVE":
                    assert NOW - archived_at[digest] > 90 * DAY
        expired = {d for d, (_, action) in acted.items() if action == "EXPIRE"}
        assert set(repo.images) == set(before) - expired


@settings(max_examples=60, deadline=None)
@given(
    text=strategies.lifecycle_policies(max_rules=4),
    pushes=st.lists(
        strategies.image_pushes(("docker", "oci", "oci-index")),
        max_size=6,
        unique_by=(lambda push: push.layers, lambda push: push.tag or id(push)),
    ),
    ages=st.lists(st.integers(0, 400), min_size=6, max_size=6),
)
def test_any_valid_policy_previews_what_expiry_does(text, pushes, ages):
    """Policies of every shape the user guide allows (fake_ecr.strategies), over real pushes."""
    with FakeECR() as fake:
        fake.clock.freeze(T0)
        client = fake.client()
        client.create_repository(repositoryName="app")
        for push, age in zip(pushes, ages):
            fake.clock.set(NOW - age * DAY)
            push.push(client, "app")
        fake.clock.set(NOW)
        before = {i["imageDigest"] for i in client.list_images(repositoryName="app")["imageIds"]}

        client.start_lifecycle_policy_preview(repositoryName="app", lifecyclePolicyText=text)
        pages = client.get_paginator("get_lifecycle_policy_preview").paginate(repositoryName="app")
        previewed = [
            (r["imageDigest"], r["appliedRulePriority"], r["action"]["type"])
            for page in pages
            for r in page["previewResults"]
        ]
        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)
        applied = [(a.image_digest, a.rule_priority, a.action) for a in fake.run_lifecycle()]

        assert previewed == applied
        assert len({d for d, _, _ in applied}) == len(applied)
        priorities = {rule["rulePriority"] for rule in json.loads(text)["rules"]}
        assert {p for _, p, _ in applied} <= priorities
        expired = {d for d, _, action in applied if action == "EXPIRE"}
        after = {
            i["imageDigest"]
            for i in client.list_images(repositoryName="app", filter={"imageStatus": "ANY"})["imageIds"]
        }
        assert after == before - expired
