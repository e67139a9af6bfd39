"""Repository creation templates: the four operations, template matching and create on push."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

import fake_ecr as fake_ecr_module

# What a template is applied for (appliedFor).
CREATE_ON_PUSH, PULL_THROUGH_CACHE, REPLICATION = "CREATE_ON_PUSH", "PULL_THROUGH_CACHE", "REPLICATION"
MAX_TEMPLATES = 100  # creation templates per registry

LIFECYCLE = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": 14,
                },
                "action": {"type": "expire"},
            }
        ]
    }
)
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Pull",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": ["ecr:BatchGetImage"],
            }
        ],
    }
)


def create(
    client: Any, prefix: str = "prod", applied_for: tuple[str, ...] = (PULL_THROUGH_CACHE,), **extra: Any
) -> dict[str, Any]:
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
        ecr_client,
        "ROOT",
        (REPLICATION, CREATE_ON_PUSH, REPLICATION),
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key},
        resourceTags=[{"Key": "team", "Value": "platform"}],
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "dev-*"}],
        repositoryPolicy=POLICY,
        lifecyclePolicy=LIFECYCLE,
        customRoleArn=role,
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
        {
            "encryptionConfiguration": {
                "encryptionType": "AES256",
                "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/abc",
            }
        },
        {"imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"},
        {
            "imageTagMutability": "IMMUTABLE",
            "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "x"}],
        },
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
    pages = ecr_client.get_paginator("describe_repository_creation_templates").paginate(
        PaginationConfig={"PageSize": 1}
    )
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
    # Each template tags the repositories it creates with its prefix, so the repository tells which one applied.
    for prefix in ("ROOT", "prod", "prod/team"):
        create(ecr_client, prefix, (CREATE_ON_PUSH,), resourceTags=[{"Key": "template", "Value": prefix}])
    create(ecr_client, "prod/team/app", (PULL_THROUGH_CACHE,), resourceTags=[{"Key": "template", "Value": "app"}])

    def chosen(name: str) -> str:
        ecr_client.initiate_layer_upload(repositoryName=name)  # a push creates the repository
        arn = ecr_client.describe_repositories(repositoryNames=[name])["repositories"][0]["repositoryArn"]
        [tag] = ecr_client.list_tags_for_resource(resourceArn=arn)["tags"]
        return str(tag["Value"])

    assert chosen("prod/team/app") == "prod/team"  # the longer one is for another scenario
    assert chosen("prod/team") == "prod/team"
    assert chosen("prod/other") == "prod"
    assert chosen("production") == "ROOT"  # "prod" means "prod/"
    ecr_client.delete_repository_creation_template(prefix="ROOT")
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.initiate_layer_upload(repositoryName="xyz")  # no template for this scenario and name


def replicate_to(client: Any, region: str, repository: str) -> None:
    """Replicate ``repository`` to ``region`` of the same account by pushing an image to it."""
    account = client.describe_registry()["registryId"]
    client.put_replication_configuration(
        replicationConfiguration={"rules": [{"destinations": [{"region": region, "registryId": account}]}]}
    )
    client.create_repository(repositoryName=repository)
    fake_ecr_module.push_image(client, repository, "v1")


def test_a_replication_template_configures_the_repository_it_creates(ecr_client, fake_ecr):
    west = fake_ecr.client(region="us-west-2")
    create(
        west,
        "mirror",
        (REPLICATION,),
        imageTagMutability="IMMUTABLE",
        encryptionConfiguration={"encryptionType": "KMS"},
        resourceTags=[{"Key": "a", "Value": "b"}],
        repositoryPolicy=POLICY,
        lifecyclePolicy=LIFECYCLE,
    )
    replicate_to(ecr_client, "us-west-2", "mirror/app")
    described = west.describe_repositories(repositoryNames=["mirror/app"])["repositories"][0]
    assert described["imageTagMutability"] == "IMMUTABLE"
    assert described["encryptionConfiguration"]["encryptionType"] == "KMS"
    assert described["encryptionConfiguration"]["kmsKey"].startswith("arn:aws:kms:us-west-2:123456789012:key/")
    tags = west.list_tags_for_resource(resourceArn=described["repositoryArn"])["tags"]
    assert tags == [{"Key": "a", "Value": "b"}]
    assert json.loads(west.get_repository_policy(repositoryName="mirror/app")["policyText"]) == json.loads(POLICY)
    lifecycle = west.get_lifecycle_policy(repositoryName="mirror/app")["lifecyclePolicyText"]
    assert json.loads(lifecycle) == json.loads(LIFECYCLE)


def test_without_a_template_replication_uses_defaults_and_a_push_creates_nothing(ecr_client, fake_ecr):
    west = fake_ecr.client(region="us-west-2")
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.initiate_layer_upload(repositoryName="elsewhere")  # create on push needs a template
    replicate_to(ecr_client, "us-west-2", "plain")
    repo = west.describe_repositories(repositoryNames=["plain"])["repositories"][0]
    assert repo["imageTagMutability"] == "MUTABLE"
    assert repo["encryptionConfiguration"] == {"encryptionType": "AES256"}
    fake_ecr_module.push_image(ecr_client, "plain", "v2")  # the copy's repository exists now and is reused
    assert len(west.describe_images(repositoryName="plain")["imageDetails"]) == 2


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
            repositoryName="new", layerDigests=["sha256:" + "a" * 64]
        ),
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
    west.create_repository_creation_template(
        prefix="ROOT", appliedFor=[REPLICATION], encryptionConfiguration={"encryptionType": "KMS"}
    )
    replicate_to(ecr_client, "us-west-2", "copy")
    repo = west.describe_repositories(repositoryNames=["copy"])["repositories"][0]
    assert repo["encryptionConfiguration"]["kmsKey"].startswith("arn:aws:kms:us-west-2:123456789012:key/")
