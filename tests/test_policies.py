"""Repository and registry policies: storing, reading, deleting and validating them as ECR does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from fake_ecr.features.policies.documents import PolicyError, parse_document, pretty_json

# Internal on purpose: unit tests of the policy parser and of the parsed documents access control reads.
from fake_ecr.features.policies.stored import registry_policy, repository_policy

PULL_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "AllowPull",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }
    ],
}

REPLICATION_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "ReplicationAccess",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
            "Resource": "arn:aws:ecr:us-east-1:123456789012:repository/*",
        }
    ],
}


def _error(exc: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return exc.value.response["Error"]["Code"], exc.value.response["Error"]["Message"]


# -- repository policies --------------------------------------------------------------------------


def test_set_get_delete_repository_policy(ecr_client, repo):
    text = json.dumps(PULL_POLICY)
    set_result = ecr_client.set_repository_policy(repositoryName=repo, policyText=text)
    assert set_result["registryId"] == "123456789012"
    assert set_result["repositoryName"] == repo
    assert json.loads(set_result["policyText"]) == PULL_POLICY

    got = ecr_client.get_repository_policy(repositoryName=repo)
    assert got["policyText"] == set_result["policyText"]

    deleted = ecr_client.delete_repository_policy(repositoryName=repo)
    assert json.loads(deleted["policyText"]) == PULL_POLICY
    with pytest.raises(ecr_client.exceptions.RepositoryPolicyNotFoundException):
        ecr_client.get_repository_policy(repositoryName=repo)


def test_policy_text_is_returned_reformatted_like_ecr(ecr_client, repo):
    ecr_client.set_repository_policy(repositoryName=repo, policyText=json.dumps(PULL_POLICY))
    text = ecr_client.get_repository_policy(repositoryName=repo)["policyText"]
    assert text.startswith('{\n  "Version" : "2012-10-17",\n  "Statement" : [ {\n    "Sid" : "AllowPull",')
    assert '"Action" : [ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer" ]' in text
    assert text.endswith("\n  } ]\n}")


def test_set_repository_policy_with_force_replaces_the_policy(ecr_client, repo):
    ecr_client.set_repository_policy(repositoryName=repo, policyText=json.dumps(PULL_POLICY))
    other = dict(PULL_POLICY, Statement=[dict(PULL_POLICY["Statement"][0], Effect="Deny")])
    ecr_client.set_repository_policy(repositoryName=repo, policyText=json.dumps(other), force=True)
    assert json.loads(ecr_client.get_repository_policy(repositoryName=repo)["policyText"]) == other


def test_repository_policy_not_found_messages(ecr_client, repo):
    for call in (ecr_client.get_repository_policy, ecr_client.delete_repository_policy):
        with pytest.raises(ClientError) as exc:
            call(repositoryName=repo)
        assert _error(exc) == (
            "RepositoryPolicyNotFoundException",
            "Repository policy does not exist for the repository with name 'app' in the registry "
            "with id '123456789012'",
        )


def test_repository_policy_on_missing_repository(ecr_client):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.set_repository_policy(repositoryName="nope", policyText=json.dumps(PULL_POLICY))


def _statement(**changes: Any) -> str:
    statement = dict(PULL_POLICY["Statement"][0])
    for key, value in changes.items():
        if value is None:
            statement.pop(key, None)
        else:
            statement[key] = value
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


INVALID_REPOSITORY_POLICIES = {
    "malformed json": '{"Version": "2012-10-17", "Statement": [',
    "empty": "",
    "not an object": "[]",
    "no statement": json.dumps({"Version": "2012-10-17"}),
    "empty statement list": json.dumps({"Version": "2012-10-17", "Statement": []}),
    "no effect": _statement(Effect=None),
    "bad effect": _statement(Effect="Maybe"),
    "no principal": _statement(Principal=None),
    "no action": _statement(Action=None),
    "action outside ecr": _statement(Action=["s3:GetObject"]),
    "resource in a repository policy": _statement(Resource="*"),
    "unknown element": _statement(Colour="blue"),
    "bad version": json.dumps(dict(PULL_POLICY, Version="2020-01-01")),
}


@pytest.mark.parametrize("text", INVALID_REPOSITORY_POLICIES.values(), ids=INVALID_REPOSITORY_POLICIES.keys())
def test_invalid_repository_policies(ecr_client, repo, text):
    with pytest.raises(ClientError) as exc:
        ecr_client.set_repository_policy(repositoryName=repo, policyText=text)
    assert _error(exc) == (
        "InvalidParameterException",
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
    )


def test_repository_policy_size_limit(ecr_client, repo):
    big = _statement(Sid="x" * 10_300)
    with pytest.raises(ClientError) as exc:
        ecr_client.set_repository_policy(repositoryName=repo, policyText=big)
    assert _error(exc) == (
        "InvalidParameterException",
        "Invalid parameter at 'policyText' failed to satisfy constraint: "
        "'Member must have length less than or equal to 10240'",
    )


def test_wildcard_actions_and_single_statement_object_are_accepted(ecr_client, repo):
    text = json.dumps({"Statement": {"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}})
    ecr_client.set_repository_policy(repositoryName=repo, policyText=text)
    assert (
        json.loads(ecr_client.get_repository_policy(repositoryName=repo)["policyText"])["Statement"]["Action"]
        == "ecr:*"
    )


def test_parsed_policy_is_kept_for_access_control(ecr_client, repo, fake_ecr):
    ecr_client.set_repository_policy(repositoryName=repo, policyText=json.dumps(PULL_POLICY))
    policy = repository_policy(fake_ecr.repository(repo))
    assert policy is not None
    (statement,) = policy.document.statements
    assert statement.effect == "Allow"
    assert statement.principals == {"AWS": ("arn:aws:iam::111122223333:root",)}
    assert policy.document.statements_for("ecr:BatchGetImage") == [statement]
    assert policy.document.statements_for("ecr:PutImage") == []


# -- registry policies ----------------------------------------------------------------------------


def test_put_get_delete_registry_policy(ecr_client, fake_ecr):
    put = ecr_client.put_registry_policy(policyText=json.dumps(REPLICATION_POLICY))
    assert put["registryId"] == "123456789012"
    assert json.loads(put["policyText"]) == REPLICATION_POLICY
    assert json.loads(ecr_client.get_registry_policy()["policyText"]) == REPLICATION_POLICY
    stored = registry_policy(fake_ecr.registry())
    assert stored is not None and stored.document.statements[0].resources == (
        "arn:aws:ecr:us-east-1:123456789012:repository/*",
    )
    deleted = ecr_client.delete_registry_policy()
    assert json.loads(deleted["policyText"]) == REPLICATION_POLICY
    with pytest.raises(ecr_client.exceptions.RegistryPolicyNotFoundException):
        ecr_client.get_registry_policy()


def test_registry_policy_not_found(ecr_client):
    for call in (ecr_client.get_registry_policy, ecr_client.delete_registry_policy):
        with pytest.raises(ClientError) as exc:
            call()
        assert _error(exc) == (
            "RegistryPolicyNotFoundException",
            "Registry policy does not exist in the registry with id '123456789012'",
        )


def test_registry_policies_are_per_region(fake_ecr):
    fake_ecr.client(region="us-east-1").put_registry_policy(policyText=json.dumps(REPLICATION_POLICY))
    with pytest.raises(ClientError):
        fake_ecr.client(region="eu-west-1").get_registry_policy()


@pytest.mark.parametrize(
    "text",
    ['{"Statement": ', json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*"}]})],
)
def test_invalid_registry_policies(ecr_client, text):
    with pytest.raises(ClientError) as exc:
        ecr_client.put_registry_policy(policyText=text)
    assert _error(exc) == (
        "InvalidParameterException",
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'",
    )


# -- the service-neutral parser ---------------------------------------------------------------------


def test_parser_takes_the_service_action_prefix():
    text = json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr-public:BatchGetImage"}]})
    document = parse_document(text, action_prefix="ecr-public:", allow_resource=False)
    assert document.statements[0].actions == ("ecr-public:BatchGetImage",)
    with pytest.raises(PolicyError):
        parse_document(text, action_prefix="ecr:", allow_resource=False)


def test_not_action_statements_cover_everything_else():
    text = json.dumps({"Statement": [{"Effect": "Deny", "Principal": "*", "NotAction": "ecr:Batch*"}]})
    document = parse_document(text, action_prefix="ecr:", allow_resource=False)
    assert document.statements_for("ecr:PutImage")
    assert not document.statements_for("ecr:BatchGetImage")


def test_pretty_json_matches_jacksons_layout():
    assert pretty_json({}) == "{ }"
    assert pretty_json({"a": []}) == '{\n  "a" : [ ]\n}'
    assert pretty_json({"a": [1, {"b": "é"}]}) == '{\n  "a" : [ 1, {\n    "b" : "é"\n  } ]\n}'
