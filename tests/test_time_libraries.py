"""The fake's clock under time-machine and freezegun: it follows them, and its listeners (lifecycle
on clock change, due replications) fire when they move time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import freezegun
import time_machine

from fake_ecr import FakeECR, push_image

EXPIRE_AFTER_A_DAY = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {
                    "tagStatus": "any",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 1,
                },
                "action": {"type": "expire"},
            }
        ]
    }
)
START = datetime(2030, 1, 1, tzinfo=timezone.utc)


def _seed(fake: FakeECR) -> None:
    ecr = fake.client()
    ecr.create_repository(repositoryName="app")
    push_image(ecr, "app", "v1")
    ecr.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=EXPIRE_AFTER_A_DAY)
    fake.lifecycle_on_clock_change = True


def _images(fake: FakeECR) -> int:
    return len(fake.client().list_images(repositoryName="app")["imageIds"])


def test_time_machine_moving_time_runs_lifecycle_on_clock_change():
    with time_machine.travel(START, tick=False) as traveller, FakeECR() as fake:
        _seed(fake)
        assert fake.clock.now() == START  # the running clock follows the library
        traveller.shift(timedelta(days=2))
        assert _images(fake) == 0  # the next call noticed the jump, and lifecycle expired the image


def test_freezegun_moving_time_runs_lifecycle_on_clock_change():
    with freezegun.freeze_time(START) as frozen, FakeECR() as fake:
        _seed(fake)
        frozen.tick(timedelta(hours=1))
        assert _images(fake) == 1  # an hour: not old enough
        frozen.tick(timedelta(days=2))
        assert _images(fake) == 0


def test_small_steps_of_real_time_are_not_clock_moves():
    heard: list[float] = []
    with time_machine.travel(START, tick=False) as traveller, FakeECR() as fake:
        fake.clock.on_change(heard.append)
        fake.client().describe_repositories()
        traveller.shift(timedelta(seconds=30))
        fake.client().describe_repositories()
        assert heard == []
        traveller.shift(timedelta(minutes=5))
        fake.client().describe_repositories()
        assert len(heard) == 1
