"""The shortcuts PutImage takes agree with the plain code they stand in for.

Each test compares a fast path with a straightforward reference over generated inputs: reading a
manifest's descriptors in C against the descriptor-by-descriptor checks (same result, or the same
error for the same bad descriptor), and a repository's tagged/untagged indexes, which pushes only
touch when an image gains its first tag or loses its last, against their definition; scan on
push's early return against the rule it skips; feature state found again; the subscribers a call
reads against the wiring's list.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from helpers import model_image
from hypothesis import given
from hypothesis import strategies as st

from fake_ecr.core import hooks
from fake_ecr.errors import ServiceError
from fake_ecr.features import wiring
from fake_ecr.features.scanning import configuration as scanning_config
from fake_ecr.model import Registry, Repository, manifests
from fake_ecr.model.blobs import BlobStore
from fake_ecr.model.manifests import _checked_descriptors, _descriptors  # internals under test

GOOD_DIGEST = "sha256:" + "ab" * 32

_json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "x", GOOD_DIGEST, "sha256:" + "AB" * 32, "sha512:00", "sha256:", ":ab", "md5:zz"]),
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=4,
)
_good_descriptor = st.fixed_dictionaries(
    {"digest": st.sampled_from([GOOD_DIGEST, "sha256:" + "0" * 64, "sha512:" + "f" * 128, "x.y_z+a-b:0Af"])},
    optional={
        "size": st.one_of(st.integers(0, 10**6), st.just(manifests.MAX_SIZE)),
        "mediaType": st.one_of(st.sampled_from(["application/octet-stream", ""]), st.none()),
    },
)
_any_descriptor = st.one_of(
    _good_descriptor,
    # One field replaced by any JSON value (a wrong type, a bool size, an out of range size, ...).
    st.tuples(_good_descriptor, st.sampled_from(["digest", "size", "mediaType"]), _json_values).map(
        lambda t: {**t[0], t[1]: t[2]}
    ),
    _good_descriptor.map(lambda d: {k: v for k, v in d.items() if k != "digest"}),
    _json_values,  # not an object at all, mostly
)


def _as_parsed(value: Any) -> Any:
    """``value`` as the manifest parser sees it: through JSON text (exact types, no tuples)."""
    return json.loads(json.dumps(value))


def _outcome(read: Any, items: list[Any]) -> tuple[str, Any]:
    """("ok", what ``read`` returns) or ("error", (code, message))."""
    try:
        return "ok", read(items)
    except ServiceError as error:
        return "error", (error.code, error.message)


@given(st.lists(_any_descriptor, max_size=6).map(_as_parsed))
def test_descriptors_read_in_c_agree_with_the_checks_one_by_one(items):
    assert _outcome(_descriptors, items) == _outcome(_checked_descriptors, items)


@given(st.lists(_good_descriptor, max_size=6).map(_as_parsed))
def test_valid_descriptors_are_accepted(items):
    triples, digests, total = _descriptors(items)
    assert triples == tuple((d["digest"], d.get("size", 0), d.get("mediaType")) for d in items)
    assert digests == [d["digest"] for d in items]
    assert total == sum(d.get("size", 0) for d in items)


def _image_manifest(config: Any, layers: Any) -> str:
    return json.dumps({"schemaVersion": 2, "mediaType": manifests.DOCKER_MANIFEST, "config": config, "layers": layers})


def _parse_error(text: str) -> str:
    with pytest.raises(ServiceError) as caught:
        manifests.parse(text, None)
    return caught.value.message


def test_a_bad_config_is_reported_before_layers_that_are_not_a_list():
    good = {"digest": GOOD_DIGEST, "size": 1}
    assert "descriptor digest is missing" in _parse_error(_image_manifest({"size": 1}, {"not": "a list"}))
    assert "descriptor must be an object" in _parse_error(_image_manifest(None, "layers"))
    assert "layers must be a list" in _parse_error(_image_manifest(good, {"not": "a list"}))


def test_the_first_bad_descriptor_is_reported_config_first():
    bad_size = {"digest": GOOD_DIGEST, "size": -1}
    bad_digest = {"digest": "sha256:XYZ", "size": 1}
    assert "descriptor size" in _parse_error(_image_manifest(bad_size, [bad_digest]))
    assert "descriptor digest" in _parse_error(_image_manifest({"digest": GOOD_DIGEST}, [bad_digest, bad_size]))
    assert "descriptor size" in _parse_error(
        _image_manifest({"digest": GOOD_DIGEST}, [{"digest": GOOD_DIGEST}, bad_size])
    )


@given(_good_descriptor, st.lists(_good_descriptor, max_size=5))
def test_an_image_manifest_reports_its_config_layers_and_size(config, layers):
    text = _image_manifest(config, layers)
    expected_size = sum(d.get("size", 0) for d in [config, *layers])
    if expected_size > manifests.MAX_SIZE:
        assert "image size is out of range" in _parse_error(text)
        return
    info = manifests.parse(text, None)
    assert info.config_digest == config["digest"]
    assert info.layer_digests == tuple(d["digest"] for d in layers)
    assert info.blobs == tuple((d["digest"], d.get("size", 0), d.get("mediaType")) for d in [config, *layers])
    assert info.size_in_bytes == expected_size


def test_an_image_larger_than_int64_is_refused():
    big = {"digest": GOOD_DIGEST, "size": manifests.MAX_SIZE}
    assert "image size is out of range" in _parse_error(_image_manifest(big, [big]))


@given(st.lists(_any_descriptor, max_size=4).map(_as_parsed))
def test_an_index_lists_its_children_or_reports_the_first_bad_one(children):
    text = json.dumps({"schemaVersion": 2, "mediaType": manifests.OCI_INDEX, "manifests": children})
    kind, outcome = _outcome(_checked_descriptors, children)
    if kind == "error":
        assert _parse_error(text) == outcome[1]
    else:
        assert manifests.parse(text, None).child_digests == tuple(outcome[1])


# -- the tagged / untagged indexes ------------------------------------------------------------------

_repository_operations = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.integers(0, 5), st.one_of(st.none(), st.sampled_from("abc"))),
        st.tuples(st.just("tag"), st.integers(0, 5), st.sampled_from("abc")),
        st.tuples(st.just("untag"), st.just(0), st.sampled_from("abc")),
        st.tuples(st.just("delete"), st.integers(0, 5), st.none()),
    ),
    max_size=40,
)


@given(_repository_operations)
def test_tagged_and_untagged_indexes_match_the_images_tags(operations):
    repo = Repository(name="app", registry_id="123456789012", region="us-east-1", created_at=0.0, seq=0)
    seq = 0
    for operation, number, tag in operations:
        digest = f"sha256:{number:064x}"
        image = repo.image(digest)
        if operation == "push" and image is None:
            seq += 1
            image = model_image(seq, digest=digest, size_in_bytes=0)
            repo.add_image(image, tag)  # as a push does: straight into the index its tag picks
        elif operation == "tag" and image is not None:
            assert tag is not None
            repo.tag_image(image, tag)
        elif operation == "untag":
            assert tag is not None
            repo.untag(tag)
        elif operation == "delete" and image is not None:
            repo.delete_image(image)
        everything = sorted(repo.images.values(), key=lambda i: i.seq)
        assert repo.images.values() == everything
        assert repo.tagged.values() == [i for i in everything if i.tags]
        assert repo.untagged.values() == [i for i in everything if not i.tags]
        assert {t: i for i in everything for t in i.tags} == repo.tags


# -- push hooks with nothing to do ------------------------------------------------------------------

_scanning_rules = st.lists(
    st.fixed_dictionaries(
        {
            "scanFrequency": st.sampled_from(
                [scanning_config.SCAN_ON_PUSH, scanning_config.CONTINUOUS_SCAN, scanning_config.MANUAL]
            ),
            "repositoryFilters": st.lists(
                st.fixed_dictionaries({"filter": st.sampled_from(["app", "a*", "*", "other"])}), max_size=2
            ),
        }
    ),
    max_size=3,
    unique_by=lambda rule: rule["scanFrequency"],
)


@given(st.booleans(), st.sampled_from([scanning_config.BASIC, scanning_config.ENHANCED]), _scanning_rules)
def test_scan_on_push_returns_early_only_where_no_rule_scans_on_push(flag, scan_type, rules):
    registry = Registry("123456789012", "us-east-1")
    registry.state(scanning_config.ScanningConfiguration).config = {"scanType": scan_type, "rules": rules}
    repo = Repository(
        name="app", registry_id="123456789012", region="us-east-1", created_at=0.0, seq=0, scan_on_push=flag
    )
    returns_early = not repo.scan_on_push and not scanning_config.configuration(registry)["rules"]
    if returns_early:
        assert not scanning_config.applied_rule(registry, repo).scan_on_push


def test_feature_state_is_made_once_and_found_again():
    class Kind:
        made = 0

        def __init__(self) -> None:
            Kind.made += 1

    registry = Registry("123456789012", "us-east-1")
    assert not registry.has_state(Kind)
    first = registry.state(Kind)
    assert registry.has_state(Kind) and registry.state(Kind) is first and Kind.made == 1
    assert not registry.has_state(BlobStore)
    assert registry.state(BlobStore) is registry.state(BlobStore)


def test_calls_read_the_same_subscribers_the_wiring_lists():
    wired = wiring()
    for hook in hooks.ALL:
        assert wired.by_hook.get(hook, ()) == wired.subscribers(hook)
        assert list(wired.subscribers(hook)) == [
            s.function for feature in wired.features for s in feature.subscriptions if s.hook is hook
        ]
