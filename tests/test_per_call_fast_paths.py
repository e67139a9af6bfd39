"""The shortcuts a served call takes agree with the general code they stand in for.

Each test compares a fast path with a plain reference over generated inputs: the call log's
skipped blob walk (every input shape of both services), the timestamp cache, the ordered index's
page loop, the row pager, the listing filter that is skipped until an image is archived, the
one-step request body reader and the request decoder bound once per operation.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any, Optional

import pytest
from botocore.model import Shape
from botocore.utils import parse_timestamp
from helpers import model_image, rows_page_reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_ecr.core import pagination, responses
from fake_ecr.core.recording import RecordedCall, without_blobs
from fake_ecr.core.service_models import operation_model, operation_names
from fake_ecr.core.validation import may_hold_blobs
from fake_ecr.features.images import archive
from fake_ecr.model import Repository
from fake_ecr.model.ordered import OrderedIndex

SERVICES = ("ecr", "ecr-public")


def _operations() -> list[tuple[str, str]]:
    return [(service, name) for service in SERVICES for name in operation_names(service)]


def _values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Decoded request values for ``shape``, as a handler receives them (blobs as bytes)."""
    kind = shape.type_name
    if kind == "blob":
        return st.binary(max_size=8)
    if depth > 6:
        return st.none()
    if kind == "structure":
        members = {name: _values(member, depth + 1) for name, member in shape.members.items()}
        return st.fixed_dictionaries({}, optional=members)
    if kind == "list":
        return st.lists(_values(shape.member, depth + 1), max_size=2)
    if kind == "map":
        return st.dictionaries(st.text(max_size=3), _values(shape.value, depth + 1), max_size=2)
    if kind in ("integer", "long"):
        return st.integers(0, 10)
    if kind == "boolean":
        return st.booleans()
    if kind in ("float", "double", "timestamp"):
        return st.floats(0, 10)
    return st.text(max_size=5)


@pytest.mark.parametrize("service, operation", _operations())
def test_the_call_log_skips_the_blob_walk_only_for_requests_that_cannot_hold_bytes(service, operation):
    shape = operation_model(service, operation).input_shape

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_values(shape) if shape is not None else st.just({}))
    def check(params: dict[str, Any]) -> None:
        walked = RecordedCall(service, operation, "us-east-1", params, None, None)
        skipped = RecordedCall(service, operation, "us-east-1", params, None, None, may_hold_blobs(shape))
        assert skipped.params == walked.params
        if not may_hold_blobs(shape):
            assert without_blobs(params) is params  # nothing to summarize: no bytes anywhere

    check()


def test_blob_requests_are_known_to_hold_blobs():
    assert may_hold_blobs(operation_model("ecr", "UploadLayerPart").input_shape)
    assert may_hold_blobs(operation_model("ecr-public", "PutRepositoryCatalogData").input_shape)
    assert not may_hold_blobs(operation_model("ecr", "DescribeImages").input_shape)
    assert not may_hold_blobs(None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-6e10, 2.5e11), min_size=1, max_size=20), st.integers(1, 4))
def test_cached_timestamps_are_botocores(epochs, cache_size):
    cache = responses._Timestamps()
    cache.MAX_SIZE = cache_size  # a tiny cache: clearing when full is exercised too
    for epoch in epochs + epochs:  # the second pass reads what the first one cached
        ours, theirs = cache[epoch], parse_timestamp(epoch)
        assert isinstance(ours, datetime)
        assert (ours.timestamp(), ours.isoformat(), type(ours.tzinfo)) == (
            theirs.timestamp(),
            theirs.isoformat(),
            type(theirs.tzinfo),
        )
        assert len(cache) <= cache_size
    assert responses.timestamp(1.7e9) == parse_timestamp(1.7e9)


def _reference_page(entries: list[tuple[int, int]], start: int, limit: int, keep: Any) -> tuple[list[int], Any]:
    kept = [(seq, value) for seq, value in sorted(entries) if seq >= start and (keep is None or keep(value))]
    values = [value for _, value in kept[:limit]]
    return values, kept[limit][0] if len(kept) > limit else None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 60), unique=True, max_size=30),
    st.integers(0, 65),
    st.integers(0, 12),
    st.sampled_from([None, 2, 3]),
)
def test_ordered_index_pages_match_a_sorted_list(seqs, start, limit, modulus):
    index: OrderedIndex[str, int] = OrderedIndex()
    for seq in seqs:
        index.add(f"k{seq}", seq * 7, seq)
    keep = None if modulus is None else (lambda value: value % modulus == 0)
    assert index.page(start, limit, keep) == _reference_page([(s, s * 7) for s in seqs], start, limit, keep)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.integers(0, 4), max_size=12),
    st.integers(0, 13),
    st.integers(0, 4),
    st.integers(1, 9),
)
def test_row_pages_match_row_by_row_paging(row_counts, start, offset, limit):
    entries = [(seq, [f"{seq}.{n}" for n in range(count)]) for seq, count in enumerate(row_counts)]
    token = pagination.encode("scope", start, offset) if (start or offset) else None
    params = {"maxResults": limit, "nextToken": token}
    rows, next_token = pagination.page_of_rows(
        lambda first: ((seq, rows) for seq, rows in entries if seq >= first), params, "scope"
    )
    expected, expected_next = rows_page_reference(entries, start, offset, limit)
    assert rows == expected
    assert (None if next_token is None else pagination.decode(next_token, "scope")) == expected_next


_STEPS = st.lists(st.tuples(st.sampled_from(["archive", "restore", "push again", "wait"]), st.integers(0, 4)))


@settings(max_examples=300, deadline=None)
@given(_STEPS)
def test_the_listing_filter_is_skipped_only_while_every_image_is_active(steps):
    repo = Repository(name="r", registry_id="123456789012", region="us-east-1", created_at=0.0, seq=1)
    for seq in range(5):
        repo.add_image(model_image(seq, manifest_media_type="m"))
    images = repo.images.values()
    now = 1000.0
    for action, which in steps:
        image = images[which]
        if action == "archive" and archive.status(image, now) == archive.ACTIVE:
            archive.archive(repo, image, now)
        elif action == "restore" and archive.status(image, now) == archive.ARCHIVED:
            archive.start_restore(repo, image, now)
        elif action == "push again" and archive.status(image, now) != archive.ACTIVE:
            archive.activate(image, now)
        now += archive.RESTORE_SECONDS / 2 if action == "wait" else 1
        for wanted in (None, archive.ACTIVE, archive.ARCHIVED, archive.ACTIVATING, archive.ANY):
            keep: Optional[Any] = archive.listing_filter(repo, now, wanted)
            for candidate in images:
                expected = archive.matches(candidate, now, wanted)
                assert (True if keep is None else keep(candidate)) == expected


def test_blobs_are_summarized_in_the_call_log():
    data = base64.b64decode(base64.b64encode(b"layer bytes"))
    recorded = RecordedCall("ecr", "UploadLayerPart", "us-east-1", {"layerPartBlob": data}, None, None, True)
    assert recorded.params["layerPartBlob"] == data and not isinstance(recorded.params["layerPartBlob"], bytes)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def _outcome(read: Any, text: Any, error: type[Exception]) -> Any:
    """``("ok", value)`` or ``("error", message)``: what reading ``text`` gives."""
    try:
        return ("ok", read(text))
    except error as exc:
        return ("error", str(exc))


@settings(max_examples=300)
@given(
    _json_values,
    st.sampled_from(["", " ", "\n", "\t "]),
    st.sampled_from(["", " ", "\r\n", "x", "{}", ","]),
    st.booleans(),
)
def test_request_bodies_read_as_the_json_decoder_reads_them(value, before, after, compact):
    """The direct scan of a request body (aws.json_text) against ``json.JSONDecoder.decode``."""
    import json

    from fake_ecr.aws.json_text import JSONTextError, parse_json

    separators = (",", ":") if compact else None
    text = before + json.dumps(value, separators=separators) + after
    assert _outcome(parse_json, text, JSONTextError) == _outcome(json.loads, text, ValueError)


@settings(max_examples=300)
@given(
    _json_values,
    st.sampled_from(["", " ", "\n"]),
    st.sampled_from(["", " ", "x", ","]),
    st.sampled_from(["", "[" * 130, "\udcff", "NaN", "1e999"]),
)
def test_request_bodies_read_in_one_step_as_parse_json_reads_them(value, before, after, odd):
    """``parse_request_body`` (the serving core's body reader) against ``parse_json``, on bytes
    as botocore sends them, and on bodies that are not UTF-8, too deep or not JSON."""
    import json

    from fake_ecr.aws.json_text import JSONTextError, parse_json, parse_request_body

    text = before + json.dumps(value, separators=(",", ":")) + after
    for body in (text.encode("utf-8", "surrogatepass"), (odd + text).encode("utf-8", "surrogateescape")):
        expected = _outcome(lambda b: parse_json(b) if b else {}, body, JSONTextError)
        assert _outcome(parse_request_body, body, JSONTextError) == expected


def _wire_values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Wire request values for ``shape``: mostly well formed, sometimes of the wrong type."""
    wrong = st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.just([]) | st.just({})
    kind = shape.type_name
    if depth > 6:
        return st.none()
    if kind == "structure":
        members = {name: _wire_values(member, depth + 1) for name, member in shape.members.items()}
        right: st.SearchStrategy[Any] = st.fixed_dictionaries({}, optional=members)
    elif kind == "list":
        right = st.lists(_wire_values(shape.member, depth + 1), max_size=2)
    elif kind == "map":
        right = st.dictionaries(st.text(max_size=3), _wire_values(shape.value, depth + 1), max_size=2)
    elif kind == "blob":
        right = st.binary(max_size=4).map(lambda b: base64.b64encode(b).decode())
    elif kind in ("integer", "long"):
        right = st.integers(-2, 1200)
    elif kind == "boolean":
        right = st.booleans()
    elif kind in ("float", "double", "timestamp"):
        right = st.floats(0, 10)
    elif shape.enum:
        right = st.sampled_from(list(shape.enum))
    else:
        right = st.text(max_size=5) | st.text(alphabet="abc-/_.", min_size=2, max_size=12)
    return st.one_of(right, right, right, wrong)


@pytest.mark.parametrize("service, operation", _operations())
@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_request_decoders_bound_per_operation_decode_as_decode_input(service, operation, data):
    """The decoder the serving core binds once per operation (``request_decoder``, which tries
    the compiled checker first) against the interpreting decoder alone: the same parameters, in
    the same order, or the same error, for every operation."""
    from fake_ecr.core import validation
    from fake_ecr.core.validation import request_decoder
    from fake_ecr.errors import ServiceError

    def interpreted(wire: Any) -> Any:
        if shape is None:
            return {}
        if not isinstance(wire, dict):
            raise validation._serialization_error("request", "a JSON object")
        return validation._decode_structure(shape, wire, "")

    shape = operation_model(service, operation).input_shape
    wire = data.draw(_wire_values(shape) if shape is not None else st.just({}))

    def outcome(decode: Any) -> Any:
        try:
            params = decode(wire)
        except ServiceError as exc:
            return ("error", exc.code, exc.message)
        return ("ok", params, repr(params))  # repr: the members' order too

    assert outcome(request_decoder(shape)) == outcome(interpreted)


def test_request_ids_made_in_batches_are_unique_uuids_across_threads():
    """Request ids come ready-made, 256 at a time: across batches and threads none repeats and
    each has AWS's UUID form."""
    import re
    import threading

    seen: list[str] = []

    def take() -> None:
        seen.extend(responses.request_id() for _ in range(3000))

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == len(seen) == 18000
    form = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    assert all(form.fullmatch(rid) for rid in seen)


def test_strings_that_matched_a_pattern_are_remembered_up_to_a_bound():
    """The request checker remembers strings that matched a member's pattern (names repeat from
    call to call); a string that does not match is refused every time, and the memory is bounded."""
    from fake_ecr.core import validation
    from fake_ecr.errors import ServiceError

    decode = validation.request_decoder(operation_model("ecr", "ListImages").input_shape)
    pattern = operation_model("ecr", "ListImages").input_shape.members["repositoryName"].metadata["pattern"]
    validation._MATCHED[pattern].clear()  # other tests of this process may have filled it
    assert decode({"repositoryName": "team/app"}) == {"repositoryName": "team/app"}
    assert "team/app" in validation._MATCHED[pattern]
    for _ in range(2):
        with pytest.raises(ServiceError, match="regular expression"):
            decode({"repositoryName": "Team/App"})
    assert "Team/App" not in validation._MATCHED[pattern]
    for i in range(validation._MATCHED_KEPT + 10):
        decode({"repositoryName": f"n{i}"})
    assert len(validation._MATCHED[pattern]) == validation._MATCHED_KEPT
    assert decode({"repositoryName": f"n{validation._MATCHED_KEPT + 5}"})  # matched, not kept: still served
