"""The round-trip check itself must be able to fail; and a fixed set of calls passes it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from fidelity import check_response

from fake_ecr import FakeECRInternalError


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


@pytest.mark.parametrize("epoch", [0.0, 1.5e9, 1.7e9 + 0.123456, 1711846800.0, 1730595600.5])
def test_timestamps_are_exactly_what_botocores_parser_makes(epoch):
    from botocore.utils import parse_timestamp

    from fake_ecr.core.responses import timestamp  # internal on purpose: the subject is its timestamp builder

    ours, theirs = timestamp(epoch), parse_timestamp(epoch)
    assert ours == theirs and type(ours.tzinfo) is type(theirs.tzinfo)
    assert ours.isoformat() == theirs.isoformat() and ours.utcoffset() == theirs.utcoffset()


def test_timestamps_are_exact_in_a_zone_with_daylight_saving(monkeypatch):
    import time

    from botocore.utils import parse_timestamp

    from fake_ecr.core import responses as _responses  # internal on purpose: its fast timestamp path

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        _responses._tzinfo.cache_clear()
        assert _responses._fast_is_exact()
        for epoch in (1711846800.0 - 1, 1711846800.0, 1729990800.0 - 1, 1729990800.0, 1729990800.0 + 1800):
            ours, theirs = _responses._fast(epoch), parse_timestamp(epoch)
            # (Aware datetimes in a repeated hour never compare equal across tzinfo instances,
            # botocore's own included; compare what they are instead.)
            assert (ours.timestamp(), ours.fold, ours.isoformat()) == (
                theirs.timestamp(),
                theirs.fold,
                theirs.isoformat(),
            )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
        _responses._tzinfo.cache_clear()
