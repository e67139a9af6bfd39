"""The shortcuts of the small handlers agree with the plain code they stand in for.

Each test compares a fast path with a straightforward reference over generated inputs: feature
state read through the shared empty mapping; a repository's ARN and URI built from one cached
partition lookup against ``partitions.arn``/``registry_host``; tag mutability settings parsed
without a comprehension over an absent list; and the set-up of ListImages/DescribeImages in one
call against the helpers it replaces.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import pytest
from helpers import model_image
from hypothesis import given
from hypothesis import strategies as st

from fake_ecr.aws import partitions
from fake_ecr.core import pagination
from fake_ecr.core.call import Call, Settings
from fake_ecr.core.wiring import Wiring
from fake_ecr.errors import ServiceError
from fake_ecr.features.images import archive
from fake_ecr.features.images.ecr_handlers import _listing, _scope  # internals under test
from fake_ecr.features.repositories.settings import mutability_settings
from fake_ecr.model import Backend, Image, Repository
from fake_ecr.model.feature_state import _NO_STATE
from fake_ecr.model.repository import IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION

REGIONS = ["us-east-1", "eu-west-1", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-iso-east-1", "xx-nowhere-9"]


# -- feature state ------------------------------------------------------------------------------


class _StateA:
    def __init__(self) -> None:
        self.n = 0


class _StateB:
    pass


def test_feature_state_starts_empty_and_is_never_shared():
    first = Repository(name="a", registry_id="111122223333", region="us-east-1", created_at=0.0, seq=1)
    second = Repository(name="b", registry_id="111122223333", region="us-east-1", created_at=0.0, seq=2)
    assert not first.has_state(_StateA) and not second.has_state(_StateA)
    made = first.state(_StateA)
    assert first.state(_StateA) is made  # found again, not made again
    assert first.has_state(_StateA) and not first.has_state(_StateB)
    assert not second.has_state(_StateA)  # the other object still reads the shared empty mapping
    assert len(_NO_STATE) == 0
    assert "_feature_state" not in vars(second)
    second.state(_StateB)
    assert second.has_state(_StateB) and not second.has_state(_StateA)
    assert first.state(_StateA) is made


# -- repository ARN and URI ---------------------------------------------------------------------


@given(
    region=st.one_of(st.sampled_from(REGIONS), st.from_regex(r"\A[a-z]{2}(-[a-z]{2,5})?-[a-z]{3,9}-[0-9]\Z")),
    registry_id=st.from_regex(r"\A[0-9]{12}\Z"),
    name=st.from_regex(r"\A[a-z0-9]+([._/-][a-z0-9]+){0,3}\Z"),
)
def test_repository_arn_and_uri_match_the_partition_helpers(region: str, registry_id: str, name: str):
    repo = Repository(name=name, registry_id=registry_id, region=region, created_at=0.0, seq=1)
    assert repo.arn == partitions.arn("ecr", region, registry_id, f"repository/{name}")
    assert repo.uri == f"{partitions.registry_host(registry_id, region)}/{name}"
    found = partitions._find(region)  # the cached answers are the partition data's
    assert partitions.partition(region) == (found.name if found else "aws")
    assert partitions.dns_suffix(region) == (found.dns_suffix if found else "amazonaws.com")


# -- tag mutability settings ----------------------------------------------------------------------


def _reference_mutability(params: dict[str, Any]) -> tuple[str, list[str]]:
    mode = params.get("imageTagMutability") or "MUTABLE"
    filters = [f["filter"] for f in params.get("imageTagMutabilityExclusionFilters") or []]
    exclusion_modes = (IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION)
    if (mode in exclusion_modes) != bool(filters):
        raise ServiceError("InvalidParameterException", "")
    return mode, filters


@given(
    mode=st.sampled_from([None, "", "MUTABLE", "IMMUTABLE", IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]),
    filters=st.one_of(
        st.none(),
        st.just("absent"),
        st.lists(st.fixed_dictionaries({"filterType": st.just("WILDCARD"), "filter": st.text(max_size=4)}), max_size=3),
    ),
)
def test_mutability_settings_match_the_reference(mode: Optional[str], filters: Any):
    params: dict[str, Any] = {}
    if mode is not None:
        params["imageTagMutability"] = mode
    if filters != "absent":
        params["imageTagMutabilityExclusionFilters"] = filters
    try:
        expected: Any = _reference_mutability(params)
    except ServiceError as err:
        expected = err.code
    try:
        got: Any = mutability_settings(params)
    except ServiceError as err:
        got = err.code
    assert got == expected
    if not isinstance(got, str):
        assert type(got[1]) is list


# -- the set-up of a listing ----------------------------------------------------------------------


def _reference_listing(
    operation: str, call: Call, repo: Repository, params: dict[str, Any]
) -> tuple[Any, Optional[Callable[[Image], bool]], int, int, Any, Any]:
    """The set-up as the handlers did it, one helper each."""
    filters = params.get("filter")
    status, image_status = (filters.get("tagStatus"), filters.get("imageStatus")) if filters else (None, None)
    start, offset = pagination.decode(params.get("nextToken"), _scope(operation, call, repo, status, image_status))
    keep = archive.listing_filter(repo, call.now, image_status)
    return repo.by_status(status), keep, start, offset, status, image_status


def _image(seq: int, status: str) -> Image:
    image = model_image(seq)
    image.status = status
    return image


def _outcome(run: Callable[[], Any]) -> Any:
    try:
        return run()
    except ServiceError as err:
        return ("error", err.code, err.message)


@pytest.mark.parametrize("operation", ["ListImages", "DescribeImages"])
@given(
    filters=st.one_of(
        st.none(),
        st.just({}),
        st.fixed_dictionaries(
            {},
            optional={
                "tagStatus": st.sampled_from(["TAGGED", "UNTAGGED", "ANY"]),
                "imageStatus": st.sampled_from(["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"]),
            },
        ),
    ),
    archived_ever=st.booleans(),
    token=st.one_of(
        st.none(),
        st.just("not a token"),
        st.tuples(st.integers(0, 50), st.integers(0, 3), st.booleans()),
    ),
)
def test_listing_set_up_matches_the_helpers(operation: str, filters: Any, archived_ever: bool, token: Any):
    backend = Backend()
    call = Call(backend, Settings("111122223333", "us-east-1"), Wiring(()), "ecr", operation, "us-east-1", 100.0)
    repo = Repository(name="app", registry_id="111122223333", region="us-east-1", created_at=0.0, seq=1)
    images = [_image(seq, status) for seq, status in enumerate(archive.STATUSES * 2, start=2)]
    if archived_ever:
        repo.state(archive.LeftActive)
    params: dict[str, Any] = {}
    if filters is not None:
        params["filter"] = filters
    if isinstance(token, tuple):
        # A token for this very listing, or for another operation (refused alike by both).
        seq, offset, same = token
        status = filters.get("tagStatus") if filters else None
        image_status = filters.get("imageStatus") if filters else None
        params["nextToken"] = pagination.encode(
            _scope(operation if same else "Other", call, repo, status, image_status), seq, offset
        )
    elif token is not None:
        params["nextToken"] = token

    expected = _outcome(lambda: _reference_listing(operation, call, repo, params))
    got = _outcome(lambda: _listing(operation, call, repo, params))
    if expected[0] == "error":
        assert got == expected
        return
    index, keep, *rest = got
    ref_index, ref_keep, *ref_rest = expected
    assert index is ref_index
    assert rest == ref_rest
    assert (keep is None) == (ref_keep is None)
    if keep is not None and ref_keep is not None:
        assert [keep(i) for i in images] == [ref_keep(i) for i in images]


# -- CreateRepository without tags or encryption settings -------------------------------------------

_TAGS = [None, [], [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}], [{"Key": "aws:x", "Value": "v"}]]
_ENCRYPTION = [
    None,
    {"encryptionType": "AES256"},
    {"encryptionType": "KMS"},
    {"encryptionType": "KMS", "kmsKey": "k"},
]


@pytest.mark.parametrize("tags", _TAGS)
@pytest.mark.parametrize("encryption", _ENCRYPTION)
def test_create_repository_without_settings_matches_the_helpers(ecr_client, tags: Any, encryption: Any):
    """The created repository has the tags and encryption the helpers give for the same request
    (an absent or empty ``tags``/``encryptionConfiguration`` skips them)."""
    from fake_ecr.features.repositories import resource_tags
    from fake_ecr.features.repositories.settings import encryption_for

    params: dict[str, Any] = {"repositoryName": "app"}
    if tags is not None:
        params["tags"] = tags
    if encryption is not None:
        params["encryptionConfiguration"] = encryption
    call = Call(
        Backend(), Settings("123456789012", "us-east-1"), Wiring(()), "ecr", "CreateRepository", "us-east-1", 0.0
    )
    try:
        expected_tags = resource_tags.parse_tag_list(tags or [])
        expected_encryption = encryption_for(call, "123456789012", encryption)
    except ServiceError as err:
        with pytest.raises(ecr_client.exceptions.ClientError) as raised:
            ecr_client.create_repository(**params)
        assert raised.value.response["Error"]["Code"] == err.code
        return
    repository = ecr_client.create_repository(**params)["repository"]
    assert repository["encryptionConfiguration"] == expected_encryption
    listed = ecr_client.list_tags_for_resource(resourceArn=repository["repositoryArn"])["tags"]
    assert {t["Key"]: t["Value"] for t in listed} == expected_tags


# -- OrderedIndex.add ------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.integers(0, 20)), max_size=12, unique_by=lambda e: e[1]))
def test_ordered_index_add_matches_a_sorted_reference(entries: list[tuple[str, int]]):
    """Sequence numbers are unique (as the backend's are); a key added again keeps its place."""
    from fake_ecr.model.ordered import OrderedIndex

    index: OrderedIndex[str, int] = OrderedIndex()
    reference: dict[str, tuple[int, int]] = {}  # key -> (seq, value)
    for n, (key, seq) in enumerate(entries):
        index.add(key, n, seq)
        reference[key] = (reference[key][0] if key in reference else seq, n)
    ordered = sorted(reference.items(), key=lambda kv: kv[1][0])
    assert index.values() == [value for _, (_, value) in ordered]
    assert all(index.get(k) == v for k, (_, v) in reference.items())


def test_ordered_index_add_checks_the_value_s_own_seq():
    from fake_ecr.model.ordered import OrderedIndex

    index: OrderedIndex[str, Image] = OrderedIndex(lambda image: image.seq)
    index.add("a", _image(3, "ACTIVE"), 3)
    with pytest.raises(ValueError):
        index.add("b", _image(4, "ACTIVE"), 5)
    assert "b" not in index and len(index) == 1
    assert index.remove("a") is not None and len(index) == 0


# -- push hooks of features never configured ------------------------------------------------------


def test_push_hooks_skip_only_what_an_unconfigured_registry_would_answer():
    """The replication, scanning and signing push hooks return early when their registry holds
    no state of theirs; reading that state (as they did) would give no rules and no signing
    configuration, which is what made them return."""
    from fake_ecr.features.replication.configuration import ReplicationConfiguration, destinations_for
    from fake_ecr.features.scanning import configuration as scanning_config
    from fake_ecr.features.signing import signatures
    from fake_ecr.model import Registry

    registry = Registry("111122223333", "us-east-1")
    kinds = (ReplicationConfiguration, scanning_config.ScanningConfiguration, signatures.SigningConfiguration)
    assert not any(registry.has_state(kind) for kind in kinds)
    assert destinations_for(registry, "app") == []
    assert scanning_config.configuration(registry)["rules"] == []
    assert signatures.configuration(registry) is None


def test_push_with_nothing_configured_then_configured(fake_ecr, ecr_client):
    """End to end: a push with nothing configured starts nothing; once replication and
    scan-on-push rules exist, the next push uses them."""
    ecr_client.create_repository(repositoryName="app")
    fake_ecr.push_image("app", "one", layers=[b"one"])
    detail = ecr_client.describe_images(repositoryName="app")["imageDetails"][0]
    assert "imageScanStatus" not in detail
    status = ecr_client.describe_image_replication_status(repositoryName="app", imageId={"imageTag": "one"})
    assert status["replicationStatuses"] == []
    ecr_client.put_registry_scanning_configuration(
        scanType="BASIC",
        rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}],
    )
    account = detail["registryId"]
    ecr_client.put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": "eu-west-1", "registryId": account}]}]}
    )
    fake_ecr.push_image("app", "two", layers=[b"two"])
    detail = ecr_client.describe_images(repositoryName="app", imageIds=[{"imageTag": "two"}])["imageDetails"][0]
    assert "imageScanStatus" in detail
    status = ecr_client.describe_image_replication_status(repositoryName="app", imageId={"imageTag": "two"})
    assert [s["region"] for s in status["replicationStatuses"]] == ["eu-west-1"]


def test_create_repository_without_mutability_members_is_what_mutability_settings_answers(ecr_client):
    assert mutability_settings({}) == ("MUTABLE", [])
    plain = ecr_client.create_repository(repositoryName="plain")["repository"]
    explicit = ecr_client.create_repository(repositoryName="explicit", imageTagMutability="MUTABLE")["repository"]
    for key in ("repositoryArn", "repositoryName", "repositoryUri", "createdAt"):
        plain.pop(key), explicit.pop(key)
    assert plain == explicit


@given(
    exclusions=st.one_of(st.none(), st.lists(st.text(max_size=3), max_size=2)),
    encryption=st.one_of(st.none(), st.just({}), st.just({"encryptionType": "KMS", "kmsKey": "k"})),
    tags=st.one_of(st.none(), st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2)),
)
def test_repository_settings_are_fresh_copies(exclusions: Any, encryption: Any, tags: Any):
    """What a repository keeps equals ``list(x or [])``/``dict(x or default)`` and is its own."""
    make = lambda n: Repository(  # noqa: E731
        name=f"r{n}",
        registry_id="111122223333",
        region="us-east-1",
        created_at=0.0,
        seq=n,
        mutability_exclusions=exclusions,
        encryption=encryption,
        resource_tags=tags,
    )
    first, second = make(1), make(2)
    assert first.mutability_exclusions == list(exclusions or [])
    assert first.encryption == dict(encryption or {"encryptionType": "AES256"})
    assert first.resource_tags == dict(tags or {})
    for attribute, given_value in (
        ("mutability_exclusions", exclusions),
        ("encryption", encryption),
        ("resource_tags", tags),
    ):
        mine, other = getattr(first, attribute), getattr(second, attribute)
        assert mine is not given_value and mine is not other
