"""Round-trip a parsed response through the wire to check it is exactly what botocore would return.

For a response fake_ecr produced, serialize it to the JSON wire form by the operation's output
shape (timestamps to epoch numbers, blobs to base64), run botocore's own JSON parser on that, and
compare value by value *and type by type* (tz classes included). Members that are not in the
output shape vanish in the round trip, so they are caught too.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import botocore.parsers
from botocore.model import OperationModel

# Internal on purpose: this check exercises fake_ecr's own wire serializer against botocore's parser.
from fake_ecr.core.service_models import operation_model
from fake_ecr.core.wire import to_wire


def assert_same(ours: Any, theirs: Any, path: str = "") -> None:
    assert type(ours) is type(theirs), f"{path}: {type(ours).__name__} != {type(theirs).__name__}"
    if isinstance(ours, dict):
        assert ours.keys() == theirs.keys(), f"{path}: keys {sorted(ours)} != {sorted(theirs)}"
        for key in ours:
            assert_same(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(ours, list):
        assert len(ours) == len(theirs), f"{path}: lengths differ"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(ours, datetime):
        assert ours == theirs and type(ours.tzinfo) is type(theirs.tzinfo), f"{path}: {ours!r} != {theirs!r}"
    else:
        assert ours == theirs, f"{path}: {ours!r} != {theirs!r}"


def check_response(service: str, operation: str, parsed: dict[str, Any]) -> None:
    """Assert ``parsed`` equals botocore's parse of its own wire form."""
    model: OperationModel = operation_model(service, operation)
    if "Error" in parsed:
        return  # errors are produced by botocore's parser itself
    wire_body = to_wire(model.output_shape, parsed) if model.output_shape is not None else {}
    meta = parsed.get("ResponseMetadata") or {  # calls answered on the endpoint path carry none
        "RequestId": "r",
        "HTTPStatusCode": 200,
        "HTTPHeaders": {"x-amzn-requestid": "r"},
    }
    response = {
        "status_code": meta["HTTPStatusCode"],
        "headers": meta["HTTPHeaders"],
        "body": json.dumps(wire_body).encode(),
    }
    theirs = botocore.parsers.create_parser("json").parse(response, model.output_shape)
    theirs_meta = theirs.pop("ResponseMetadata")
    ours = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    assert_same(ours, theirs, operation)
    assert theirs_meta["RequestId"] == meta["RequestId"]
    assert theirs_meta["HTTPStatusCode"] == meta["HTTPStatusCode"]
