"""Assertion helpers over the call log, and faulted attempts recorded with their parameters."""

from __future__ import annotations

import pytest


def test_assert_called_and_counts(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="one")
    ecr_client.create_repository(repositoryName="two")
    assert fake_ecr.call_count("CreateRepository") == 2
    assert fake_ecr.call_count("CreateRepository", repositoryName="one") == 1
    found = fake_ecr.assert_called("CreateRepository", repositoryName="two")
    assert [c.params["repositoryName"] for c in found] == ["two"]
    assert fake_ecr.assert_called_once("CreateRepository", repositoryName="one").response["repository"]
    fake_ecr.assert_not_called("DeleteRepository")
    fake_ecr.assert_called("CreateRepository", times=2)


def test_failure_messages_show_the_closest_recorded_calls(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="team/app")
    with pytest.raises(AssertionError) as missing:
        fake_ecr.assert_called("CreateRepository", repositoryName="team/ap")
    assert "closest recorded: CreateRepository(repositoryName='team/app')" in str(missing.value)
    with pytest.raises(AssertionError) as never:
        fake_ecr.assert_called_once("PutImage", repositoryName="team/app")
    assert "no PutImage was recorded (recorded: CreateRepository)" in str(never.value)
    with pytest.raises(AssertionError) as unexpected:
        fake_ecr.assert_not_called("CreateRepository")
    assert "found 1: CreateRepository(repositoryName='team/app')" in str(unexpected.value)


def test_faulted_attempts_are_recorded_with_their_parameters(fake_ecr):
    fake_ecr.faults.fail_next("CreateRepository", "ThrottlingException", count=1)
    fake_ecr.client().create_repository(repositoryName="retried")  # botocore's retry absorbs the fault
    attempts = fake_ecr.get_calls("CreateRepository", repositoryName="retried")
    assert [getattr(c.error, "code", None) for c in attempts] == ["ThrottlingException", None]
    assert fake_ecr.call_count("CreateRepository", repositoryName="retried") == 2
