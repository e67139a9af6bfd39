"""The interception guarantees: every client is caught, nothing leaves the process, nothing else is touched."""

from __future__ import annotations

import socket
import threading

import boto3
import botocore.session
import pytest
from botocore.exceptions import NoCredentialsError
from botocore.stub import Stubber

import fake_ecr
from fake_ecr import FakeECRInternalError, UnsupportedOperation, mock_ecr

# Internal on purpose: these tests check how the botocore hook itself is installed and behaves.
from fake_ecr.core.interception import _handlers, before_call

# A module-level client, created when the test module is imported: before any mock is active.
MODULE_CLIENT = boto3.client("ecr", region_name="us-east-1")


@pytest.fixture
def no_network_no_credentials(monkeypatch, tmp_path):
    """Block every socket and remove every AWS credential source."""

    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened while fake_ecr was active")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def test_module_level_client_made_before_the_mock(fake_ecr):
    MODULE_CLIENT.create_repository(repositoryName="app")
    assert fake_ecr.repository("app").name == "app"


def test_clients_of_every_kind_are_served(fake_ecr):
    clients = [
        boto3.client("ecr", region_name="us-east-1"),
        boto3.Session().client("ecr", region_name="us-east-1"),
        boto3.Session(region_name="us-east-1").client("ecr"),
        botocore.session.get_session().create_client("ecr", region_name="us-east-1"),
    ]
    for i, client in enumerate(clients):
        client.create_repository(repositoryName=f"app{i}")
    assert len(fake_ecr.registry().repositories) == len(clients)


def test_client_created_before_activation_is_served():
    client = boto3.client("ecr", region_name="us-west-2")
    with mock_ecr() as fake:
        client.create_repository(repositoryName="app")
        assert fake.repository("app", region="us-west-2").name == "app"


def test_nothing_leaves_the_process_and_no_credentials_are_needed(no_network_no_credentials):
    session = boto3.Session()
    assert session.get_credentials() is None
    with mock_ecr():
        ecr = session.client("ecr", region_name="eu-west-1")
        public = session.client("ecr-public", region_name="us-east-1")
        ecr.create_repository(repositoryName="app")
        assert ecr.describe_repositories()["repositories"][0]["repositoryName"] == "app"
        token = ecr.get_authorization_token()["authorizationData"][0]
        assert token["proxyEndpoint"].endswith(".eu-west-1.amazonaws.com")
        try:  # served in-process, never sent (a socket would raise AssertionError)
            public.describe_registries()
        except UnsupportedOperation:
            pass


def test_inactive_handler_returns_none_and_botocore_carries_on():
    assert fake_ecr.current() is None
    assert before_call(model=None, params={}, context={}) is None
    client = boto3.client("ecr", region_name="us-east-1")
    with Stubber(client) as stub:
        stub.add_response("describe_repositories", {"repositories": []})
        assert client.describe_repositories()["repositories"] == []


def test_a_users_stubber_takes_precedence(fake_ecr):
    client = fake_ecr.client()
    with Stubber(client) as stub:
        stub.add_response("describe_repositories", {"repositories": [{"repositoryName": "stubbed"}]})
        assert client.describe_repositories()["repositories"] == [{"repositoryName": "stubbed"}]
    assert len(fake_ecr.calls) == 0


def test_other_services_are_not_touched(fake_ecr):
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    with Stubber(sts) as stub:
        stub.add_response("get_caller_identity", {"Account": "999999999999"})
        assert sts.get_caller_identity()["Account"] == "999999999999"
    ours = [
        entry[0]
        for entry in botocore.handlers.BUILTIN_HANDLERS
        if getattr(entry[1], "__module__", "").startswith("fake_ecr")
    ]
    assert ours and all(event.split(".")[1] in ("ecr", "ecr-public") for event in ours)
    assert "before-call.ecr" in ours and "before-call.ecr-public" in ours


def test_no_environment_variables_are_set(fake_ecr):
    import os

    before = dict(os.environ)
    fake_ecr.client().create_repository(repositoryName="app")
    assert dict(os.environ) == before
    assert boto3.DEFAULT_SESSION is None or not hasattr(boto3.DEFAULT_SESSION, "_fake_ecr")


def test_threads_see_the_mock(fake_ecr):
    client = fake_ecr.client()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            boto3.Session().client("ecr", region_name="us-east-1").create_repository(repositoryName=f"t{n}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(client.describe_repositories()["repositories"]) == 8


def test_attach_covers_a_session_that_predates_the_hook(no_network_no_credentials):
    session = botocore.session.get_session()
    # Simulate a session created before `import fake_ecr`: it lacks the handler.
    for event, handler in _handlers():
        session.unregister(event, handler)
    client = session.create_client("ecr", region_name="us-east-1")
    with mock_ecr() as fake:
        # Not served: botocore goes on towards AWS and fails for want of credentials.
        with pytest.raises(NoCredentialsError):
            client.describe_repositories()
        assert fake.calls == []
        assert fake_ecr.attach(client) is client
        fake_ecr.attach(client)  # idempotent
        assert client.describe_repositories()["repositories"] == []
        later = fake_ecr.attach(session).create_client("ecr", region_name="us-east-1")
        assert later.describe_repositories()["repositories"] == []


def test_attach_refuses_other_objects():
    with pytest.raises(TypeError):
        fake_ecr.attach(object())


def _own_wiring(fake):
    """Give ``fake`` a wiring of its own (the server's seam for changing what it serves); return it."""
    # Internal on purpose: the wiring is the only place that says which operations are served.
    from fake_ecr.core.wiring import Wiring
    from fake_ecr.features import FEATURES

    fake.server.wiring = Wiring(FEATURES)
    return fake.server.wiring


def test_unsupported_operation_is_loud_and_recorded():
    with mock_ecr(strict=False) as fake:
        # Every operation may be implemented one day: take one out of this fake's table.
        del _own_wiring(fake).handlers[("ecr", "CreatePullThroughCacheRule")]
        client = fake.client()
        with pytest.raises(UnsupportedOperation) as excinfo:
            client.create_pull_through_cache_rule(ecrRepositoryPrefix="hub", upstreamRegistryUrl="registry-1.docker.io")
        assert isinstance(excinfo.value, NotImplementedError)
        assert "ecr.CreatePullThroughCacheRule" in str(excinfo.value)
        assert "does not support" in str(excinfo.value)
        assert [c.operation for c in fake.unsupported_calls] == ["CreatePullThroughCacheRule"]


def test_internal_bugs_surface_as_fake_ecr_errors(fake_ecr):
    def broken(call, params):
        raise KeyError("oops")

    _own_wiring(fake_ecr).handlers[("ecr", "DescribeRegistry")] = broken
    with pytest.raises(FakeECRInternalError) as excinfo:
        fake_ecr.client().describe_registry()
    assert "fake_ecr internal error while serving ecr.DescribeRegistry" in str(excinfo.value)


def test_event_sequence_contract(fake_ecr):
    """The botocore events fake_ecr relies on fire in this order, and the network ones do not."""
    client = fake_ecr.client()
    seen: list[str] = []
    for event in ("before-parameter-build", "before-call", "request-created", "before-send", "after-call"):
        client.meta.events.register(
            f"{event}.ecr.DescribeRegistry", lambda event_name, **kw: seen.append(event_name.split(".")[0])
        )
    client.describe_registry()
    assert seen == ["before-parameter-build", "before-call", "after-call"]


def test_error_responses_match_botocores_parse(fake_ecr):
    client = fake_ecr.client()
    with pytest.raises(client.exceptions.RepositoryNotFoundException) as excinfo:
        client.delete_repository(repositoryName="nope")
    response = excinfo.value.response
    assert response["Error"]["Code"] == "RepositoryNotFoundException"
    assert response["message"] == response["Error"]["Message"]  # the modeled error field
    meta = response["ResponseMetadata"]
    assert meta["HTTPStatusCode"] == 400
    assert meta["RequestId"] == meta["HTTPHeaders"]["x-amzn-requestid"]
    from botocore.exceptions import ClientError

    assert isinstance(excinfo.value, ClientError)
