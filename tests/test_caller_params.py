"""A botocore call is served from the caller's parameters, exactly as from the body they become.

botocore resolves the endpoint after the last handler that may change a call's parameters and
before it serializes them, so fake_ecr notes them there and, where serializing cannot change a
value (no blob, timestamp, float or map in the request's shape), reads them instead of parsing
the JSON body again. These tests hold that shortcut to the body: over generated parameters of
every such operation (JSON's own types and the odd ones botocore also accepts: tuples, str
subclasses, booleans for integers, nulls), whatever the shortcut accepts is, type for type, what
decoding the serialized body gives; and through real clients, with validation on and off.
"""

from __future__ import annotations

import enum
import json
from typing import Any

import botocore.config
import botocore.serialize
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_ecr.aws.json_text import parse_request_body
from fake_ecr.core.service_models import operation_model, operation_names
from fake_ecr.core.validation import caller_params_checker, decode_input  # internals under test
from fake_ecr.errors import ServiceError

_OPERATIONS = [
    (service, name)
    for service in ("ecr", "ecr-public")
    for name in operation_names(service)
    if caller_params_checker(operation_model(service, name).input_shape) is not None
]


class Text(str):
    """A str subclass, as an enum with a str mixin is: botocore accepts it, JSON writes it as str."""


class Mutability(str, enum.Enum):
    IMMUTABLE = "IMMUTABLE"


def _odd(kind: str) -> st.SearchStrategy[Any]:
    """Values of the wrong type for ``kind`` that a caller may still pass."""
    return st.sampled_from([None, True, 0, 1.5, "7", Text("app"), ("a",), {"a": 1}, b"x"]).filter(
        lambda v: not (kind == "boolean" and type(v) is bool)
    )


def _mostly(plain: st.SearchStrategy[Any], *odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``plain`` values four times in five, else one of the ``odd`` ones."""
    return st.one_of(plain, plain, plain, plain, st.one_of(*odd))


def _params(shape: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        if depth > 3:
            return st.just({})
        members = {name: _params(member, depth + 1) for name, member in shape.members.items()}
        required = {name: members.pop(name) for name in shape.required_members}
        return _mostly(st.fixed_dictionaries(required, optional=members), st.fixed_dictionaries({}), _odd(kind))
    if kind == "list":
        items = st.lists(_params(shape.member, depth + 1), max_size=3)
        return _mostly(items, items.map(tuple), _odd(kind))
    if kind == "string":
        plain = st.sampled_from(shape.enum) if shape.enum else st.sampled_from(["app", "v1", "123456789012"])
        return _mostly(plain | st.text(max_size=8), plain.map(Text), st.just("\ud800"), _odd(kind))
    if kind in ("integer", "long"):
        return _mostly(st.integers(-3, 1200), _odd(kind))
    if kind == "boolean":
        return _mostly(st.booleans(), _odd(kind))
    raise AssertionError(f"{kind} is not in a shape whose caller parameters are read")


def _typed(value: Any) -> Any:
    """``value`` with every type spelled out, so that ``Text("a")`` and ``"a"`` differ."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, value)


_SERIALIZER = botocore.serialize.create_serializer("json", include_validation=False)


@settings(deadline=None)  # an operation's first example compiles its checkers
@given(st.data())
def test_what_the_caller_params_give_is_what_the_body_gives(data):
    service, name = data.draw(st.sampled_from(_OPERATIONS))
    model = operation_model(service, name)
    params = data.draw(_params(model.input_shape))
    try:
        body = _SERIALIZER.serialize_to_request(params, model)["body"]
    except Exception:  # botocore refuses to serialize it: the call never reaches fake_ecr
        return
    try:
        expected: Any = ("ok", _typed(decode_input(model.input_shape, parse_request_body(body))))
    except (ServiceError, ValueError):
        expected = "refused"
    got = caller_params_checker(model.input_shape)(params)  # type: ignore[misc]
    if got is not None:  # None: the body is decoded instead
        assert ("ok", _typed(got)) == expected
    elif expected != "refused" and _typed(json.loads(body)) == _typed(params):
        # The body is the parameters value for value (no tuple, str subclass, dict for a list...).
        raise AssertionError(f"valid parameters that serialize as they are were left to the body: {params!r}")


def test_every_operation_without_blobs_reads_the_caller_params():
    assert ("ecr", "PutImage") in _OPERATIONS and ("ecr-public", "PutImage") in _OPERATIONS
    skipped = {(service, name) for service in ("ecr", "ecr-public") for name in operation_names(service)} - set(
        _OPERATIONS
    )
    assert skipped == {
        ("ecr", "UploadLayerPart"),
        ("ecr-public", "UploadLayerPart"),
        ("ecr-public", "CreateRepository"),  # catalogData.logoImageBlob
        ("ecr-public", "PutRepositoryCatalogData"),
    }


@pytest.fixture
def loose_client(fake_ecr):
    """A client that does not validate parameters, so odd types reach the serializer."""
    return fake_ecr.client("ecr", config=botocore.config.Config(parameter_validation=False))


def test_odd_types_are_served_and_recorded_as_the_body_has_them(fake_ecr, loose_client):
    created = loose_client.create_repository(
        repositoryName=Text("app"), imageTagMutability=Mutability.IMMUTABLE, tags=({"Key": "k", "Value": "v"},)
    )
    assert type(created["repository"]["repositoryName"]) is str
    assert type(created["repository"]["imageTagMutability"]) is str
    params = fake_ecr.calls[-1].params
    assert _typed(params) == _typed(
        {"repositoryName": "app", "imageTagMutability": "IMMUTABLE", "tags": [{"Key": "k", "Value": "v"}]}
    )
    with pytest.raises(loose_client.exceptions.ClientError) as refused:
        loose_client.describe_images(repositoryName="app", maxResults=True)
    assert refused.value.response["Error"]["Code"] == "SerializationException"


def test_the_log_keeps_its_own_copy_of_what_the_caller_passed(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="app")
    ids = [{"imageTag": "v1"}]
    ecr_client.batch_get_image(repositoryName="app", imageIds=ids)
    ids[0]["imageTag"] = "changed"
    ids.append({"imageTag": "added"})
    assert fake_ecr.calls[-1].params == {"repositoryName": "app", "imageIds": [{"imageTag": "v1"}]}


def test_a_handler_that_changes_the_params_before_they_are_built_is_heard(fake_ecr, ecr_client):
    def immutable_by_default(params: dict[str, Any], **kwargs: Any) -> None:
        params.setdefault("imageTagMutability", "IMMUTABLE")

    ecr_client.meta.events.register("before-parameter-build.ecr.CreateRepository", immutable_by_default)
    ecr_client.create_repository(repositoryName="app")
    assert fake_ecr.repository("app").tag_mutability == "IMMUTABLE"
    assert fake_ecr.calls[-1].params["imageTagMutability"] == "IMMUTABLE"
