"""The three ways in: context manager, decorator (functions, async, classes, TestCase), fixture."""

from __future__ import annotations

import asyncio
import inspect
import unittest

import boto3
import pytest

import fake_ecr
from fake_ecr import FakeECR, FakeECRError, mock_ecr


def client():
    return boto3.client("ecr", region_name="us-east-1")


def repo_names() -> list[str]:
    return [r["repositoryName"] for r in client().describe_repositories()["repositories"]]


def test_context_manager_yields_the_controller():
    with mock_ecr(account_id="111122223333") as fake:
        assert isinstance(fake, FakeECR) and fake.active
        assert fake_ecr.current() is fake
        repo = client().create_repository(repositoryName="app")["repository"]
        assert repo["registryId"] == "111122223333"
    assert not fake.active and fake_ecr.current() is None


def test_leaving_the_block_deactivates_even_on_error():
    with pytest.raises(RuntimeError):
        with mock_ecr():
            raise RuntimeError("boom")
    assert fake_ecr.current() is None


def test_nesting_shadows_and_restores():
    with mock_ecr() as outer:
        client().create_repository(repositoryName="outer")
        with mock_ecr() as inner:
            assert fake_ecr.current() is inner
            assert repo_names() == []
            client().create_repository(repositoryName="inner")
        assert fake_ecr.current() is outer
        assert repo_names() == ["outer"]


def test_a_fake_cannot_be_started_twice():
    fake = FakeECR()
    with fake:
        with pytest.raises(FakeECRError):
            fake.start()


def test_start_and_stop():
    fake = FakeECR().start()
    try:
        client().create_repository(repositoryName="app")
    finally:
        fake.stop()
    assert fake.repository("app").name == "app"


def test_invalid_account_id():
    with pytest.raises(ValueError):
        FakeECR(account_id="123")


@mock_ecr
def test_bare_decorator():
    assert fake_ecr.current() is not None
    client().create_repository(repositoryName="app")
    assert repo_names() == ["app"]


@mock_ecr(account_id="444455556666", region="eu-west-1")
def test_decorator_with_options():
    assert fake_ecr.current().account_id == "444455556666"


def test_decorator_gives_fresh_state_per_call_and_keeps_the_signature():
    @mock_ecr
    def create(name: str, *, count: int = 1) -> list[str]:
        """Docstring survives."""
        client().create_repository(repositoryName=name)
        return repo_names()

    assert create("aa") == ["aa"]
    assert create("bb") == ["bb"]  # not ["aa", "bb"]: a fresh fake each call
    assert create.__name__ == "create" and create.__doc__ == "Docstring survives."
    assert list(inspect.signature(create).parameters) == ["name", "count"]
    assert inspect.signature(create).parameters["count"].kind is inspect.Parameter.KEYWORD_ONLY
    assert fake_ecr.current() is None


def test_async_functions():
    @mock_ecr
    async def work() -> list[str]:
        await asyncio.sleep(0)
        client().create_repository(repositoryName="async-repo")
        return repo_names()

    assert inspect.iscoroutinefunction(work)
    assert asyncio.run(work()) == ["async-repo"]
    assert fake_ecr.current() is None


def test_async_context_manager():
    async def work() -> None:
        async with FakeECR() as fake:
            client().create_repository(repositoryName="xy")
            assert fake.repository("xy")

    asyncio.run(work())


@mock_ecr
class TestPlainClass:
    def test_one(self):
        client().create_repository(repositoryName="one")
        assert repo_names() == ["one"]

    def test_two(self):
        assert repo_names() == []

    def helper_is_not_wrapped(self):
        return fake_ecr.current()

    def test_helpers_are_left_alone(self):
        assert TestPlainClass.helper_is_not_wrapped.__name__ == "helper_is_not_wrapped"


def test_unittest_testcase_gets_fresh_state_for_every_test():
    seen: list[list[str]] = []

    @mock_ecr
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            client().create_repository(repositoryName="from-setup")

        def test_a(self) -> None:
            client().create_repository(repositoryName="aa")
            seen.append(repo_names())

        def test_b(self) -> None:
            seen.append(repo_names())

        def tearDown(self) -> None:
            seen.append(["teardown-active", str(fake_ecr.current() is not None)])

    result = unittest.TextTestRunner(stream=open("/dev/null", "w")).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == [
        ["from-setup", "aa"],
        ["teardown-active", "True"],
        ["from-setup"],
        ["teardown-active", "True"],
    ]
    assert fake_ecr.current() is None


def test_failing_testcase_leaves_no_mock_active():
    @mock_ecr
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("setUp fails")

        def test_x(self) -> None:  # pragma: no cover - never runs
            pass

    result = unittest.TextTestRunner(stream=open("/dev/null", "w")).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert len(result.errors) == 1
    assert fake_ecr.current() is None


def test_reset_forgets_state_and_calls(fake_ecr):
    fake_ecr.client().create_repository(repositoryName="app")
    assert len(fake_ecr.calls) == 1
    fake_ecr.reset()
    assert fake_ecr.calls == [] and len(fake_ecr.registry().repositories) == 0
    assert fake_ecr.client().describe_repositories()["repositories"] == []


def test_recorded_calls(fake_ecr, ecr_client):
    ecr_client.create_repository(repositoryName="app")
    with pytest.raises(ecr_client.exceptions.RepositoryAlreadyExistsException):
        ecr_client.create_repository(repositoryName="app")
    first, second = fake_ecr.calls
    assert (first.service, first.operation, first.region) == ("ecr", "CreateRepository", "us-east-1")
    assert first.params == {"repositoryName": "app"}
    assert first.response["repository"]["repositoryName"] == "app"
    assert second.response is None and second.error.code == "RepositoryAlreadyExistsException"


def test_clients_the_fake_builds_send_botocores_user_agent():
    seen: list[str] = []

    def capture(params, **kwargs):
        seen.append(params["headers"]["User-Agent"])

    with FakeECR() as fake:
        client = fake.client()
        client.meta.events.register_first("before-call.ecr.DescribeRegistry", capture)
        client.describe_registry()
        client.describe_registry()
    built_by_botocore = client._user_agent_creator._creator.to_string()  # internal: botocore's own builder
    assert seen == [built_by_botocore, built_by_botocore]
    assert seen[0].startswith("Boto3/") and " md/Botocore#" in seen[0]
