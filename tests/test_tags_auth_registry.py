"""Resource tags, GetAuthorizationToken and DescribeRegistry."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

ARN = "arn:aws:ecr:us-east-1:123456789012:repository/app"


def test_tag_untag_list(ecr_client, repo):
    ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}])
    ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "a", "Value": "2"}])  # overwrite, keep b
    assert ecr_client.list_tags_for_resource(resourceArn=ARN)["tags"] == [
        {"Key": "a", "Value": "2"},
        {"Key": "b", "Value": ""},
    ]
    ecr_client.untag_resource(resourceArn=ARN, tagKeys=["a", "not-there"])
    assert ecr_client.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"Key": "b", "Value": ""}]


def test_tag_limits(ecr_client, repo):
    ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": f"k{i}", "Value": "v"} for i in range(50)])
    with pytest.raises(ecr_client.exceptions.TooManyTagsException):
        ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "one-more", "Value": "v"}])
    ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "k0", "Value": "changed"}])  # still 50
    with pytest.raises(ecr_client.exceptions.TooManyTagsException):
        ecr_client.create_repository(repositoryName="big", tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)])


@pytest.mark.parametrize(
    "tag",
    [
        {"Key": "k" * 129, "Value": "v"},
        {"Key": "k", "Value": "v" * 257},
        {"Key": "aws:owner", "Value": "me"},
        {"Key": "", "Value": "v"},
    ],
)
def test_invalid_tags(ecr_client, repo, tag):
    with pytest.raises(ecr_client.exceptions.InvalidTagParameterException):
        ecr_client.tag_resource(resourceArn=ARN, tags=[tag])
    with pytest.raises(ecr_client.exceptions.InvalidTagParameterException):
        ecr_client.create_repository(repositoryName="other", tags=[tag])
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.describe_repositories(repositoryNames=["other"])  # refused whole, not half-created


@pytest.mark.parametrize(
    "arn",
    ["not-an-arn", "arn:aws:s3:::bucket", "arn:aws:ecr:eu-west-1:123456789012:repository/app"],
)
def test_malformed_or_foreign_arn(ecr_client, repo, arn):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.list_tags_for_resource(resourceArn=arn)


def test_tags_of_a_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "a", "Value": "b"}])
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.untag_resource(resourceArn=ARN, tagKeys=["a"])


def test_tags_go_with_the_repository(ecr_client, repo):
    ecr_client.tag_resource(resourceArn=ARN, tags=[{"Key": "a", "Value": "1"}])
    ecr_client.delete_repository(repositoryName="app")
    ecr_client.create_repository(repositoryName="app")
    assert ecr_client.list_tags_for_resource(resourceArn=ARN)["tags"] == []


def test_authorization_token(ecr_client, fake_ecr):
    now = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
    fake_ecr.clock.freeze(now)
    data = ecr_client.get_authorization_token()["authorizationData"]
    assert len(data) == 1
    user, password = base64.b64decode(data[0]["authorizationToken"]).decode().split(":", 1)
    assert user == "AWS" and len(password) > 20
    assert data[0]["expiresAt"] == now + timedelta(hours=12)
    assert data[0]["proxyEndpoint"] == "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
    again = ecr_client.get_authorization_token()["authorizationData"][0]
    assert again["authorizationToken"] != data[0]["authorizationToken"]


def test_authorization_token_for_registry_ids(ecr_client):
    data = ecr_client.get_authorization_token(registryIds=["111122223333", "444455556666"])["authorizationData"]
    assert [d["proxyEndpoint"] for d in data] == [
        "https://111122223333.dkr.ecr.us-east-1.amazonaws.com",
        "https://444455556666.dkr.ecr.us-east-1.amazonaws.com",
    ]
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.get_authorization_token(registryIds=[str(10**11 + i) for i in range(11)])
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.get_authorization_token(registryIds=["12345"])


@pytest.mark.fake_ecr(account_id="210987654321", region="ap-southeast-2")
def test_describe_registry(ecr_client):
    out = ecr_client.describe_registry()
    assert out["registryId"] == "210987654321"
    assert out["replicationConfiguration"] == {"rules": []}
