"""The call log: bounded by ``call_log_limit``, loud when an assertion needs forgotten calls."""

from __future__ import annotations

import gc
import weakref

import pytest

from fake_ecr import FakeECR, FakeECRError, current, mock_ecr, set_defaults


def test_the_log_keeps_the_most_recent_calls_up_to_the_limit():
    with FakeECR(call_log_limit=10) as fake:
        client = fake.client()
        for i in range(40):
            client.create_repository(repositoryName=f"repo-{i:02d}")
        names = [c.params["repositoryName"] for c in fake.calls]
        assert names == [f"repo-{i:02d}" for i in range(30, 40)]
        assert fake.calls.forgotten == 30
        assert len(client.describe_repositories()["repositories"]) == 40  # state is not bounded


def test_assertions_refuse_when_the_log_forgot_calls():
    with FakeECR(call_log_limit=5) as fake:
        client = fake.client()
        for i in range(20):
            client.create_repository(repositoryName=f"repo-{i:02d}")
        for ask in (
            lambda: fake.get_calls("CreateRepository"),
            lambda: fake.call_count("CreateRepository"),
            lambda: fake.assert_called_once("CreateRepository", repositoryName="repo-00"),
            lambda: fake.assert_not_called("DeleteRepository"),
        ):
            with pytest.raises(FakeECRError, match="forgot its .* oldest calls .*call_log_limit"):
                ask()
        fake.calls.clear()  # after seeding: assertions count from here
        client.delete_repository(repositoryName="repo-00")
        fake.assert_called_once("DeleteRepository", repositoryName="repo-00")
        fake.assert_not_called("CreateRepository")


def test_the_default_limit_is_a_thousand_and_zero_keeps_every_call():
    with FakeECR() as bounded, FakeECR(call_log_limit=0) as unbounded:
        assert bounded.calls.limit == 1000
        client = unbounded.client()
        for _ in range(1200):
            client.describe_registry()
        assert unbounded.call_count("DescribeRegistry") == 1200
    with FakeECR() as fake:
        client = fake.client()
        for _ in range(1200):
            client.describe_registry()
        assert len(fake.calls) == 1000 and fake.calls.forgotten == 200


def test_the_limit_is_checked_and_takes_suite_defaults(monkeypatch):
    for bad in (-1, 2.5, "10", True):
        with pytest.raises(ValueError, match="call_log_limit"):
            FakeECR(call_log_limit=bad)  # type: ignore[arg-type]
    monkeypatch.setenv("FAKE_ECR_CALL_LOG_LIMIT", "25")
    assert FakeECR().calls.limit == 25
    monkeypatch.setenv("FAKE_ECR_CALL_LOG_LIMIT", "lots")
    with pytest.raises(ValueError, match="FAKE_ECR_CALL_LOG_LIMIT must be a whole number"):
        FakeECR()
    monkeypatch.delenv("FAKE_ECR_CALL_LOG_LIMIT")
    previous = set_defaults(call_log_limit=7)
    try:
        assert FakeECR().calls.limit == 7 and FakeECR(call_log_limit=3).calls.limit == 3
    finally:
        set_defaults(**previous)


def test_recorded_responses_leave_out_the_response_metadata():
    with FakeECR() as fake:
        returned = fake.client().create_repository(repositoryName="app")
        recorded = fake.calls[-1].response
        assert returned["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert "ResponseMetadata" not in recorded
        assert recorded == {k: v for k, v in returned.items() if k != "ResponseMetadata"}


def test_a_stopped_fake_is_freed_with_its_state():
    def run() -> weakref.ref[FakeECR]:
        fake = FakeECR().start()
        fake.client().create_repository(repositoryName="app")
        fake.stop()
        return weakref.ref(fake)

    ref = run()
    gc.collect()
    assert ref() is None


def test_a_fake_leaves_no_garbage_cycles_behind():
    """Freed by reference counting when its test ends, not by a later full garbage collection."""
    with FakeECR() as warm_up:
        warm_up.client().describe_registry()
    gc.collect()
    gc.disable()
    try:
        fake = FakeECR().start()
        fake.client().create_repository(repositoryName="app")
        fake.clock.advance(3600)
        fake.stop()
        ref = weakref.ref(fake)
        del fake
        assert ref() is None
    finally:
        gc.enable()


def test_the_decorator_keeps_the_limit_for_each_fresh_fake():
    seen = []

    @mock_ecr(call_log_limit=2)
    def decorated() -> None:
        fake = current()
        assert fake is not None
        seen.append(fake.calls.limit)

    decorated()
    decorated()
    assert seen == [2, 2]
