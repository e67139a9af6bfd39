"""fake_ecr under aiobotocore: calls, paginators, waiters, modeled errors, fault injection, isolation.

aiobotocore pins its own botocore, so these tests run in an environment of their own: `.ci/run`
creates it (``pip install -e '.[aio]'``) and runs ``tests/aio`` there. The main suite skips them.
"""

from __future__ import annotations

import asyncio
import os

import pytest

pytest.importorskip(
    "aiobotocore",
    reason="aiobotocore pins its own botocore: CI runs tests/aio in its own environment (.ci/run)",
)
pytest.importorskip("pytest_asyncio", reason="CI runs tests/aio with pytest-asyncio in its own environment")

from aiobotocore.session import get_session  # noqa: E402

import fake_ecr  # noqa: E402
from fake_ecr import FakeECR, mock_ecr  # noqa: E402

pytestmark = pytest.mark.asyncio


@pytest.fixture(autouse=True)
def no_backoff_sleep(monkeypatch):
    async def instant(seconds, *args, **kwargs):
        return None

    monkeypatch.setattr(asyncio, "sleep", instant)


def client(service: str = "ecr", **kwargs):
    kwargs.setdefault("region_name", "us-east-1")
    return get_session().create_client(service, aws_access_key_id="fake", aws_secret_access_key="fake", **kwargs)


async def test_calls():
    with FakeECR() as fake:
        async with client() as ecr:
            await ecr.create_repository(repositoryName="app")
            repos = (await ecr.describe_repositories())["repositories"]
            assert [r["repositoryName"] for r in repos] == ["app"]
        async with client("ecr-public") as public:
            await public.create_repository(repositoryName="pub")
    assert [c.operation for c in fake.calls] == ["CreateRepository", "DescribeRepositories", "CreateRepository"]


async def test_paginators():
    with FakeECR():
        async with client() as ecr:
            for i in range(7):
                await ecr.create_repository(repositoryName=f"app{i}")
            pages = [
                page
                async for page in ecr.get_paginator("describe_repositories").paginate(PaginationConfig={"PageSize": 3})
            ]
            assert [len(p["repositories"]) for p in pages] == [3, 3, 1]


async def test_waiters():
    with FakeECR() as fake:
        async with client() as ecr:
            await ecr.create_repository(repositoryName="app")
            fake.push_image("app", "v1")
            await ecr.start_image_scan(repositoryName="app", imageId={"imageTag": "v1"})
            await ecr.get_waiter("image_scan_complete").wait(
                repositoryName="app", imageId={"imageTag": "v1"}, WaiterConfig={"Delay": 0, "MaxAttempts": 5}
            )


async def test_modeled_errors():
    with FakeECR():
        async with client() as ecr:
            with pytest.raises(ecr.exceptions.RepositoryNotFoundException):
                await ecr.describe_images(repositoryName="missing")


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
async def test_fault_injection_goes_through_the_retry_machinery(mode):
    from botocore.config import Config

    with FakeECR() as fake:
        fake.faults.fail_next("CreateRepository", "ThrottlingException", count=2)
        async with client(config=Config(retries={"mode": mode, "total_max_attempts": 3})) as ecr:
            answer = await ecr.create_repository(repositoryName="app")
        assert answer["ResponseMetadata"]["RetryAttempts"] == 2
        assert [getattr(c.error, "code", None) for c in fake.get_calls("CreateRepository")] == [
            "ThrottlingException",
            "ThrottlingException",
            None,
        ]


async def test_faults_that_outlast_the_retries_reach_the_caller():
    from botocore.config import Config

    with FakeECR() as fake:
        fake.faults.fail_next("DescribeRepositories", "ServerException", count=5, message="try later")
        async with client(config=Config(retries={"mode": "standard", "total_max_attempts": 2})) as ecr:
            with pytest.raises(ecr.exceptions.ServerException) as raised:
                await ecr.describe_repositories()
        assert raised.value.response["Error"] == {"Code": "ServerException", "Message": "try later"}


async def test_two_decorated_coroutines_under_gather_are_isolated():
    @mock_ecr
    async def one_test(name: str) -> list[str]:
        async with client() as ecr:
            for i in range(3):
                await ecr.create_repository(repositoryName=f"{name}-{i}")
                await asyncio.sleep(0)
            return sorted(r["repositoryName"] for r in (await ecr.describe_repositories())["repositories"])

    left, right = await asyncio.gather(one_test("a"), one_test("b"))
    assert left == ["a-0", "a-1", "a-2"] and right == ["b-0", "b-1", "b-2"]
    assert fake_ecr.current() is None


async def test_async_with_and_the_fixture(fake_ecr):
    async with client() as ecr:
        await ecr.create_repository(repositoryName="from-fixture")
    assert fake_ecr.repository("from-fixture").name == "from-fixture"
    async with FakeECR() as inner:
        async with client() as ecr:
            assert (await ecr.describe_repositories())["repositories"] == []
    assert not inner.active


@pytest.fixture
def egress(monkeypatch, tmp_path):
    """Record every connect and DNS lookup; no AWS_* variables; a credential_process configured."""
    import socket
    import sys

    attempts: list[tuple] = []

    def record(*args, **kwargs):
        attempts.append(args)
        raise OSError("recorded by the test: no network")

    monkeypatch.setattr(socket.socket, "connect", record)
    monkeypatch.setattr(socket, "getaddrinfo", record)
    for name in [n for n in os.environ if n.startswith("AWS_")]:
        monkeypatch.delenv(name)
    marker = tmp_path / "credential-process-ran"
    script = tmp_path / "creds.py"
    script.write_text(
        f"import json, pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "print(json.dumps({'Version': 1, 'AccessKeyId': 'a', 'SecretAccessKey': 'b'}))\n"
    )
    (tmp_path / "config").write_text(f"[default]\ncredential_process = {sys.executable} {script}\n")
    (tmp_path / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    return attempts, marker


async def test_no_credential_lookups_for_clients_without_keys(egress):
    attempts, marker = egress
    with FakeECR() as fake:
        fake.faults.fail_next("DescribeRepositories", "ThrottlingException", count=1)
        async with get_session().create_client("ecr", region_name="us-east-1") as ecr:
            await ecr.create_repository(repositoryName="app")
            await ecr.describe_repositories()
        async with get_session().create_client("ecr-public", region_name="us-east-1") as public:
            await public.create_repository(repositoryName="pub")
    assert not marker.exists()
    assert attempts == []


@pytest.mark.fake_ecr_real_aws
async def test_credentials_are_resolved_when_a_call_really_leaves(egress, monkeypatch):
    attempts, _ = egress
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    from botocore.config import Config

    async with get_session().create_client(
        "ecr", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    ) as ecr:
        with pytest.raises(Exception) as raised:
            await ecr.describe_repositories()  # signed with the environment's keys, then refused
        assert not isinstance(raised.value, fake_ecr.FakeECRError)
        assert ecr._request_signer._credentials.access_key == "AKIDEXAMPLE"
    assert attempts
