"""Property-based fuzzing of every implemented operation from the service models' shapes.

For random inputs (valid, boundary and invalid) every call must either return a response that
conforms exactly to the output shape, or raise one of the operation's modeled errors (or
botocore's own ParamValidationError). Never an internal error, never anything else.

Run longer with:  HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_operations.py
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import botocore.config
import botocore.session
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import OperationModel, Shape
from fidelity import check_response
from helpers import manifest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_ecr import FakeECR, implemented_operations

pytestmark = pytest.mark.slow

settings.register_profile(
    "ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "long", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Values that reach deep into the handlers: names and ids of the state every example starts from.
KNOWN = {
    "repositoryName": ["app", "team/web"],
    "registryId": ["123456789012"],
    "imageTag": ["v1", "latest"],
    "resourceArn": [
        "arn:aws:ecr:us-east-1:123456789012:repository/app",
        "arn:aws:ecr-public::123456789012:repository/app",
    ],
    "imageManifest": [manifest("fuzz"), manifest("fuzz2", media_type=None)],
}
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)

# Members whose text AWS parses as JSON. Besides ordinary strings they get hostile documents.
JSON_TEXT_MEMBERS = frozenset(
    {"policyText", "lifecyclePolicyText", "imageManifest", "repositoryPolicy", "lifecyclePolicy"}
)
_LIFECYCLE = (
    '{"rules":[{"rulePriority":%s,"selection":{"tagStatus":"untagged","countType":'
    '"imageCountMoreThan","countNumber":%s},"action":{"type":"expire"}}]}'
)
_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":%s,"Effect":"Allow","Principal":"*",'
    '"Action":["ecr:BatchGetImage"],"Condition":%s}]}'
)
_MANIFEST = (
    '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
    '"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,'
    '"digest":"sha256:%s"},"layers":%s}'
)
_ODD_SCALARS = st.sampled_from(
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "1" * 5000,
        "9" * 400,
        "-0",
        "1.0",
        "9223372036854775808",
        "-9223372036854775809",
        '"\\ud800"',
        '"\\udfff\\ud800"',
        '"\ud800"',
        "null",
    ]
)


def _nested(depth: int, inner: str, kind: str) -> str:
    if kind == "array":
        return "[" * depth + inner + "]" * depth
    return '{"a":' * depth + inner + "}" * depth


def _json_documents() -> st.SearchStrategy[str]:
    """Deep, odd and duplicate-keyed JSON: alone, and inside otherwise valid documents."""
    scalar = (
        _ODD_SCALARS | st.integers().map(str) | st.text(max_size=8).map(lambda t: json.dumps(t, ensure_ascii=False))
    )
    deep = st.builds(_nested, st.integers(1, 3000), scalar | st.just(""), st.sampled_from(["array", "object"]))
    surrogate = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=3)
    loose = st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=6),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
        max_leaves=12,
    ).map(json.dumps)  # json.dumps writes NaN and Infinity literals for non-finite floats
    value = scalar | deep | loose
    return st.one_of(
        deep,
        loose,
        scalar,
        st.builds(lambda a, b: _LIFECYCLE % (a, b), value, value),
        st.builds(lambda a, b: _POLICY % (a, b), value, value),
        st.builds(lambda a, b: _MANIFEST % (a, "0" * 64, b), value, value | st.just("[]")),
        # Duplicate keys: the last one wins in Jackson and Python alike.
        st.builds(lambda a: '{"rules":[],"rules":' + a + "}", value),
        st.builds(
            lambda a: (_MANIFEST % ("1", "c" * 64, "[]")).replace(
                '{"schemaVersion":2,', '{"schemaVersion":2,"mediaType":' + a + ",", 1
            ),
            value,
        ),
        st.builds(
            lambda t, s: t[: len(t) // 2] + s + t[len(t) // 2 :],
            st.sampled_from([_LIFECYCLE % (1, 1), _POLICY % ('"s"', "{}"), _MANIFEST % (1, "d" * 64, "[]")]),
            surrogate,
        ),
    )


JSON_DOCUMENTS = _json_documents()


def _string(shape: Shape, name: str) -> st.SearchStrategy[str]:
    meta = shape.metadata
    options: list[st.SearchStrategy[str]] = [TEXT]
    if shape.enum:
        options.append(st.sampled_from(shape.enum))
    pattern = meta.get("pattern")
    if pattern:
        try:
            re.compile(pattern)
            options.append(st.from_regex(pattern, fullmatch=True).filter(lambda s: len(s) <= 300))
        except re.error:
            pass
    low, high = meta.get("min", 0), meta.get("max")
    for size in {low, max(low - 1, 0), *([high, high + 1] if high is not None and high <= 1024 else [])}:
        options.append(st.just("a" * size))
    if name in KNOWN:
        options.append(st.sampled_from(KNOWN[name]))
        options.append(st.sampled_from(KNOWN[name]))
    if name in JSON_TEXT_MEMBERS:
        options.extend([JSON_DOCUMENTS] * 4)
    return st.one_of(options)


def _number(shape: Shape) -> st.SearchStrategy[int]:
    meta = shape.metadata
    low, high = meta.get("min", -5), meta.get("max", 10**6)
    return st.one_of(st.integers(low, min(high, low + 200)), st.sampled_from([low - 1, low, high, high + 1]))


def strategy(shape: Shape, name: str = "", depth: int = 0) -> st.SearchStrategy[Any]:
    kind = shape.type_name
    if kind == "structure":
        if depth > 4:
            return st.just({})
        members = shape.members
        required = {m: strategy(members[m], m, depth + 1) for m in shape.required_members}
        optional = {m: strategy(s, m, depth + 1) for m, s in members.items() if m not in required}
        return st.fixed_dictionaries(required, optional=optional)
    if kind == "list":
        high = min(shape.metadata.get("max", 5), 5)
        return st.lists(strategy(shape.member, name, depth + 1), max_size=high + (1 if high < 5 else 0))
    if kind == "map":
        return st.dictionaries(TEXT, strategy(shape.value, name, depth + 1), max_size=3)
    if kind == "string":
        return _string(shape, name)
    if kind in ("integer", "long"):
        return _number(shape)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.binary(max_size=64)
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(__import__("datetime").timezone.utc))
    if kind in ("float", "double"):
        return st.floats(allow_nan=False, allow_infinity=False)
    raise AssertionError(f"no strategy for {kind}")


def modeled_codes(model: OperationModel) -> set[str]:
    codes = {"ServerException"}
    for shape in model.error_shapes:
        codes.add(shape.metadata.get("error", {}).get("code", shape.name))
    return codes


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


OPERATIONS = [(s, op) for s in ("ecr", "ecr-public") for op in implemented_operations(s)]


def seed(fake: FakeECR, service: str) -> Any:
    """A client with some state to find: repositories ``app`` and ``team/web`` with an image."""
    client = fake.client(service, config=botocore.config.Config(parameter_validation=False))
    if service == "ecr":
        for name in ("app", "team/web"):
            client.create_repository(repositoryName=name)
        client.put_image(repositoryName="app", imageManifest=manifest("fuzz"), imageTag="v1")
    fake.calls.clear()
    return client


@pytest.mark.parametrize("service, operation", OPERATIONS)
def test_every_call_answers_with_its_shape_or_a_modeled_error(service, operation):
    model = botocore.session.get_session().get_service_model(service).operation_model(operation)
    method = snake(operation)
    codes = modeled_codes(model)
    inputs = strategy(model.input_shape) if model.input_shape is not None else st.just({})

    @given(params=inputs)
    def check(params: dict[str, Any]) -> None:
        with FakeECR(strict=False, require_blobs=False) as fake:
            client = seed(fake, service)
            try:
                response = getattr(client, method)(**params)
            except ParamValidationError:
                return
            except ClientError as err:
                code = err.response["Error"]["Code"]
                assert code in codes, f"{operation} raised unmodeled {code}: {err}"
                return
            check_response(service, operation, response)

    check()
