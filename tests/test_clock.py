"""The fake's clock: frozen, advanced, set; every timestamp follows it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from fake_ecr import Clock


def test_running_clock_follows_real_time():
    clock = Clock()
    assert abs(clock.time() - time.time()) < 1
    assert not clock.frozen


def test_freeze_advance_set_unfreeze():
    clock = Clock()
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    clock.freeze(start)
    assert clock.frozen and clock.now() == start
    clock.advance(days=2, hours=3)
    assert clock.now() == start + timedelta(days=2, hours=3)
    clock.advance(timedelta(minutes=1))
    clock.advance(30)
    assert clock.now() == start + timedelta(days=2, hours=3, minutes=1, seconds=30)
    clock.set(start)
    assert clock.now() == start
    clock.unfreeze()
    assert not clock.frozen
    assert abs(clock.time() - start.timestamp()) < 1


def test_advance_while_running_adds_an_offset():
    clock = Clock()
    clock.advance(hours=5)
    assert abs(clock.time() - (time.time() + 5 * 3600)) < 1


def test_clock_refuses_naive_datetimes_and_going_back():
    clock = Clock()
    with pytest.raises(ValueError):
        clock.freeze(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_token_expiry_and_push_times_follow_the_clock(ecr_client, fake_ecr):
    fake_ecr.clock.freeze(datetime(2030, 1, 1, tzinfo=timezone.utc))
    created = ecr_client.create_repository(repositoryName="app")["repository"]["createdAt"]
    fake_ecr.clock.advance(days=1)
    expires = ecr_client.get_authorization_token()["authorizationData"][0]["expiresAt"]
    assert created == datetime(2030, 1, 1, tzinfo=timezone.utc)
    assert expires == datetime(2030, 1, 2, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "move",
    [
        lambda c: c.set(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)),
        lambda c: c.set(datetime(1, 1, 1, tzinfo=timezone.utc)),
        lambda c: c.set(-1),
        lambda c: c.set(1e300),
        lambda c: c.set(10**400),
        lambda c: c.set(float("nan")),
        lambda c: c.freeze(datetime(9999, 6, 1, tzinfo=timezone.utc)),
        lambda c: c.advance(days=3_650_000),
        lambda c: c.advance(days=999_999_999, hours=48),
        lambda c: c.advance(float("inf")),
        lambda c: c.advance(float("nan")),
    ],
)
def test_clock_refuses_moves_it_cannot_turn_into_timestamps(ecr_client, fake_ecr, move):
    """Near datetime's limits a move is refused before the clock changes (not an AWS call, so a
    fake_ecr error), and every later response still has valid timestamps."""
    from fake_ecr import ClockRangeError, FakeECRError

    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    fake_ecr.clock.freeze(start)
    with pytest.raises(ClockRangeError) as err:
        move(fake_ecr.clock)
    assert isinstance(err.value, FakeECRError) and isinstance(err.value, ValueError)
    assert "was not changed" in str(err.value)
    assert fake_ecr.clock.now() == start
    assert ecr_client.create_repository(repositoryName="app")["repository"]["createdAt"] == start


def test_the_clock_at_its_limits_still_answers(ecr_client, fake_ecr):
    EARLIEST, LATEST = Clock.EARLIEST, Clock.LATEST

    for instant in (EARLIEST, LATEST):
        fake_ecr.clock.freeze(instant)
        token = ecr_client.get_authorization_token()["authorizationData"][0]
        assert token["expiresAt"] == instant + timedelta(hours=12)
        ecr_client.describe_repositories()
    fake_ecr.clock.unfreeze()
    fake_ecr.clock.set(LATEST)
    ecr_client.describe_repositories()
