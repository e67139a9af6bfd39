"""The call log: bounded by ``call_log_limit`` (responses by ``call_log_responses``), loud when an
assertion needs forgotten calls or responses."""

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


@pytest.fixture
def built_in_window(monkeypatch):
    """The built-in response window (this suite's conftest keeps every response)."""
    monkeypatch.delenv("FAKE_ECR_CALL_LOG_RESPONSES", raising=False)
    previous = set_defaults(call_log_responses=None)
    yield
    set_defaults(**previous)


def test_responses_are_kept_for_the_most_recent_calls_and_older_ones_say_so():
    with FakeECR(call_log_responses=3) as fake:
        client = fake.client()
        returned = [client.create_repository(repositoryName=f"repo-{i}") for i in range(5)]
        kept = fake.calls[-3:]
        for record, answer in zip(kept, returned[-3:]):
            assert record.response["repository"] == answer["repository"]
        for record in fake.calls[:2]:
            assert record.params["repositoryName"] in ("repo-0", "repo-1")  # params stay
            assert record.error is None
            with pytest.raises(
                FakeECRError,
                match="no longer keeps the response of this CreateRepository call.*last 3 calls.*call_log_responses",
            ):
                _ = record.response
        # Counting assertions read params only, so the whole log still answers them.
        fake.assert_called_once("CreateRepository", repositoryName="repo-0")
        assert fake.call_count("CreateRepository") == 5


def test_an_error_keeps_its_record_when_the_response_window_passes_it():
    with FakeECR(call_log_responses=1) as fake:
        client = fake.client()
        with pytest.raises(client.exceptions.RepositoryNotFoundException):
            client.delete_repository(repositoryName="missing")
        client.describe_registry()
        client.describe_registry()
        failed = fake.calls[0]
        assert failed.error.code == "RepositoryNotFoundException"
        with pytest.raises(FakeECRError, match="last 1 calls"):
            _ = failed.response
        assert fake.calls[-1].response["registryId"] == fake.account_id


def test_the_response_window_defaults_to_twenty_and_zero_keeps_every_response(built_in_window):
    for responses in (None, 0):
        with FakeECR(call_log_responses=responses) as fake:
            client = fake.client()
            for _ in range(150):
                client.describe_registry()
            assert len(fake.calls) == 150
            if responses is None:
                assert fake.calls.responses == 20
                assert all(c.response["registryId"] == fake.account_id for c in fake.calls[-20:])
                with pytest.raises(FakeECRError, match="last 20 calls"):
                    _ = fake.calls[-21].response
            else:
                assert all(c.response["registryId"] == fake.account_id for c in fake.calls)
    # A window no narrower than the log's limit never drops a response.
    with FakeECR(call_log_limit=5, call_log_responses=5) as fake:
        client = fake.client()
        for _ in range(12):
            client.describe_registry()
        assert [c.response["registryId"] for c in fake.calls] == [fake.account_id] * 5


@pytest.mark.parametrize("option, read", [("call_log_limit", "limit"), ("call_log_responses", "responses")])
def test_the_call_log_options_are_checked_and_take_suite_defaults(monkeypatch, built_in_window, option, read):
    variable = f"FAKE_ECR_{option.upper()}"
    for bad in (-1, 2.5, "10", True):
        with pytest.raises(ValueError, match=f"{option} must be a whole number >= 0"):
            FakeECR(**{option: bad})
    monkeypatch.setenv(variable, "25")
    assert getattr(FakeECR().calls, read) == 25
    monkeypatch.setenv(variable, "lots")
    with pytest.raises(ValueError, match=f"{variable} must be a whole number"):
        FakeECR()
    monkeypatch.delenv(variable)
    previous = set_defaults(**{option: 7})
    try:
        assert getattr(FakeECR().calls, read) == 7 and getattr(FakeECR(**{option: 3}).calls, read) == 3
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


@pytest.mark.parametrize("option, read", [("call_log_limit", "limit"), ("call_log_responses", "responses")])
def test_the_decorator_keeps_the_call_log_options_for_each_fresh_fake(option, read):
    seen = []

    @mock_ecr(**{option: 2})
    def decorated() -> None:
        fake = current()
        assert fake is not None
        seen.append(getattr(fake.calls, read))

    decorated()
    decorated()
    assert seen == [2, 2]
