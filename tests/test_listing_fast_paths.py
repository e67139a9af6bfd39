"""The fast paths of ListImages and DescribeImages agree with plain reference listings.

The handlers build the common page (images with at most one tag; details of plain ACTIVE images)
in one comprehension or dict display and leave everything else to general code. Here both are
run over generated repositories (no, one or many tags; archived and restoring images; subjects,
artifact types, pulls; missing artifact media types), every filter and every page of a walk
through ``nextToken``, and compared with listings written row by row from the model, down to key
order, value types and the identity of cached timestamps.
"""

from __future__ import annotations

from typing import Any, Optional

from helpers import put_manifest, rows_page_reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fake_ecr
from fake_ecr.core import pagination, responses
from fake_ecr.features.images import archive, ecr_handlers
from fake_ecr.model import Image, Repository

REGION = "us-east-1"
ACCOUNT = "123456789012"
NOW = 1_700_000_000.0

# One image: its tags, whether it names a subject / has an artifactType / a config media type,
# when it was pulled (None: never), and what happened to its storage class.
_IMAGES = st.lists(
    st.fixed_dictionaries(
        {
            "tags": st.integers(0, 3),
            "subject": st.booleans(),
            "artifact_type": st.booleans(),
            "config_type": st.sampled_from(["application/vnd.oci.image.config.v1+json", None, ""]),
            "pulled": st.sampled_from([None, NOW - 50.0]),
            "storage": st.sampled_from(["active", "active", "archived", "restoring", "restored", "restore due"]),
        }
    ),
    max_size=14,
)
_FILTERS = st.sampled_from(
    [None, {}]
    + [{"tagStatus": tag} for tag in ("TAGGED", "UNTAGGED", "ANY")]
    + [{"imageStatus": status} for status in ("ACTIVE", "ARCHIVED", "ACTIVATING", "ANY")]
    + [{"tagStatus": "TAGGED", "imageStatus": "ANY"}, {"tagStatus": "UNTAGGED", "imageStatus": "ARCHIVED"}]
)


def _repository(fake: fake_ecr.FakeECR, specs: list[dict[str, Any]]) -> Repository:
    registry = fake.server.registry(REGION, ACCOUNT)
    repo = Repository(name="app", registry_id=ACCOUNT, region=REGION, created_at=0.0, seq=1)
    registry.repositories.add("app", repo, 1)
    for number, spec in enumerate(specs):
        image = Image(
            digest=f"sha256:{number:064x}",
            manifest="{}",
            manifest_media_type="application/vnd.oci.image.manifest.v1+json",
            artifact_media_type=spec["config_type"],
            size_in_bytes=1000 + number,
            pushed_at=NOW - 1000 + number,
            seq=10 + 2 * number,
            subject_digest=f"sha256:{999:064x}" if spec["subject"] else None,
            artifact_type="application/example" if spec["artifact_type"] else None,
        )
        repo.add_image(image)
        for tag in range(spec["tags"]):
            repo.tag_image(image, f"t{number}-{tag}")
        image.last_pulled_at = spec["pulled"]
        storage = spec["storage"]
        if storage != "active":
            archive.archive(repo, image, NOW - 5000)
        if storage in ("restoring", "restored", "restore due"):
            archive.start_restore(repo, image, NOW - 100 if storage == "restoring" else NOW - 4000)
        if storage == "restored":
            archive.activate(image, NOW - 2000)
    # Move one tag between images, so that tag order and an image left untagged are exercised.
    if len(specs) > 1 and specs[0]["tags"]:
        repo.tag_image(repo.images.values()[-1], "t0-0")
    return repo


def _reference_row_entries(repo: Repository, filters: Optional[dict[str, str]]) -> list[tuple[int, list[Any]]]:
    """(seq, [(image, tag or None), ...]) of every listed image, in push order."""
    filters = filters or {}
    tag_status, image_status = filters.get("tagStatus"), filters.get("imageStatus")
    entries = []
    for image in sorted(repo.images.values(), key=lambda image: image.seq):
        if tag_status == "TAGGED" and not image.tags or tag_status == "UNTAGGED" and image.tags:
            continue
        if not archive.matches(image, NOW, image_status):
            continue
        entries.append((image.seq, [(image, tag) for tag in image.tags] or [(image, None)]))
    return entries


def _reference_detail(image: Image) -> list[tuple[str, Any]]:
    """ImageDetail members in order, written member by member from the model."""
    items: list[tuple[str, Any]] = [
        ("registryId", ACCOUNT),
        ("repositoryName", "app"),
        ("imageDigest", image.digest),
        ("imageSizeInBytes", image.size_in_bytes),
        ("imagePushedAt", responses.timestamp(image.pushed_at)),
        ("imageManifestMediaType", image.manifest_media_type),
    ]
    if image.tags:
        items.append(("imageTags", list(image.tags)))
    if image.artifact_media_type:
        items.append(("artifactMediaType", image.artifact_media_type))
    if image.last_pulled_at is not None:
        items.append(("lastRecordedPullTime", responses.timestamp(image.last_pulled_at)))
    if image.subject_digest:
        items.append(("subjectManifestDigest", image.subject_digest))
    items.append(("imageStatus", archive.status(image, NOW)))
    if image.last_archived_at is not None:
        items.append(("lastArchivedAt", responses.timestamp(image.last_archived_at)))
    if image.last_activated_at is not None:
        items.append(("lastActivatedAt", responses.timestamp(image.last_activated_at)))
    return items


def _scope(operation: str, filters: Optional[dict[str, str]]) -> str:
    filters = filters or {}
    return f"{operation}:{ACCOUNT}:{REGION}:app:{filters.get('tagStatus')}:{filters.get('imageStatus')}"


def _walk(operation: str, repo: Repository, fake: fake_ecr.FakeECR, filters: Any, limit: Any, first: Any):
    """Every page of ``operation`` from the position ``first`` (None: the first page) on: yields
    (start, offset, limit, response) per page; tokens are followed as a client follows them."""
    handler = ecr_handlers.list_images if operation == "ListImages" else ecr_handlers.describe_images
    scope = _scope(operation, filters)
    token = None if first is None else pagination.encode(scope, *first)
    for _ in range(100):
        params: dict[str, Any] = {"repositoryName": "app"}
        if filters is not None:
            params["filter"] = filters
        if limit is not None:
            params["maxResults"] = limit
        if token is not None:
            params["nextToken"] = token
        start, offset = pagination.decode(token, scope)
        response = handler(fake.server.new_call("ecr", operation, REGION, now=NOW), params)
        yield start, offset, 100 if limit is None else limit, response
        token = response.get("nextToken")
        if token is None:
            return
    raise AssertionError("the pages never ended")


def _check_token(response: dict[str, Any], scope: str, expected_next: Any) -> None:
    if expected_next is None:
        assert "nextToken" not in response
    else:
        assert list(response)[-1] == "nextToken"
        assert pagination.decode(response["nextToken"], scope) == expected_next


_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(
    _IMAGES,
    _FILTERS,
    st.sampled_from([None, 1, 2, 3, 5, 100]),
    st.none() | st.tuples(st.integers(0, 40), st.integers(0, 3)),
)
def test_list_images_pages_match_a_row_by_row_listing(specs, filters, limit, first):
    fake = fake_ecr.FakeECR(account_id=ACCOUNT, region=REGION)
    repo = _repository(fake, specs)
    scope = _scope("ListImages", filters)
    for start, offset, size, response in _walk("ListImages", repo, fake, filters, limit, first):
        entries = _reference_row_entries(repo, filters)
        rows, expected_next = rows_page_reference(entries, start, offset, size)
        expected = [
            {"imageDigest": image.digest} if tag is None else {"imageDigest": image.digest, "imageTag": tag}
            for image, tag in rows
        ]
        assert [list(row.items()) for row in response["imageIds"]] == [list(row.items()) for row in expected]
        assert list(response)[0] == "imageIds"
        _check_token(response, scope, expected_next)


@_SETTINGS
@given(
    _IMAGES,
    _FILTERS,
    st.sampled_from([None, 1, 2, 3, 5, 100]),
    st.none() | st.tuples(st.integers(0, 40), st.just(0)),
)
def test_describe_images_pages_match_details_written_member_by_member(specs, filters, limit, first):
    fake = fake_ecr.FakeECR(account_id=ACCOUNT, region=REGION)
    repo = _repository(fake, specs)
    scope = _scope("DescribeImages", filters)
    for start, _, size, response in _walk("DescribeImages", repo, fake, filters, limit, first):
        entries = [(seq, [image]) for seq, rows in _reference_row_entries(repo, filters) for image, _ in rows[:1]]
        images, expected_next = rows_page_reference(entries, start, 0, size)
        details = response["imageDetails"]
        assert [list(detail.items()) for detail in details] == [_reference_detail(image) for image in images]
        for detail, image in zip(details, images):
            # The same cached datetimes botocore's parser would give, and lists of the caller's own.
            assert detail["imagePushedAt"] is responses.timestamp(image.pushed_at)
            if "imageTags" in detail:
                assert detail["imageTags"] is not image.tags
        assert list(response)[0] == "imageDetails"
        _check_token(response, scope, None if expected_next is None else (expected_next[0], 0))


def test_a_caller_changing_a_response_changes_no_state():
    fake = fake_ecr.FakeECR(account_id=ACCOUNT, region=REGION)
    spec = {"tags": 1, "subject": False, "artifact_type": False, "pulled": None, "storage": "active"}
    repo = _repository(fake, [{**spec, "config_type": "application/vnd.oci.image.config.v1+json"}])
    call = fake.server.new_call("ecr", "DescribeImages", REGION, now=NOW)
    first = ecr_handlers.describe_images(call, {"repositoryName": "app"})
    first["imageDetails"][0]["imageTags"].append("changed")
    first["imageDetails"][0]["imageStatus"] = "changed"
    again = ecr_handlers.describe_images(call, {"repositoryName": "app"})
    assert again["imageDetails"][0]["imageTags"] == ["t0-0"] and again["imageDetails"][0]["imageStatus"] == "ACTIVE"
    assert repo.images.values()[0].tags == ["t0-0"]


@_SETTINGS
@given(_IMAGES)
def test_batch_get_image_checks_the_storage_class_only_of_images_that_are_not_active(specs):
    """BatchGetImage skips the restore check for ACTIVE images; compared with checking every one."""
    fake = fake_ecr.FakeECR(account_id=ACCOUNT, region=REGION)
    repo = _repository(fake, specs)
    images = repo.images.values()
    image_ids = [{"imageDigest": image.digest} for image in images]
    expected_images, expected_failures = [], []
    for image in images:
        if archive.is_pullable(image, NOW):
            expected_images.append((image.digest, image.manifest))
        else:
            status = archive.status(image, NOW).lower()
            expected_failures.append((image.digest, f"Requested image is {status} and cannot be pulled"))
    call = fake.server.new_call("ecr", "BatchGetImage", REGION, now=NOW)
    response = ecr_handlers.batch_get_image(call, {"repositoryName": "app", "imageIds": image_ids})
    assert [(got["imageId"]["imageDigest"], got["imageManifest"]) for got in response["images"]] == expected_images
    assert [
        (failure["imageId"]["imageDigest"], failure["failureReason"]) for failure in response["failures"]
    ] == expected_failures
    assert all(image.last_pulled_at == NOW for image in images if archive.status(image, NOW) == archive.ACTIVE)


def test_a_pull_through_a_registry_without_rules_stores_no_rules():
    """The pull through cache hook returns before reading (and so creating) an empty rule set."""
    from fake_ecr.features.pull_through_cache.rules import PullThroughCacheRules

    fake = fake_ecr.FakeECR(account_id=ACCOUNT, region=REGION)
    _repository(
        fake,
        [
            {
                "tags": 1,
                "subject": False,
                "artifact_type": False,
                "config_type": None,
                "pulled": None,
                "storage": "active",
            }
        ],
    )
    call = fake.server.new_call("ecr", "BatchGetImage", REGION, now=NOW)
    response = ecr_handlers.batch_get_image(call, {"repositoryName": "app", "imageIds": [{"imageTag": "t0-0"}]})
    assert len(response["images"]) == 1 and not response["failures"]
    assert not fake.server.registry(REGION, ACCOUNT).has_state(PullThroughCacheRules)


def test_a_kept_detail_follows_the_image_through_tag_moves_pulls_and_archiving():
    """The detail an image keeps after its first listing holds only what never changes: every
    later listing still matches the member-by-member detail."""
    with fake_ecr.FakeECR(require_blobs=False) as fake:
        client = fake.client()
        client.create_repository(repositoryName="app")
        first = put_manifest(client, "app", "1", tag="v1")["imageManifest"]
        put_manifest(client, "app", "2", tag="v2")

        def check() -> list[dict[str, Any]]:
            details = client.describe_images(repositoryName="app")["imageDetails"]
            repo = fake.backend.registry(fake.account_id, fake.region).repository("app")
            call = fake.server.new_call("ecr", "DescribeImages", fake.region, now=fake.clock.now())
            expected = [ecr_handlers._image_detail(call, repo.registry_id, repo.name, i) for i in repo.images.values()]
            for detail, want in zip(details, expected):
                detail.pop("ResponseMetadata", None)
                assert list(detail.items()) == list(want.items())
            assert len(details) == len(expected)
            return details

        check()
        client.put_image(repositoryName="app", imageManifest=first, imageTag="also")  # a second tag
        assert [d.get("imageTags") for d in check()] == [["v1", "also"], ["v2"]]
        third = put_manifest(client, "app", "3", tag="v1")["imageManifest"]
        put_manifest(client, "app", "4", tag="also")  # both tags moved away: the first is untagged
        assert [d.get("imageTags") for d in check()] == [None, ["v2"], ["v1"], ["also"]]
        client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v2"}])  # a pull
        check()
        client.put_image(repositoryName="app", imageManifest=first, imageTag="back")
        assert [d.get("imageTags") for d in check()] == [["back"], ["v2"], ["v1"], ["also"]]
        client.update_image_storage_class(
            repositoryName="app", imageId={"imageTag": "v1"}, targetStorageClass="ARCHIVE"
        )
        client.put_image(repositoryName="app", imageManifest=third, imageTag="v1")  # restored by the push
        assert "lastArchivedAt" in check()[2]
