"""Access control (opt-in): identities from credentials, IAM's decisions, AWS's error.

AWS's AccessDeniedException messages quoted here come from users' reports of real ECR:
- "User: arn:aws:iam::XXX:user/XXX-ecr-push is not authorized to perform: ecr:BatchGetImage on
  resource: arn:aws:ecr:XXX:XXX:repository/XXX because no identity-based policy allows the
  ecr:BatchGetImage action" https://github.com/bazel-contrib/rules_oci/issues/648
- "... is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-west-2:...:repository/...
  because no resource-based policy allows the ecr:DescribeImages action"
  https://github.com/ministryofjustice/modernisation-platform/pull/4454 (a cross-account call)
- "... is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no
  identity-based policy allows the ecr:GetAuthorizationToken action"
  https://github.com/terraform-aws-modules/terraform-aws-iam/issues/514
- "... on resource: * with an explicit deny" https://github.com/aws/aws-cli/issues/5592; the
  clause names the policy type ("with an explicit deny in an identity-based policy" / "in a
  resource-based policy"): IAM user guide, troubleshoot_access-denied.html.
- docker's "denied: User: arn:aws:sts::...:assumed-role/... is not authorized to perform:
  ecr:BatchGetImage ..." https://github.com/everything2/everything2/issues/2562
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from fake_ecr import FakeECR, mock_ecr
from fake_ecr.features import wiring
from fake_ecr.features.access_control.authorize import AccessDenied

A = "123456789012"  # the fake's account: owns the repositories
B = "111122223333"  # a workload account
REPO_ARN = f"arn:aws:ecr:us-east-1:{A}:repository/app"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def repo_policy(*statements: dict[str, Any]) -> str:
    return json.dumps(policy(*statements))


def denied(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    error = excinfo.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    return str(error["Message"])


@pytest.fixture
def fake():
    with FakeECR(access_control=True) as fake:
        fake.client("ecr").create_repository(repositoryName="app")
        yield fake


def test_off_by_default_every_call_is_allowed_even_across_accounts():
    with FakeECR() as fake:
        other = fake.identities.role(f"arn:aws:iam::{B}:role/nobody")
        fake.client("ecr").create_repository(repositoryName="app")
        client = fake.client("ecr", as_=other)
        assert client.list_images(repositoryName="app", registryId=A)["imageIds"] == []


def test_the_accounts_root_may_do_everything_in_its_own_account(fake):
    fake.push_image("app", "v1")
    assert fake.client("ecr").list_images(repositoryName="app")["imageIds"]


def test_no_identity_policy_refuses_with_awss_message(fake):
    ci = fake.identities.user(f"arn:aws:iam::{A}:user/ci")
    with pytest.raises(ClientError) as excinfo:
        fake.client("ecr", as_=ci).batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}])
    assert denied(excinfo) == (
        f"User: arn:aws:iam::{A}:user/ci is not authorized to perform: ecr:BatchGetImage on resource: "
        f"{REPO_ARN} because no identity-based policy allows the ecr:BatchGetImage action"
    )


def test_get_authorization_token_is_authorized_on_star(fake):
    ci = fake.identities.user(f"arn:aws:iam::{A}:user/ci", policies=[policy(allow("ecr:BatchGetImage"))])
    with pytest.raises(ClientError) as excinfo:
        fake.client("ecr", as_=ci).get_authorization_token()
    assert denied(excinfo).endswith(
        "ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the "
        "ecr:GetAuthorizationToken action"
    )


def test_an_identity_policy_allows_what_it_names_and_no_more(fake):
    ci = fake.identities.role(f"arn:aws:iam::{A}:role/ci", policies=[policy(allow("ecr:List*", REPO_ARN))])
    client = fake.client("ecr", as_=ci)
    assert client.list_images(repositoryName="app")["imageIds"] == []
    with pytest.raises(ClientError):
        client.describe_images(repositoryName="app")
    fake.client("ecr").create_repository(repositoryName="other")
    with pytest.raises(ClientError):
        client.list_images(repositoryName="other")


def test_explicit_deny_in_an_identity_policy_wins(fake):
    ci = fake.identities.role(
        f"arn:aws:iam::{A}:role/ci", policies=[policy(allow("ecr:*")), policy(deny("ecr:DeleteRepository"))]
    )
    with pytest.raises(ClientError) as excinfo:
        fake.client("ecr", as_=ci).delete_repository(repositoryName="app")
    assert denied(excinfo).endswith("with an explicit deny in an identity-based policy")


def test_explicit_deny_in_the_repository_policy_stops_even_the_root(fake):
    ecr = fake.client("ecr")
    ecr.set_repository_policy(
        repositoryName="app",
        policyText=repo_policy({"Effect": "Deny", "Principal": "*", "Action": "ecr:*"}),
        force=True,
    )
    with pytest.raises(ClientError) as excinfo:
        ecr.list_images(repositoryName="app")
    assert denied(excinfo).endswith("with an explicit deny in a resource-based policy")
    decision = fake.calls[-1].access_decision
    assert decision is not None and not decision.allowed
    assert [c.source for c in decision.considered if c.applies] == ["resource-based policy"]


def test_same_account_a_repository_policy_naming_the_role_grants_on_its_own(fake):
    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader")
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy({"Effect": "Allow", "Principal": {"AWS": reader.arn}, "Action": "ecr:ListImages"}),
    )
    assert fake.client("ecr", as_=reader).list_images(repositoryName="app")["imageIds"] == []


def test_same_account_a_repository_policy_naming_the_account_delegates_to_iam(fake):
    # Naming the account (its id or root) grants nothing by itself: IAM policies must allow
    # (IAM user guide, "How IAM roles differ from resource-based policies" / policy evaluation).
    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader")
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "ecr:ListImages"}
        ),
    )
    with pytest.raises(ClientError):
        fake.client("ecr", as_=reader).list_images(repositoryName="app")


def test_cross_account_needs_the_repository_policy_and_the_identity_policy(fake):
    puller = fake.identities.role(f"arn:aws:iam::{B}:role/puller")
    client = fake.client("ecr", as_=puller)
    with pytest.raises(ClientError) as excinfo:
        client.list_images(repositoryName="app", registryId=A)
    assert denied(excinfo).endswith("because no resource-based policy allows the ecr:ListImages action")
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy(
            {"Effect": "Allow", "Principal": {"AWS": B}, "Action": ["ecr:ListImages", "ecr:BatchGetImage"]}
        ),
    )
    with pytest.raises(ClientError) as excinfo:
        client.list_images(repositoryName="app", registryId=A)
    assert denied(excinfo).endswith("because no identity-based policy allows the ecr:ListImages action")
    fake.identities.role(puller.arn, policies=[policy(allow("ecr:*"))])
    assert client.list_images(repositoryName="app", registryId=A)["imageIds"] == []


def test_another_account_cannot_create_or_push_in_a_registry_that_is_not_its_own(fake):
    intruder = fake.identities.root(B)
    client = fake.client("ecr", as_=intruder)
    with pytest.raises(ClientError) as excinfo:
        client.put_image(repositoryName="app", registryId=A, imageManifest="{}", imageTag="x")
    assert denied(excinfo).startswith(f"User: arn:aws:iam::{B}:root is not authorized to perform: ecr:PutImage")
    with pytest.raises(ClientError):
        client.set_repository_policy(
            registryId=A,
            repositoryName="app",
            policyText=repo_policy({"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}),
        )
    # Its own account is its own: the root may create there.
    assert client.create_repository(repositoryName="mine")["repository"]["registryId"] == B


def test_an_assumed_role_session_is_its_role(fake):
    role = fake.identities.role(f"arn:aws:iam::{B}:role/deployer", policies=[policy(allow("ecr:ListImages"))])
    session = fake.identities.session(role, "build-42")
    assert session.arn == f"arn:aws:sts::{B}:assumed-role/deployer/build-42"
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy({"Effect": "Allow", "Principal": {"AWS": role.arn}, "Action": "ecr:ListImages"}),
    )
    assert fake.client("ecr", as_=session).list_images(repositoryName="app", registryId=A)["imageIds"] == []


def test_not_action_not_resource_and_not_principal(fake):
    admin = fake.identities.user(
        f"arn:aws:iam::{A}:user/admin",
        policies=[
            policy(
                {"Effect": "Allow", "NotAction": "ecr:Delete*", "NotResource": f"arn:aws:ecr:*:{A}:repository/secret*"}
            )
        ],
    )
    client = fake.client("ecr", as_=admin)
    assert client.list_images(repositoryName="app")["imageIds"] == []
    with pytest.raises(ClientError):
        client.delete_repository(repositoryName="app")
    with pytest.raises(ClientError):
        client.create_repository(repositoryName="secret-store")
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy({"Effect": "Deny", "NotPrincipal": {"AWS": admin.arn}, "Action": "ecr:ListImages"}),
        force=True,
    )
    assert client.list_images(repositoryName="app")["imageIds"] == []
    with pytest.raises(ClientError):
        fake.client("ecr").list_images(repositoryName="app")


def test_principal_org_id_condition_with_the_organization_set_per_account(fake):
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:ListImages",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
            }
        ),
    )
    puller = fake.identities.role(f"arn:aws:iam::{B}:role/puller", policies=[policy(allow("ecr:*"))])
    client = fake.client("ecr", as_=puller)
    with pytest.raises(ClientError):
        client.list_images(repositoryName="app", registryId=A)
    fake.identities.set_organization(B, "o-abc123")
    assert client.list_images(repositoryName="app", registryId=A)["imageIds"] == []


def test_resource_tag_and_request_tag_conditions(fake):
    ecr = fake.client("ecr")
    ecr.create_repository(repositoryName="team-a", tags=[{"Key": "team", "Value": "a"}])
    dev = fake.identities.role(
        f"arn:aws:iam::{A}:role/dev",
        policies=[
            policy(
                allow("ecr:ListImages", Condition={"StringEquals": {"ecr:ResourceTag/team": "a"}}),
                allow(
                    "ecr:CreateRepository",
                    Condition={
                        "StringEquals": {"aws:RequestTag/team": "a"},
                        "ForAllValues:StringEquals": {"aws:TagKeys": ["team"]},
                    },
                ),
            )
        ],
    )
    client = fake.client("ecr", as_=dev)
    assert client.list_images(repositoryName="team-a")["imageIds"] == []
    with pytest.raises(ClientError):
        client.list_images(repositoryName="app")  # untagged
    with pytest.raises(ClientError):
        client.create_repository(repositoryName="xx", tags=[{"Key": "team", "Value": "b"}])
    with pytest.raises(ClientError):
        client.create_repository(
            repositoryName="yy", tags=[{"Key": "team", "Value": "a"}, {"Key": "cost", "Value": "1"}]
        )
    client.create_repository(repositoryName="zz", tags=[{"Key": "team", "Value": "a"}])


def test_ip_address_bool_and_null_conditions(fake):
    ops = fake.identities.role(
        f"arn:aws:iam::{A}:role/ops",
        policies=[
            policy(
                allow(
                    "ecr:ListImages",
                    Condition={
                        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                        "Bool": {"aws:SecureTransport": "true"},
                        "Null": {"aws:PrincipalOrgID": "true"},
                    },
                )
            )
        ],
    )
    client = fake.client("ecr", as_=ops)
    with pytest.raises(ClientError):
        client.list_images(repositoryName="app")
    fake.identities.source_ip = "10.1.2.3"
    assert client.list_images(repositoryName="app")["imageIds"] == []
    fake.identities.set_organization(A, "o-x")
    with pytest.raises(ClientError):
        client.list_images(repositoryName="app")


def test_fake_caller_overrides_the_credentials(fake):
    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader", policies=[policy(allow("ecr:ListImages"))])
    client = fake.client("ecr", as_=reader)
    with fake.caller.acting_as(f"arn:aws:iam::{A}:role/unknown"):
        with pytest.raises(ClientError) as excinfo:
            client.list_images(repositoryName="app")
    assert f"arn:aws:iam::{A}:role/unknown is not authorized" in denied(excinfo)
    assert client.list_images(repositoryName="app")["imageIds"] == []


def test_may_answers_without_making_a_call(fake):
    puller = fake.identities.role(f"arn:aws:iam::{B}:role/puller", policies=[policy(allow("ecr:BatchGetImage"))])
    decision = fake.access.may(puller, "ecr:BatchGetImage", REPO_ARN)
    assert not decision
    assert decision.reason == "because no resource-based policy allows the ecr:BatchGetImage action"
    assert "identity policy 1" in decision.explain()
    assert fake.access.may(fake.identities.root(), "ecr:BatchGetImage", REPO_ARN)
    assert fake.calls == [c for c in fake.calls if c.operation == "CreateRepository"]


def test_replication_runs_as_the_source_accounts_service_linked_role(fake):
    # The destination's registry policy decides (user guide, "Private registry permissions"),
    # through the same engine; conditions on aws:SourceAccount are evaluated.
    from fake_ecr.features.replication.access import allows

    dest = fake.registry("us-west-2", B)
    fake.client("ecr", region="us-west-2", as_=fake.identities.root(B)).put_registry_policy(
        policyText=json.dumps(
            policy(
                {
                    "Sid": "Replication",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
                    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                    "Resource": f"arn:aws:ecr:us-west-2:{B}:repository/*",
                    "Condition": {"StringEquals": {"aws:SourceAccount": A}},
                }
            )
        )
    )
    resource = f"arn:aws:ecr:us-west-2:{B}:repository/app"
    assert allows(dest, A, "ecr:ReplicateImage", resource)
    assert not allows(dest, "444455556666", "ecr:ReplicateImage", resource)
    assert not allows(dest, A, "ecr:PutImage", resource)


def test_every_operation_of_both_services_is_authorized_before_it_runs():
    nobody = f"arn:aws:iam::{A}:user/nobody"
    with FakeECR(access_control=True) as fake:
        fake.identities.user(nobody)
        for service, operation in sorted(wiring().handlers):
            with pytest.raises(AccessDenied) as excinfo:
                fake.server.call(service, operation, {}, region="us-east-1", principal=nobody)
            assert excinfo.value.decision.request.action == f"{service}:{operation}"
            assert fake.calls[-1].access_decision is excinfo.value.decision


def test_ecr_public_push_needs_the_identity_policy(fake):
    pusher = fake.identities.role(f"arn:aws:iam::{A}:role/pusher", policies=[policy(allow("ecr-public:*"))])
    public = fake.client("ecr-public", region="us-east-1", as_=pusher)
    public.create_repository(repositoryName="tool")
    # ECR Public's token also needs sts:GetServiceBearerToken (ECR Public user guide, "Registry authentication").
    with pytest.raises(ClientError) as excinfo:
        public.get_authorization_token()
    assert "sts:GetServiceBearerToken" in denied(excinfo)
    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader")
    with pytest.raises(ClientError):
        fake.client("ecr-public", region="us-east-1", as_=reader).initiate_layer_upload(repositoryName="tool")


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        body = err.read().decode()
        assert err.code != 403 or "is not authorized to perform: ecr:BatchGetImage" in body
        return int(err.code)


def test_the_registry_endpoint_pulls_as_the_principal_that_asked_for_the_token(fake):
    fake.push_image("app", "v1")
    puller = fake.identities.role(f"arn:aws:iam::{B}:role/puller", policies=[policy(allow("ecr:*"))])
    token = fake.client("ecr", as_=puller).get_authorization_token()["authorizationData"][0]["authorizationToken"]
    endpoint = fake.registry_endpoint
    url = f"http://{endpoint.address}/v2/{A}.dkr.ecr.us-east-1.amazonaws.com/app/manifests/v1"
    assert _get(url, token) == 403
    fake.client("ecr").set_repository_policy(
        repositoryName="app",
        policyText=repo_policy(
            {"Effect": "Allow", "Principal": {"AWS": B}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}
        ),
    )
    assert _get(url, token) == 200
    assert base64.b64decode(token).startswith(b"AWS:")


def test_mock_ecr_takes_the_switch():
    with mock_ecr(access_control=True) as fake:
        assert fake.access.enabled
        with pytest.raises(ClientError):
            fake.client("ecr", as_=fake.identities.role(f"arn:aws:iam::{A}:role/r")).describe_repositories()


def test_the_marker_and_the_ini_option_switch_it_on(pytester):
    pytester.makeini("[pytest]\nfake_ecr_access_control = true\n")
    pytester.makepyfile(
        test_user="""
        import pytest
        from botocore.exceptions import ClientError

        def test_suite_wide(fake_ecr):
            assert fake_ecr.access.enabled

        @pytest.mark.fake_ecr(access_control=False)
        def test_marker_turns_it_off(fake_ecr):
            assert not fake_ecr.access.enabled

        def test_enforced(fake_ecr):
            role = fake_ecr.identities.role("arn:aws:iam::123456789012:role/r")
            with pytest.raises(ClientError):
                fake_ecr.client("ecr", as_=role).describe_repositories()
    """
    )
    pytester.runpytest_inprocess("-p", "no:cacheprovider", "-q").assert_outcomes(passed=3)


def _post_api(fake: FakeECR, key: str, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        fake.endpoint_url + "/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "X-Amz-Target": f"AmazonEC2ContainerRegistry_V20150921.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20260101/us-east-1/ecr/aws4_request, "
            "SignedHeaders=host, Signature=00",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return int(err.code), json.loads(err.read())


def test_http_api_callers_are_found_by_their_access_key(fake):
    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader", policies=[policy(allow("ecr:ListImages"))])
    assert _post_api(fake, reader.access_key, "ListImages", {"repositoryName": "app"}) == (200, {"imageIds": []})
    status, body = _post_api(fake, reader.access_key, "DescribeImages", {"repositoryName": "app"})
    assert status == 400 and body["__type"] == "AccessDeniedException"
    assert body["message"].startswith(f"User: {reader.arn} is not authorized to perform: ecr:DescribeImages")
    # fake.access_keys may name a principal for any other key.
    fake.access_keys["AKIAOTHER"] = f"arn:aws:iam::{B}:user/someone"
    status, body = _post_api(fake, "AKIAOTHER", "ListImages", {"repositoryName": "app", "registryId": A})
    assert status == 400 and "because no resource-based policy allows" in body["message"]


def test_the_registry_endpoint_refuses_a_push_the_tokens_principal_may_not_make(fake):
    reader = fake.identities.role(
        f"arn:aws:iam::{A}:role/reader", policies=[policy(allow(["ecr:GetAuthorizationToken", "ecr:BatchGetImage"]))]
    )
    token = fake.client("ecr", as_=reader).get_authorization_token()["authorizationData"][0]["authorizationToken"]
    request = urllib.request.Request(
        f"http://{fake.registry_endpoint.address}/v2/{A}.dkr.ecr.us-east-1.amazonaws.com/app/blobs/uploads/",
        data=b"",
        method="POST",
        headers={"Authorization": f"Basic {token}"},
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=10)
    assert excinfo.value.code == 403
    assert "ecr:InitiateLayerUpload" in excinfo.value.read().decode()


def test_refreshable_credentials_are_read_without_refreshing(fake):
    from botocore.credentials import RefreshableCredentials

    def refresh() -> dict[str, str]:
        raise AssertionError("fake_ecr must not refresh a client's credentials")

    reader = fake.identities.role(f"arn:aws:iam::{A}:role/reader", policies=[policy(allow("ecr:ListImages"))])
    client = fake.client("ecr", as_=reader)
    client._request_signer._credentials = RefreshableCredentials(
        reader.access_key, reader.secret_key, None, "2000-01-01T00:00:00Z", refresh, "test"
    )
    assert client.list_images(repositoryName="app")["imageIds"] == []


def test_pull_through_cache_needs_create_repository_and_batch_import_upstream_image(fake):
    # User guide, pull-through-cache: "IAM permissions required to sync an upstream registry".
    ecr = fake.client("ecr")
    fake.upstream("ecr-public").push_image("docker/library/alpine", "3", layers=[b"alpine"])
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    node = fake.identities.role(f"arn:aws:iam::{A}:role/node", policies=[policy(allow("ecr:BatchGetImage"))])
    client = fake.client("ecr", as_=node)
    with pytest.raises(ClientError) as excinfo:
        client.batch_get_image(repositoryName="ecr-public/docker/library/alpine", imageIds=[{"imageTag": "3"}])
    assert "ecr:CreateRepository on resource" in denied(excinfo)
    # The registry policy may grant them (user guide, "Private registry permissions" examples).
    ecr.put_registry_policy(
        policyText=json.dumps(
            policy(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": node.arn},
                    "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
                    "Resource": f"arn:aws:ecr:us-east-1:{A}:repository/ecr-public/*",
                }
            )
        )
    )
    images = client.batch_get_image(repositoryName="ecr-public/docker/library/alpine", imageIds=[{"imageTag": "3"}])
    assert images["images"][0]["imageId"]["imageTag"] == "3"
