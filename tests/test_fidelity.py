"""The round-trip check itself must be able to fail; and a fixed set of calls passes it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from fake_ecr import FakeECRInternalError
from fidelity import check_response


def ok(body):
    meta = {"RequestId": "r", "HTTPStatusCode": 200, "HTTPHeaders": {"x-amzn-requestid": "r"}, "RetryAttempts": 0}
    return {**body, "ResponseMetadata": meta}


@pytest.mark.parametrize(
    "body",
    [
        {"repository": {"createdAt": datetime(2026, 1, 1, tzinfo=timezone.utc)}},  # wrong tz class
        {"repository": {"imageScanningConfiguration": {"scanOnPush": 1}}},  # int for bool
        {"repository": {"notAMember": "x"}},
        {"repository": {"imageTagMutability": "SOMETIMES"}},
    ],
)
def test_mismatches_are_caught(body):
    with pytest.raises((AssertionError, FakeECRInternalError)):
        check_response("ecr", "CreateRepository", ok(body))


def test_a_real_response_passes(ecr_client):
    response = ecr_client.create_repository(repositoryName="app")
    check_response("ecr", "CreateRepository", response)
