"""Clients made with their own endpoint_url: served by default, left alone with serve_custom_endpoints=False."""

from __future__ import annotations

import socket

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from fake_ecr import FakeECR, NoActiveFake


@pytest.fixture
def sockets(monkeypatch):
    attempts: list[tuple] = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise OSError("recorded by the test: no network")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "getaddrinfo", record)
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    return attempts


def _client(endpoint_url=None, service="ecr"):
    return boto3.Session().client(
        service,
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


LOCALSTACK = "http://localhost.localstack.cloud:4566"
VPC_ENDPOINT = "https://vpce-0123456789abcdef0-abcdefgh.api.ecr.us-east-1.vpce.amazonaws.com"


def test_custom_endpoints_are_served_by_default(sockets):
    with FakeECR() as fake:
        for n, url in enumerate((LOCALSTACK, VPC_ENDPOINT)):
            _client(url).create_repository(repositoryName=f"app{n}")
        _client(LOCALSTACK, "ecr-public").create_repository(repositoryName="pub")
    assert [c.operation for c in fake.calls] == ["CreateRepository"] * 3
    assert sockets == []


def test_serve_custom_endpoints_false_leaves_them_alone(sockets, monkeypatch):
    with FakeECR(serve_custom_endpoints=False) as fake:
        for url in (LOCALSTACK, VPC_ENDPOINT):
            with pytest.raises(EndpointConnectionError):  # botocore sent it to the endpoint
                _client(url).describe_repositories()
        monkeypatch.setenv("AWS_ENDPOINT_URL_ECR", LOCALSTACK)
        with pytest.raises(EndpointConnectionError):
            _client().describe_repositories()
        monkeypatch.delenv("AWS_ENDPOINT_URL_ECR")
        assert fake.calls == []
        assert sockets  # they did try to leave
        _client().create_repository(repositoryName="served")  # AWS's own endpoint: still served
    assert [c.operation for c in fake.calls] == ["CreateRepository"]


def test_the_option_comes_from_the_marker_too(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fake_ecr(serve_custom_endpoints=False)
        def test_option(fake_ecr):
            assert fake_ecr.serve_custom_endpoints is False
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_with_no_fake_active_a_custom_endpoint_call_is_blocked_too(sockets):
    with pytest.raises(NoActiveFake):
        _client(LOCALSTACK).describe_repositories()
    assert sockets == []
