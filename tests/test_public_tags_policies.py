"""ECR Public resource tags and repository policies."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


@pytest.fixture
def arn(ecr_public_client) -> str:
    return ecr_public_client.create_repository(repositoryName="app")["repository"]["repositoryArn"]


def test_tag_untag_list(ecr_public_client, arn):
    ecr_public_client.tag_resource(resourceArn=arn, tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ecr_public_client.tag_resource(resourceArn=arn, tags=[{"Key": "a", "Value": "3"}])
    assert ecr_public_client.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"Key": "a", "Value": "3"},
        {"Key": "b", "Value": "2"},
    ]
    ecr_public_client.untag_resource(resourceArn=arn, tagKeys=["a", "missing"])
    assert ecr_public_client.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "b", "Value": "2"}]


def test_tag_limits(ecr_public_client, arn):
    ecr_public_client.tag_resource(resourceArn=arn, tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    with pytest.raises(ClientError) as err:
        ecr_public_client.tag_resource(resourceArn=arn, tags=[{"Key": "one-more", "Value": "v"}])
    assert _code(err) == "TooManyTagsException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.tag_resource(resourceArn=arn, tags=[{"Key": "aws:x", "Value": "v"}])
    assert _code(err) == "InvalidTagParameterException"
    assert len(ecr_public_client.list_tags_for_resource(resourceArn=arn)["tags"]) == 50


def test_tag_operations_on_unknown_or_malformed_arns(ecr_public_client, fake_ecr, arn):
    missing = f"arn:aws:ecr-public::{fake_ecr.account_id}:repository/missing"
    private = f"arn:aws:ecr:us-east-1:{fake_ecr.account_id}:repository/app"
    calls = {
        "tag_resource": {"tags": [{"Key": "a", "Value": "b"}]},
        "untag_resource": {"tagKeys": ["a"]},
        "list_tags_for_resource": {},
    }
    for name, kwargs in calls.items():
        with pytest.raises(ClientError) as err:
            getattr(ecr_public_client, name)(resourceArn=missing, **kwargs)
        assert _code(err) == "RepositoryNotFoundException"
        with pytest.raises(ClientError) as err:
            getattr(ecr_public_client, name)(resourceArn=private, **kwargs)
        assert _code(err) == "InvalidParameterException"


POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Push",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
            "Action": ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage"],
        }
    ],
}


def test_set_get_delete_repository_policy(ecr_public_client, fake_ecr, arn):
    set_result = ecr_public_client.set_repository_policy(repositoryName="app", policyText=json.dumps(POLICY))
    assert set_result["registryId"] == fake_ecr.account_id and set_result["repositoryName"] == "app"
    assert json.loads(set_result["policyText"]) == POLICY
    got = ecr_public_client.get_repository_policy(repositoryName="app")
    assert got["policyText"] == set_result["policyText"]
    assert json.loads(got["policyText"])["Statement"][0]["Sid"] == "Push"
    deleted = ecr_public_client.delete_repository_policy(repositoryName="app")
    assert deleted["policyText"] == set_result["policyText"]
    for call in (ecr_public_client.get_repository_policy, ecr_public_client.delete_repository_policy):
        with pytest.raises(ClientError) as err:
            call(repositoryName="app")
        assert _code(err) == "RepositoryPolicyNotFoundException"
        assert err.value.response["Error"]["Message"] == (
            f"Repository policy does not exist for the repository with name 'app' in the registry with id "
            f"'{fake_ecr.account_id}'"
        )


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:PutImage"}]},
        {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr-public:*", "Resource": "*"}]},
    ],
)
def test_invalid_policies_are_refused(ecr_public_client, arn, document):
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(ClientError) as err:
        ecr_public_client.set_repository_policy(repositoryName="app", policyText=text)
    assert _code(err) == "InvalidParameterException"
    assert err.value.response["Error"]["Message"] == (
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'"
    )


def test_policy_operations_on_missing_repository(ecr_public_client):
    for call, kwargs in (
        (ecr_public_client.set_repository_policy, {"policyText": json.dumps(POLICY), "force": True}),
        (ecr_public_client.get_repository_policy, {}),
        (ecr_public_client.delete_repository_policy, {}),
    ):
        with pytest.raises(ClientError) as err:
            call(repositoryName="missing", **kwargs)
        assert _code(err) == "RepositoryNotFoundException"
