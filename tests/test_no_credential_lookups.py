"""While fake_ecr is in use, building ECR clients and calling them never looks up credentials.

No instance-metadata or container request, no DNS lookup, no ``credential_process`` run: for
clients made before the fake and inside it, with no credentials configured and with a
``credential_process`` in the config file.
"""

from __future__ import annotations

import os
import socket
import sys

import boto3
import botocore.session
import pytest

from fake_ecr import FakeECR, NoActiveFake


@pytest.fixture
def egress(monkeypatch, tmp_path):
    """Record (and refuse) every connect and DNS lookup; remove every AWS_* variable."""
    attempts: list[tuple] = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise OSError("recorded by the test: no network")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "getaddrinfo", record)
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    (tmp_path / "credentials").write_text("")
    (tmp_path / "config").write_text("[default]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return attempts


def _clients() -> list:
    return [
        boto3.client("ecr"),
        boto3.Session().client("ecr"),
        boto3.Session().client("ecr-public"),
        botocore.session.get_session().create_client("ecr", region_name="eu-west-1"),
    ]


def _use(clients: list, prefix: str = "") -> None:
    for i, client in enumerate(clients):
        if client.meta.service_model.service_name == "ecr":
            client.create_repository(repositoryName=f"{prefix}app{i}")
            client.get_authorization_token()
        else:
            client.create_repository(repositoryName=f"{prefix}pub{i}")


def test_no_lookup_without_credentials(egress):
    before = _clients()
    with FakeECR():
        inside = _clients()
        _use(before, "before-")
        _use(inside, "inside-")
    assert egress == []


def test_no_credential_process_runs(egress, tmp_path):
    marker = tmp_path / "credential-process-ran"
    script = tmp_path / "creds.py"
    script.write_text(
        f"import json, pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': 'a', 'SecretAccessKey': 'b'}))\n"
    )
    (tmp_path / "config").write_text(f"[default]\nregion = us-east-1\ncredential_process = {sys.executable} {script}\n")
    before = _clients()
    with FakeECR():
        inside = _clients()
        _use(before, "before-")
        _use(inside, "inside-")
    assert not marker.exists()
    assert egress == []


def test_no_container_credentials_lookup(egress, monkeypatch):
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials")
    before = _clients()
    with FakeECR():
        _use(before, "before-")
        _use(_clients(), "inside-")
    assert egress == []


def test_a_faulted_call_looks_up_nothing(egress):
    client = boto3.client("ecr")
    with FakeECR() as fake:
        fake.faults.fail_next("DescribeRepositories", "ThrottlingException", count=1)
        assert client.describe_repositories()["repositories"] == []
    assert egress == []


def test_a_blocked_call_looks_up_nothing(egress):
    client = boto3.client("ecr")
    with pytest.raises(NoActiveFake):
        client.describe_repositories()
    assert egress == []


@pytest.mark.fake_ecr_real_aws
def test_credentials_are_resolved_when_a_call_really_leaves(egress, monkeypatch):
    """Outside any fake, with real calls allowed, the chain runs when the request is signed."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    client = boto3.client("ecr")
    monkeypatch.setattr("time.sleep", lambda s: None)
    with pytest.raises(Exception):
        client.describe_repositories()  # signed with the environment's keys, then the socket refuses
    assert client._request_signer._credentials.access_key == "AKIDEXAMPLE"
    assert egress  # it did try to leave

    sts = boto3.client("sts")
    assert sts._request_signer._credentials.access_key == "AKIDEXAMPLE"  # other services: untouched
