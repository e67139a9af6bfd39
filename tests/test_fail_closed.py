"""Fail closed: under the pytest plugin an ECR call that no fake serves raises NoActiveFake, never reaches AWS."""

from __future__ import annotations

import socket
import threading
import unittest

import boto3
import pytest

import fake_ecr
from fake_ecr import FakeECR, FakeECRError, NoActiveFake
from fake_ecr.core import interception


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[tuple] = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise OSError("fake_ecr tests never open sockets")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "getaddrinfo", record)
    return attempts


def _client(service: str = "ecr"):
    return boto3.Session().client(service, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")


def test_the_plugin_blocks_real_calls():
    assert interception.real_calls_blocked()


def test_a_call_with_no_fake_raises_naming_the_call(no_network):
    for service, call in (("ecr", "describe_repositories"), ("ecr-public", "describe_registries")):
        with pytest.raises(NoActiveFake) as raised:
            getattr(_client(service), call)()
        assert isinstance(raised.value, FakeECRError)
        assert raised.value.service == service
        assert raised.value.operation in str(raised.value)
        assert "fake_ecr_real_aws" in str(raised.value)
    assert no_network == []


def test_before_the_fake_starts_and_after_it_stops(no_network):
    client = _client()
    with pytest.raises(NoActiveFake, match="CreateRepository"):
        client.create_repository(repositoryName="early")
    with FakeECR() as fake:
        client.create_repository(repositoryName="inside")
    with pytest.raises(NoActiveFake, match="DescribeRepositories"):
        client.describe_repositories()
    assert [r.name for r in fake.registry().repositories.values()] == ["inside"]
    assert no_network == []


def test_a_straggler_thread_is_refused(no_network):
    go = threading.Event()
    outcome: list[BaseException] = []

    def straggler() -> None:
        go.wait()
        try:
            _client().create_repository(repositoryName="late")
        except BaseException as exc:
            outcome.append(exc)

    with FakeECR():
        thread = threading.Thread(target=straggler)
        thread.start()
    with FakeECR() as next_test:
        go.set()
        thread.join()
        assert list(next_test.registry().repositories.values()) == []
    assert len(outcome) == 1 and isinstance(outcome[0], NoActiveFake)
    assert "stopped" in str(outcome[0])
    assert no_network == []


def test_set_up_class_is_refused(no_network):
    calls: list[BaseException] = []

    class Test(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            try:
                _client().create_repository(repositoryName="class-level")
            except BaseException as exc:
                calls.append(exc)

        def test_x(self) -> None:
            pass

    unittest.TextTestRunner(stream=open("/dev/null", "w")).run(unittest.defaultTestLoader.loadTestsFromTestCase(Test))
    assert len(calls) == 1 and isinstance(calls[0], NoActiveFake)


@pytest.mark.fake_ecr_real_aws
def test_the_marker_lets_a_test_reach_aws(no_network):
    assert not interception.real_calls_blocked()
    with pytest.raises(Exception) as raised:  # botocore's own path: the (blocked) socket
        _client().describe_repositories()
    assert not isinstance(raised.value, FakeECRError)
    assert no_network


def test_the_ini_option_lets_a_suite_reach_aws(pytester):
    pytester.makeini("[pytest]\nfake_ecr_allow_real_aws = true\n")
    pytester.makepyfile(
        """
        from fake_ecr.core import interception

        def test_allowed():
            assert not interception.real_calls_blocked()
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_outside_pytest_calls_take_botocores_path_unless_blocked():
    previous = fake_ecr.block_real_calls(False)
    try:
        assert fake_ecr.current() is None
        assert (
            interception.before_call(
                model=_client().meta.service_model.operation_model("DescribeRepositories"), params={}, context={}
            )
            is None
        )
        fake_ecr.block_real_calls(True)
        with pytest.raises(NoActiveFake):
            _client().describe_repositories()
    finally:
        fake_ecr.block_real_calls(previous)
