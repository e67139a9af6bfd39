"""Fault injection through botocore's real retry machinery, and call recording."""

from __future__ import annotations

import botocore.config
import pytest
from botocore.exceptions import ClientError


def client_with(fake, mode: str, attempts: int):
    config = botocore.config.Config(retries={"mode": mode, "total_max_attempts": attempts})
    return fake.client(config=config)


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    """botocore sleeps between retries; the tests only care that it retries."""
    import time

    monkeypatch.setattr(time, "sleep", lambda seconds: None)


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_retries_absorb_transient_throttling(fake_ecr, mode):
    client = client_with(fake_ecr, mode, attempts=3)
    fake_ecr.faults.fail_next("CreateRepository", "ThrottlingException", count=2)
    response = client.create_repository(repositoryName="app")
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert response["repository"]["repositoryName"] == "app"
    attempts = fake_ecr.get_calls("CreateRepository")
    assert [getattr(c.error, "code", None) for c in attempts] == ["ThrottlingException", "ThrottlingException", None]
    # Later calls are served at before-call again.
    assert client.describe_repositories()["repositories"][0]["repositoryName"] == "app"


def test_when_retries_run_out_the_error_reaches_the_caller(fake_ecr):
    client = client_with(fake_ecr, "standard", attempts=2)
    fake_ecr.faults.fail_next("DescribeRepositories", "ServerException", count=5, message="try later")
    with pytest.raises(client.exceptions.ServerException) as excinfo:
        client.describe_repositories()
    err = excinfo.value.response
    assert err["Error"] == {"Code": "ServerException", "Message": "try later"}
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert err["ResponseMetadata"]["RetryAttempts"] == 1
    assert len(fake_ecr.get_calls("DescribeRepositories")) == 2


def test_modeled_errors_are_not_retried(fake_ecr):
    client = client_with(fake_ecr, "standard", attempts=5)
    fake_ecr.faults.fail_next("DescribeRepositories", "InvalidParameterException", count=1)
    with pytest.raises(ClientError) as excinfo:
        client.describe_repositories()
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterException"
    assert len(fake_ecr.get_calls("DescribeRepositories")) == 1
    assert client.describe_repositories()["repositories"] == []  # the fault is used up


def test_faults_for_other_operations_and_services_do_not_interfere(fake_ecr, ecr_client):
    fake_ecr.faults.fail_next("PutImage", count=3)
    fake_ecr.faults.fail_next("DescribeRegistries", count=3, service="ecr-public")
    ecr_client.create_repository(repositoryName="app")
    assert [c.error for c in fake_ecr.calls] == [None]


def test_random_faults_are_reproducible(fake_ecr):
    client = client_with(fake_ecr, "standard", attempts=1)

    def outcomes() -> list[bool]:
        results = []
        for _ in range(20):
            try:
                client.describe_registry()
                results.append(True)
            except client.exceptions.ServerException:
                results.append(False)
        return results

    fake_ecr.faults.fail_randomly("DescribeRegistry", probability=0.5, seed=7)
    first = outcomes()
    fake_ecr.faults.clear()
    fake_ecr.faults.fail_randomly("DescribeRegistry", probability=0.5, seed=7)
    assert outcomes() == first
    assert 0 < first.count(False) < 20


def test_fault_injection_needs_no_credentials_and_no_network(fake_ecr, monkeypatch, tmp_path):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("socket opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    import boto3

    client = boto3.Session().client("ecr", region_name="us-east-1")
    fake_ecr.faults.fail_next("DescribeRegistry", count=1)
    assert client.describe_registry()["registryId"] == "123456789012"


def test_invalid_fault_plans(fake_ecr):
    with pytest.raises(ValueError):
        fake_ecr.faults.fail_next("NoSuchOperation")
    with pytest.raises(ValueError):
        fake_ecr.faults.fail_next("PutImage", count=0)
    with pytest.raises(ValueError):
        fake_ecr.faults.fail_randomly("PutImage", probability=1.5)


def test_get_call_and_get_calls(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="one")
    ecr_client.create_repository(repositoryName="two")
    assert [c.params["repositoryName"] for c in fake_ecr.get_calls("CreateRepository")] == ["one", "two"]
    call = fake_ecr.get_call("CreateRepository", repositoryName="two")
    assert call.response["repository"]["repositoryName"] == "two"
    with pytest.raises(AssertionError):
        fake_ecr.get_call("CreateRepository")
    assert fake_ecr.get_calls(service="ecr-public") == []


def test_a_retrying_call_is_answered_by_the_fake_that_planned_it(fake_ecr):
    """Another fake starting (or this one stopping) between attempts does not steal the call."""
    from fake_ecr import FakeECR

    client = client_with(fake_ecr, "standard", attempts=4)
    fake_ecr.faults.fail_next("CreateRepository", "ThrottlingException", count=2)
    others: list[FakeECR] = []

    def start_another(**kwargs):
        if not others:
            others.append(FakeECR().start())

    client.meta.events.register("needs-retry.ecr.CreateRepository", start_another)
    try:
        response = client.create_repository(repositoryName="app")
    finally:
        for other in others:
            other.stop()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2
    assert [getattr(c.error, "code", None) for c in fake_ecr.get_calls("CreateRepository")] == [
        "ThrottlingException",
        "ThrottlingException",
        None,
    ]
    assert fake_ecr.repository("app").name == "app"
    assert others and others[0].calls == []
