"""Repository creation templates: the four operations, template matching and create on push."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

import fake_ecr as fake_ecr_module
from fake_ecr.features.creation_templates.templates import (
    CREATE_ON_PUSH,
    PULL_THROUGH_CACHE,
    REPLICATION,
    apply_creation_template,
    best_template,
)
from fake_ecr.features.creation_templates.ecr_handlers import MAX_TEMPLATES

LIFECYCLE = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged",
                        "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                        "action": {"type": "expire"}}]})
POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow",
                     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:BatchGetImage"]}]})


def create(client: Any, prefix: str = "prod", applied_for: tuple[str, ...] = (PULL_THROUGH_CACHE,), **extra: Any) -> dict[str, Any]:
    return client.create_repository_creation_template(prefix=prefix, appliedFor=list(applied_for), **extra)


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


# -- Create / Describe / Update / Delete --------------------------------------------------------------


def test_create_returns_the_template_with_defaults(ecr_client, fake_ecr):
    answer = create(ecr_client, description="prod repos")
    template = answer["repositoryCreationTemplate"]
    assert answer["registryId"] == fake_ecr.account_id
    assert template["prefix"] == "prod"
    assert template["description"] == "prod repos"
    assert template["appliedFor"] == [PULL_THROUGH_CACHE]
    assert template["imageTagMutability"] == "MUTABLE"
    assert template["encryptionConfiguration"] == {"encryptionType": "AES256"}
    assert template["createdAt"] == template["updatedAt"]
    assert "repositoryPolicy" not in template and "lifecyclePolicy" not in template


def test_create_with_every_setting(ecr_client):
    role = "arn:aws:iam::123456789012:role/ecr-templates"
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    template = create(
        ecr_client, "ROOT", (REPLICATION, CREATE_ON_PUSH, REPLICATION),
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key},
        resourceTags=[{"Key": "team", "Value": "platform"}],
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "dev-*"}],
        repositoryPolicy=POLICY, lifecyclePolicy=LIFECYCLE, customRoleArn=role,
    )["repositoryCreationTemplate"]
    assert template["appliedFor"] == [REPLICATION, CREATE_ON_PUSH]
    assert template["encryptionConfiguration"] == {"encryptionType": "KMS", "kmsKey": key}
    assert template["resourceTags"] == [{"Key": "team", "Value": "platform"}]
    assert template["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "dev-*"}]
    assert template["repositoryPolicy"] == POLICY
    assert json.loads(template["lifecyclePolicy"]) == json.loads(LIFECYCLE)
    assert template["customRoleArn"] == role


def test_duplicate_prefix_is_refused(ecr_client):
    create(ecr_client)
    with pytest.raises(ecr_client.exceptions.TemplateAlreadyExistsException):
        create(ecr_client, applied_for=(REPLICATION,))


@pytest.mark.parametrize(
    "extra",
    [
        {"appliedFor": []},
        {"encryptionConfiguration": {"encryptionType": "AES256",
                                     "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/abc"}},
        {"imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"},
        {"imageTagMutability": "IMMUTABLE", "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "x"}]},
        {"repositoryPolicy": "{not json"},
        {"lifecyclePolicy": json.dumps({"rules": []})},
        {"customRoleArn": "arn:aws:iam::999999999999:role/elsewhere"},
        {"customRoleArn": "not-an-arn"},
        {"resourceTags": [{"Key": "aws:reserved", "Value": "x"}]},
        {"resourceTags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]},
    ],
)
def test_invalid_settings_are_invalid_parameters(ecr_client, extra):
    params = {"prefix": "prod", "appliedFor": [PULL_THROUGH_CACHE], **extra}
    with pytest.raises(ClientError) as excinfo:
        ecr_client.create_repository_creation_template(**params)
    assert error_code(excinfo) == "InvalidParameterException"
    assert ecr_client.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


def test_limit_on_templates(ecr_client):
    for i in range(MAX_TEMPLATES):
        create(ecr_client, f"p{i}")
    with pytest.raises(ecr_client.exceptions.LimitExceededException):
        create(ecr_client, "one-more")


def test_describe_all_some_and_paginated(ecr_client, fake_ecr):
    for prefix in ("a", "b", "c", "ROOT"):
        create(ecr_client, prefix)
    everything = ecr_client.describe_repository_creation_templates()
    assert everything["registryId"] == fake_ecr.account_id
    assert [t["prefix"] for t in everything["repositoryCreationTemplates"]] == ["a", "b", "c", "ROOT"]
    some = ecr_client.describe_repository_creation_templates(prefixes=["c", "a", "unknown"])
    assert [t["prefix"] for t in some["repositoryCreationTemplates"]] == ["a", "c"]
    first = ecr_client.describe_repository_creation_templates(maxResults=3)
    assert len(first["repositoryCreationTemplates"]) == 3
    rest = ecr_client.describe_repository_creation_templates(maxResults=3, nextToken=first["nextToken"])
    assert [t["prefix"] for t in rest["repositoryCreationTemplates"]] == ["ROOT"]
    assert "nextToken" not in rest
    pages = ecr_client.get_paginator("describe_repository_creation_templates").paginate(PaginationConfig={"PageSize": 1})
    assert [t["prefix"] for p in pages for t in p["repositoryCreationTemplates"]] == ["a", "b", "c", "ROOT"]


def test_describe_refuses_a_foreign_token(ecr_client):
    with pytest.raises(ClientError) as excinfo:
        ecr_client.describe_repository_creation_templates(nextToken="garbage")
    assert error_code(excinfo) == "InvalidParameterException"


def test_update_changes_only_what_it_names(ecr_client, fake_ecr):
    fake_ecr.clock.freeze()
    create(ecr_client, lifecyclePolicy=LIFECYCLE, description="before")
    fake_ecr.clock.advance(60)
    template = ecr_client.update_repository_creation_template(
        prefix="prod", imageTagMutability="IMMUTABLE", appliedFor=[CREATE_ON_PUSH]
    )["repositoryCreationTemplate"]
    assert template["imageTagMutability"] == "IMMUTABLE"
    assert template["appliedFor"] == [CREATE_ON_PUSH]
    assert template["description"] == "before"
    assert "lifecyclePolicy" in template
    assert (template["updatedAt"] - template["createdAt"]).total_seconds() == 60
    cleared = ecr_client.update_repository_creation_template(prefix="prod", lifecyclePolicy="")
    assert "lifecyclePolicy" not in cleared["repositoryCreationTemplate"]


def test_update_validates_like_create(ecr_client):
    create(ecr_client)
    with pytest.raises(ClientError) as excinfo:
        ecr_client.update_repository_creation_template(prefix="prod", repositoryPolicy="[]")
    assert error_code(excinfo) == "InvalidParameterException"


def test_update_and_delete_of_a_missing_template(ecr_client):
    with pytest.raises(ecr_client.exceptions.TemplateNotFoundException):
        ecr_client.update_repository_creation_template(prefix="nope", description="x")
    with pytest.raises(ecr_client.exceptions.TemplateNotFoundException):
        ecr_client.delete_repository_creation_template(prefix="nope")


def test_delete_returns_the_template_and_removes_it(ecr_client):
    create(ecr_client, description="gone soon")
    deleted = ecr_client.delete_repository_creation_template(prefix="prod")
    assert deleted["repositoryCreationTemplate"]["description"] == "gone soon"
    assert ecr_client.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


# -- which template applies -----------------------------------------------------------------------------


def test_longest_prefix_wins_and_root_is_the_fallback(ecr_client, fake_ecr):
    for prefix in ("ROOT", "prod", "prod/team"):
        create(ecr_client, prefix, (REPLICATION,))
    create(ecr_client, "prod/team/app", (PULL_THROUGH_CACHE,))
    registry = fake_ecr.registry()

    def chosen(name: str) -> str:
        template = best_template(registry, name, REPLICATION)
        assert template is not None
        return template.prefix

    assert chosen("prod/team/app") == "prod/team"  # the longer one is for another scenario
    assert chosen("prod/team") == "prod/team"
    assert chosen("prod/other") == "prod"
    assert chosen("production") == "ROOT"  # "prod" means "prod/"
    assert best_template(registry, "x", CREATE_ON_PUSH) is None


def test_apply_creation_template_configures_the_repository(ecr_client, fake_ecr):
    create(ecr_client, "mirror", (REPLICATION,), imageTagMutability="IMMUTABLE",
           encryptionConfiguration={"encryptionType": "KMS"}, resourceTags=[{"Key": "a", "Value": "b"}],
           repositoryPolicy=POLICY, lifecyclePolicy=LIFECYCLE)
    call = fake_ecr.server.new_call("ecr", "Replication", fake_ecr.region)
    with fake_ecr.backend.lock:
        repo = apply_creation_template(call, fake_ecr.registry(), "mirror/app", REPLICATION)
    assert repo is fake_ecr.repository("mirror/app")
    described = ecr_client.describe_repositories(repositoryNames=["mirror/app"])["repositories"][0]
    assert described["imageTagMutability"] == "IMMUTABLE"
    assert described["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert described["encryptionConfiguration"]["kmsKey"].startswith("arn:aws:kms:us-east-1:123456789012:key/")
    tags = ecr_client.list_tags_for_resource(resourceArn=described["repositoryArn"])["tags"]
    assert tags == [{"Key": "a", "Value": "b"}]
    assert json.loads(ecr_client.get_repository_policy(repositoryName="mirror/app")["policyText"]) == json.loads(POLICY)
    lifecycle = ecr_client.get_lifecycle_policy(repositoryName="mirror/app")["lifecyclePolicyText"]
    assert json.loads(lifecycle) == json.loads(LIFECYCLE)


def test_apply_without_template_uses_defaults_or_nothing(fake_ecr):
    call = fake_ecr.server.new_call("ecr", "Replication", fake_ecr.region)
    registry = fake_ecr.registry()
    with fake_ecr.backend.lock:
        assert apply_creation_template(call, registry, "plain", CREATE_ON_PUSH, require_template=True) is None
        repo = apply_creation_template(call, registry, "plain", REPLICATION)
        assert repo is not None and repo.tag_mutability == "MUTABLE"
        assert repo.encryption == {"encryptionType": "AES256"}
        assert apply_creation_template(call, registry, "plain", REPLICATION) is repo


# -- create on push ---------------------------------------------------------------------------------------


def test_push_to_a_missing_repository_creates_it_from_a_create_on_push_template(ecr_client, fake_ecr):
    create(ecr_client, "team", (CREATE_ON_PUSH,), imageTagMutability="IMMUTABLE")
    digest = fake_ecr_module.push_image(ecr_client, "team/service", "v1")
    repo = ecr_client.describe_repositories(repositoryNames=["team/service"])["repositories"][0]
    assert repo["imageTagMutability"] == "IMMUTABLE"
    images = ecr_client.describe_images(repositoryName="team/service")["imageDetails"]
    assert [i["imageDigest"] for i in images] == [digest]


@pytest.mark.parametrize("operation", ["BatchCheckLayerAvailability", "InitiateLayerUpload", "PutImage"])
def test_each_push_operation_creates_the_repository(ecr_client, fake_ecr, operation):
    create(ecr_client, "ROOT", (CREATE_ON_PUSH,))
    calls = {
        "BatchCheckLayerAvailability": lambda: ecr_client.batch_check_layer_availability(
            repositoryName="new", layerDigests=["sha256:" + "a" * 64]),
        "InitiateLayerUpload": lambda: ecr_client.initiate_layer_upload(repositoryName="new"),
        "PutImage": lambda: ecr_client.put_image(repositoryName="new", imageManifest="{}"),
    }
    try:
        calls[operation]()
    except ClientError:
        pass  # an invalid manifest is still refused, after the repository exists
    assert ecr_client.describe_repositories(repositoryNames=["new"])["repositories"][0]["repositoryName"] == "new"


def test_pull_and_other_templates_do_not_create_on_push(ecr_client):
    create(ecr_client, "ROOT", (PULL_THROUGH_CACHE, REPLICATION))
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.initiate_layer_upload(repositoryName="new")
    create(ecr_client, "other", (CREATE_ON_PUSH,))
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.batch_get_image(repositoryName="other/app", imageIds=[{"imageTag": "latest"}])
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.initiate_layer_upload(repositoryName="otherwise")


def test_a_repository_created_in_another_region_gets_that_regions_managed_key(ecr_client, fake_ecr):
    west = fake_ecr.client(region="us-west-2")
    west.create_repository_creation_template(prefix="ROOT", appliedFor=[REPLICATION],
                                             encryptionConfiguration={"encryptionType": "KMS"})
    call = fake_ecr.server.new_call("ecr", "Replication", "us-east-1")
    with fake_ecr.backend.lock:
        repo = apply_creation_template(call, fake_ecr.registry(region="us-west-2"), "copy", REPLICATION)
    assert repo is not None and repo.encryption["kmsKey"].startswith("arn:aws:kms:us-west-2:123456789012:key/")
