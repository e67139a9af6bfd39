"""The pytest plugin as users meet it: fixtures, marker, teardown report of unsupported calls."""

from __future__ import annotations

import pytest


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=source)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q", *args)


def test_fixtures_and_fresh_state(pytester):
    result = run(
        pytester,
        """
        import boto3

        def test_one(ecr_client, fake_ecr):
            ecr_client.create_repository(repositoryName="app")
            assert fake_ecr.repository("app")

        def test_two(ecr_client):
            assert ecr_client.describe_repositories()["repositories"] == []

        def test_public_client(ecr_public_client):
            assert ecr_public_client.meta.region_name == "us-east-1"
            assert ecr_public_client.meta.service_model.service_name == "ecr-public"
    """,
    )
    result.assert_outcomes(passed=3)


def test_marker_configures_and_activates(pytester):
    result = run(
        pytester,
        """
        import boto3, pytest, fake_ecr

        pytestmark = pytest.mark.fake_ecr(account_id="111122223333")

        @pytest.mark.fake_ecr(region="eu-west-1")
        def test_closest_marker_wins(ecr_client):
            repo = ecr_client.create_repository(repositoryName="app")["repository"]
            assert repo["repositoryArn"] == "arn:aws:ecr:eu-west-1:111122223333:repository/app"

        def test_marker_alone_activates():
            assert fake_ecr.current() is not None
            client = boto3.client("ecr", region_name="us-east-1")
            assert client.create_repository(repositoryName="app")["repository"]["registryId"] == "111122223333"
    """,
    )
    result.assert_outcomes(passed=2)


@pytest.fixture
def unsupported_describe(pytester):
    """Every fake of the inner run serves without DescribePullThroughCacheRules (any operation may be
    implemented one day), through the server's seam: a wiring of its own."""
    pytester.makeconftest("""
        import pytest
        from fake_ecr.core.wiring import Wiring
        from fake_ecr.features import FEATURES

        @pytest.fixture(autouse=True)
        def _without_describe_rules(fake_ecr):
            fake_ecr.server.wiring = Wiring(FEATURES)
            del fake_ecr.server.wiring.handlers[("ecr", "DescribePullThroughCacheRules")]
    """)


def test_unsupported_calls_fail_the_test_at_teardown(pytester, unsupported_describe):
    result = run(
        pytester,
        """
        import pytest

        def test_swallows(ecr_client):
            try:
                ecr_client.describe_pull_through_cache_rules()
            except Exception:
                pass

        @pytest.mark.fake_ecr(strict=False)
        def test_allowed(ecr_client):
            try:
                ecr_client.describe_pull_through_cache_rules()
            except Exception:
                pass
    """,
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*The following ECR calls are not supported by fake_ecr yet:*",
            "*- ecr.DescribePullThroughCacheRules (region us-east-1)*",
        ]
    )


def test_teardown_does_not_mask_a_real_failure(pytester, unsupported_describe):
    result = run(
        pytester,
        """
        def test_fails(ecr_client):
            try:
                ecr_client.describe_pull_through_cache_rules()
            except Exception:
                pass
            assert False, "the real failure"
    """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the real failure*"])


def test_no_mock_stays_active_after_a_failing_test(pytester):
    result = run(
        pytester,
        """
        import fake_ecr

        def test_fails(fake_ecr):
            raise RuntimeError("boom")

        def test_after():
            assert fake_ecr.current() is None
    """,
    )
    result.assert_outcomes(failed=1, passed=1)


def test_marker_rejects_positional_arguments(pytester):
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.fake_ecr("111122223333")
        def test_x(fake_ecr):
            pass
    """,
    )
    assert result.ret != 0


def test_registry_fixture_and_marker_option(pytester):
    result = run(
        pytester,
        """
        import socket, pytest, fake_ecr

        def test_fixture_starts_the_endpoint(ecr_registry, fake_ecr):
            assert fake_ecr.registry_endpoint is ecr_registry
            socket.create_connection(("127.0.0.1", ecr_registry.port), timeout=5).close()

        @pytest.mark.fake_ecr(registry=True)
        def test_marker_starts_it_with_the_fake(fake_ecr):
            assert fake_ecr._registry_endpoint is not None and fake_ecr._registry_endpoint.running

        @pytest.mark.fake_ecr(registry_uris=True)
        def test_uri_mode(ecr_client, ecr_registry):
            uri = ecr_client.create_repository(repositoryName="app")["repository"]["repositoryUri"]
            assert uri.startswith(ecr_registry.address + "/")
    """,
    )
    result.assert_outcomes(passed=3)


def test_client_fixtures_are_built_once_and_nothing_a_test_registers_leaks(pytester):
    pytester.makepyfile(
        """
        import copy

        seen = []

        def test_first(ecr_client, fake_ecr):
            seen.append(ecr_client)
            assert copy.copy(ecr_client.meta.events) is not None  # botocore copies emitters
            ecr_client.meta.events.register("before-call.ecr.DescribeRegistry", lambda **kw: seen.append("hook"))
            ecr_client.describe_registry()
            ecr_client.create_repository(repositoryName="only-in-first")
            assert seen[-1] == "hook"

        def test_second(ecr_client, fake_ecr):
            assert ecr_client is seen[0]  # the same client, built once
            before = len(seen)
            ecr_client.describe_registry()
            assert len(seen) == before  # the first test's handler is gone
            assert ecr_client.describe_repositories()["repositories"] == []  # this test's own fake
            assert [c.operation for c in fake_ecr.calls] == ["DescribeRegistry", "DescribeRepositories"]
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist").assert_outcomes(passed=2)


def test_a_stubber_on_the_shared_client_ends_with_its_test(pytester):
    pytester.makepyfile(
        """
        from botocore.stub import Stubber

        def test_stubbed(ecr_client):
            with Stubber(ecr_client) as stubber:
                stubber.add_response("describe_registry", {"registryId": "999999999999", "replicationConfiguration": {"rules": []}})
                assert ecr_client.describe_registry()["registryId"] == "999999999999"
            stubber.activate()  # left active on purpose: the next test must not see it

        def test_served_by_the_fake(ecr_client, fake_ecr):
            assert ecr_client.describe_registry()["registryId"] == fake_ecr.account_id
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist").assert_outcomes(passed=2)


@pytest.mark.parametrize("option, read", [("call_log_limit", "limit"), ("call_log_responses", "responses")])
def test_the_call_log_ini_options_and_the_marker(pytester, option, read):
    pytester.makeini(f"[pytest]\nfake_ecr_{option} = 4\n")
    pytester.makepyfile(
        f"""
        import pytest

        def test_ini(fake_ecr):
            assert fake_ecr.calls.{read} == 4

        @pytest.mark.fake_ecr({option}=0)
        def test_marker_wins(fake_ecr):
            assert fake_ecr.calls.{read} == 0
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist").assert_outcomes(passed=2)
    pytester.makeini(f"[pytest]\nfake_ecr_{option} = many\n")
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist")
    assert f"fake_ecr_{option} must be a whole number" in result.stderr.str()


def test_a_test_that_registers_nothing_copies_no_handlers(pytester):
    pytester.makepyfile(
        """
        def test_plain_call(ecr_client):
            ecr_client.describe_registry()
            # internal: the per-test view of the shared client's handlers (conftest_plugin.shared_clients)
            assert ecr_client.meta.events._emitter._copied is False

        def test_registering_copies(ecr_client):
            ecr_client.meta.events.register("before-call.ecr.DescribeRegistry", lambda **kw: None)
            assert ecr_client.meta.events._emitter._copied is True
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly", "-p", "no:xdist").assert_outcomes(passed=2)
