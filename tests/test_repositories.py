"""CreateRepository, DescribeRepositories, DeleteRepository and per-repository settings."""

from __future__ import annotations

from datetime import datetime, timezone

import botocore.config
import pytest
from botocore.exceptions import ClientError


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def test_create_repository_defaults(ecr_client, fake_ecr):
    fake_ecr.clock.freeze(datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    repo = ecr_client.create_repository(repositoryName="team/app/web")["repository"]
    assert repo["repositoryArn"] == "arn:aws:ecr:us-east-1:123456789012:repository/team/app/web"
    assert repo["registryId"] == "123456789012"
    assert repo["repositoryUri"] == "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app/web"
    assert repo["createdAt"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert repo["imageTagMutability"] == "MUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": False}
    assert repo["encryptionConfiguration"] == {"encryptionType": "AES256"}
    assert "imageTagMutabilityExclusionFilters" not in repo


def test_create_repository_with_every_setting(ecr_client):
    repo = ecr_client.create_repository(
        repositoryName="app",
        tags=[{"Key": "team", "Value": "web"}],
        imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "dev-*"}],
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": "arn:aws:kms:us-east-1:123456789012:key/k"},
    )["repository"]
    assert repo["imageTagMutability"] == "IMMUTABLE_WITH_EXCLUSION"
    assert repo["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "dev-*"}]
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["encryptionConfiguration"]["kmsKey"].endswith(":key/k")
    tags = ecr_client.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]
    assert tags == [{"Key": "team", "Value": "web"}]


def test_kms_without_key_uses_the_aws_managed_key(ecr_client):
    repo = ecr_client.create_repository(repositoryName="app", encryptionConfiguration={"encryptionType": "KMS"})[
        "repository"
    ]
    key = repo["encryptionConfiguration"]["kmsKey"]
    assert key.startswith("arn:aws:kms:us-east-1:123456789012:key/")


def test_aes256_with_a_kms_key_is_refused(ecr_client):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.create_repository(
            repositoryName="app", encryptionConfiguration={"encryptionType": "AES256", "kmsKey": "k"}
        )


def test_create_existing_repository(ecr_client):
    ecr_client.create_repository(repositoryName="app")
    with pytest.raises(ecr_client.exceptions.RepositoryAlreadyExistsException) as excinfo:
        ecr_client.create_repository(repositoryName="app")
    assert error_of(excinfo) == (
        "RepositoryAlreadyExistsException",
        "The repository with name 'app' already exists in the registry with id '123456789012'",
    )


@pytest.mark.parametrize("name", ["a/b", "a.b-c_d", "a__b", "a--b", "0app", "x" * 256])
def test_valid_repository_names(ecr_client, name):
    assert ecr_client.create_repository(repositoryName=name)["repository"]["repositoryName"] == name


@pytest.mark.parametrize("name", ["App", "a//b", "a/", "-a", "a..b", "a_-b", "x" * 257, "a b"])
def test_invalid_repository_names_are_refused_by_the_service(ecr_client, name):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.create_repository(repositoryName=name)
    code, message = error_of(excinfo)
    assert message.startswith("Invalid parameter at 'repositoryName' failed to satisfy constraint:")


def test_service_side_checks_hold_without_client_validation(fake_ecr):
    client = fake_ecr.client(config=botocore.config.Config(parameter_validation=False))
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName="a")
    assert "Member must have length greater than or equal to 2" in error_of(excinfo)[1]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.describe_repositories(maxResults=0)
    assert "Member must have value greater than or equal to 1" in error_of(excinfo)[1]
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository()
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'Member must not be null'"
    )
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_repository(repositoryName="app", imageTagMutability="SOMETIMES")
    assert "Member must satisfy enum value set" in error_of(excinfo)[1]


def test_client_side_validation_still_comes_first(ecr_client):
    from botocore.exceptions import ParamValidationError

    with pytest.raises(ParamValidationError):
        ecr_client.create_repository(repositoryName="a")


def test_describe_repositories_by_name_and_not_found(ecr_client):
    for name in ("a1", "b2"):
        ecr_client.create_repository(repositoryName=name)
    repos = ecr_client.describe_repositories(repositoryNames=["b2"])["repositories"]
    assert [r["repositoryName"] for r in repos] == ["b2"]
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException) as excinfo:
        ecr_client.describe_repositories(repositoryNames=["a1", "zz"])
    assert error_of(excinfo)[1] == (
        "The repository with name 'zz' does not exist in the registry with id '123456789012'"
    )


def test_describe_repositories_names_cannot_be_combined_with_paging(ecr_client):
    ecr_client.create_repository(repositoryName="a1")
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.describe_repositories(repositoryNames=["a1"], maxResults=5)


def test_describe_repositories_pages(ecr_client):
    names = [f"repo{i:03d}" for i in range(23)]
    for name in names:
        ecr_client.create_repository(repositoryName=name)
    first = ecr_client.describe_repositories(maxResults=10)
    assert len(first["repositories"]) == 10 and "nextToken" in first
    paginator = ecr_client.get_paginator("describe_repositories")
    seen = [
        r["repositoryName"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 7})
        for r in page["repositories"]
    ]
    assert seen == names
    everything = ecr_client.describe_repositories()
    assert len(everything["repositories"]) == 23 and "nextToken" not in everything


def test_default_page_is_100_with_a_token(ecr_client):
    for i in range(101):
        ecr_client.create_repository(repositoryName=f"r{i:03d}")
    page = ecr_client.describe_repositories()
    assert len(page["repositories"]) == 100
    rest = ecr_client.describe_repositories(nextToken=page["nextToken"])
    assert [r["repositoryName"] for r in rest["repositories"]] == ["r100"]


@pytest.mark.parametrize(
    "token", ["garbage", "bm90IGpzb24=", "MTowOkxpc3RJbWFnZXM6MTIzNDU2Nzg5MDEyOnVzLWVhc3QtMTphcHA6Tm9uZQ=="]
)
def test_bad_next_token(ecr_client, token):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.describe_repositories(nextToken=token)
    assert "nextToken" in error_of(excinfo)[1]


def test_max_results_above_the_maximum(ecr_client):
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.describe_repositories(maxResults=1001)
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'maxResults' failed to satisfy constraint: "
        "'Member must have value less than or equal to 1000'"
    )


def test_registries_of_regions_and_accounts_are_separate(fake_ecr):
    east, west = fake_ecr.client(region="us-east-1"), fake_ecr.client(region="eu-west-1")
    east.create_repository(repositoryName="app")
    assert west.describe_repositories()["repositories"] == []
    west.create_repository(repositoryName="app")  # same name, other region: no conflict
    other = east.create_repository(repositoryName="app2", registryId="111122223333")["repository"]
    assert other["registryId"] == "111122223333"
    assert [r["repositoryName"] for r in east.describe_repositories()["repositories"]] == ["app"]
    assert [r["repositoryName"] for r in east.describe_repositories(registryId="111122223333")["repositories"]] == [
        "app2"
    ]


@pytest.mark.fake_ecr(account_id="111122223333", region="eu-central-1")
def test_marker_sets_account_and_region(ecr_client):
    repo = ecr_client.create_repository(repositoryName="app")["repository"]
    assert repo["repositoryArn"] == "arn:aws:ecr:eu-central-1:111122223333:repository/app"


def test_delete_repository(ecr_client, fake_ecr):
    ecr_client.create_repository(repositoryName="sample")
    fake_ecr.push_image("sample", "v1")
    with pytest.raises(ecr_client.exceptions.RepositoryNotEmptyException) as excinfo:
        ecr_client.delete_repository(repositoryName="sample")
    assert error_of(excinfo)[1] == (
        "The repository with name 'sample' in registry with id '123456789012' cannot be deleted "
        "because it still contains images"
    )
    deleted = ecr_client.delete_repository(repositoryName="sample", force=True)["repository"]
    assert deleted["repositoryName"] == "sample"
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.describe_repositories(repositoryNames=["sample"])
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.delete_repository(repositoryName="sample")
    ecr_client.create_repository(repositoryName="sample")  # the name is free again, and empty
    assert ecr_client.list_images(repositoryName="sample")["imageIds"] == []


def test_put_image_tag_mutability(ecr_client):
    ecr_client.create_repository(repositoryName="app")
    out = ecr_client.put_image_tag_mutability(repositoryName="app", imageTagMutability="IMMUTABLE")
    assert out["imageTagMutability"] == "IMMUTABLE" and out["registryId"] == "123456789012"
    out = ecr_client.put_image_tag_mutability(
        repositoryName="app",
        imageTagMutability="MUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "release-*"}],
    )
    assert out["imageTagMutabilityExclusionFilters"] == [{"filterType": "WILDCARD", "filter": "release-*"}]
    repo = ecr_client.describe_repositories()["repositories"][0]
    assert repo["imageTagMutability"] == "MUTABLE_WITH_EXCLUSION"


def test_exclusion_mode_needs_filters(ecr_client):
    ecr_client.create_repository(repositoryName="app")
    with pytest.raises(ecr_client.exceptions.InvalidParameterException) as excinfo:
        ecr_client.put_image_tag_mutability(repositoryName="app", imageTagMutability="IMMUTABLE_WITH_EXCLUSION")
    assert error_of(excinfo)[1] == (
        "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: "
        "'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as "
        "IMMUTABLE_WITH_EXCLUSION'"
    )
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.put_image_tag_mutability(
            repositoryName="app",
            imageTagMutability="IMMUTABLE",
            imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "x"}],
        )
    with pytest.raises(ecr_client.exceptions.InvalidParameterException):
        ecr_client.create_repository(
            repositoryName="other",
            imageTagMutabilityExclusionFilters=[{"filterType": "WILDCARD", "filter": "bad/char"}],
            imageTagMutability="IMMUTABLE_WITH_EXCLUSION",
        )
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.put_image_tag_mutability(repositoryName="nope", imageTagMutability="MUTABLE")


def test_put_image_scanning_configuration(ecr_client):
    ecr_client.create_repository(repositoryName="app")
    out = ecr_client.put_image_scanning_configuration(
        repositoryName="app", imageScanningConfiguration={"scanOnPush": True}
    )
    assert out["imageScanningConfiguration"] == {"scanOnPush": True}
    assert ecr_client.describe_repositories()["repositories"][0]["imageScanningConfiguration"] == {"scanOnPush": True}
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.put_image_scanning_configuration(
            repositoryName="nope", imageScanningConfiguration={"scanOnPush": True}
        )
