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
