"""ECR Public repositories: create, describe, delete and catalog data."""

from __future__ import annotations

import hashlib
import re

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from helpers import png

from fake_ecr import push_image


def _code(err: pytest.ExceptionInfo[ClientError]) -> str:
    return err.value.response["Error"]["Code"]


def _alias(fake_ecr) -> str:
    return fake_ecr.public_registry().primary_alias.name


def test_create_repository_returns_arn_uri_and_empty_catalog(ecr_public_client, fake_ecr):
    result = ecr_public_client.create_repository(repositoryName="project-a/nginx-web-app")
    repo = result["repository"]
    assert set(repo) == {"repositoryArn", "registryId", "repositoryName", "repositoryUri", "createdAt"}
    assert repo["repositoryArn"] == f"arn:aws:ecr-public::{fake_ecr.account_id}:repository/project-a/nginx-web-app"
    assert repo["repositoryUri"] == f"public.ecr.aws/{_alias(fake_ecr)}/project-a/nginx-web-app"
    assert repo["registryId"] == fake_ecr.account_id
    assert repo["createdAt"].timestamp() == pytest.approx(fake_ecr.clock.time(), abs=5)
    assert result["catalogData"] == {}


def test_create_repository_with_catalog_data(ecr_public_client):
    logo = png(120, 80)
    result = ecr_public_client.create_repository(
        repositoryName="app",
        catalogData={
            "description": "My repository",
            "architectures": ["ARM", "ARM 64", "x86", "x86-64"],
            "operatingSystems": ["Linux"],
            "logoImageBlob": logo,
            "aboutText": "## About",
            "usageText": "## Usage",
        },
    )
    catalog = result["catalogData"]
    assert catalog["description"] == "My repository"
    assert catalog["architectures"] == ["ARM", "ARM 64", "x86", "x86-64"]
    assert catalog["operatingSystems"] == ["Linux"]
    assert catalog["aboutText"] == "## About" and catalog["usageText"] == "## Usage"
    assert "logoImageBlob" not in catalog
    assert re.fullmatch(
        r"https://d[0-9a-f]+\.cloudfront\.net/logo/[0-9a-f-]{36}/[0-9a-f-]{36}\.png", catalog["logoUrl"]
    )
    assert ecr_public_client.get_repository_catalog_data(repositoryName="app")["catalogData"] == catalog


def test_unsupported_architecture_and_os_tags_are_kept(ecr_public_client):
    # They are stored and returned; only the gallery ignores them.
    result = ecr_public_client.create_repository(
        repositoryName="app", catalogData={"architectures": ["riscv64"], "operatingSystems": ["Plan 9"]}
    )
    assert result["catalogData"] == {"architectures": ["riscv64"], "operatingSystems": ["Plan 9"]}


@pytest.mark.parametrize(
    "blob, fragment",
    [
        (b"GIF89a not a png at all", "PNG"),
        (png(59, 100), "59x100"),
        (png(100, 2049), "100x2049"),
    ],
)
def test_logo_must_be_a_png_of_60_to_2048_pixels(ecr_public_client, blob, fragment):
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="app", catalogData={"logoImageBlob": blob})
    assert _code(err) == "InvalidParameterException"
    assert "logoImageBlob" in err.value.response["Error"]["Message"]
    assert fragment in err.value.response["Error"]["Message"]
    assert ecr_public_client.describe_repositories()["repositories"] == []


def test_logo_larger_than_500_kb_is_refused(ecr_public_client):
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(
            repositoryName="app", catalogData={"logoImageBlob": png(64, 64) + b"\0" * 512_000}
        )
    assert _code(err) == "InvalidParameterException"


def test_logo_edges_are_accepted(ecr_public_client):
    for name, size in (("small", (60, 60)), ("large", (2048, 2048))):
        result = ecr_public_client.create_repository(repositoryName=name, catalogData={"logoImageBlob": png(*size)})
        assert "logoUrl" in result["catalogData"]


@pytest.mark.parametrize(
    "member, value",
    [
        ("description", "x" * 1025),
        ("aboutText", "x" * 25601),
        ("usageText", "x" * 25601),
        ("architectures", ["a"] * 51),
        ("operatingSystems", ["x" * 51]),
    ],
)
def test_catalog_limits_are_enforced(ecr_public_client, member, value):
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="app", catalogData={member: value})
    assert _code(err) == "InvalidParameterException"


def test_repository_name_rules(ecr_public_client, fake_ecr):
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="Bad_Name")
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="a" * 206)
    assert _code(err) == "InvalidParameterException"
    unchecked = fake_ecr.client("ecr-public", region="us-east-1", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as err:
        unchecked.create_repository(repositoryName="a")
    assert _code(err) == "InvalidParameterException"
    ecr_public_client.create_repository(repositoryName="a" * 205)


def test_create_existing_repository_fails(ecr_public_client, fake_ecr):
    ecr_public_client.create_repository(repositoryName="app")
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="app")
    assert _code(err) == "RepositoryAlreadyExistsException"
    assert err.value.response["Error"]["Message"] == (
        f"The repository with name 'app' already exists in the registry with id '{fake_ecr.account_id}'"
    )


def test_create_with_tags_and_tag_errors(ecr_public_client):
    arn = ecr_public_client.create_repository(repositoryName="app", tags=[{"Key": "team", "Value": "a"}])["repository"][
        "repositoryArn"
    ]
    assert ecr_public_client.list_tags_for_resource(resourceArn=arn)["tags"] == [{"Key": "team", "Value": "a"}]
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="b1", tags=[{"Key": "aws:reserved", "Value": "v"}])
    assert _code(err) == "InvalidTagParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(
            repositoryName="b2", tags=[{"Key": f"k{i}", "Value": "v"} for i in range(51)]
        )
    assert _code(err) == "TooManyTagsException"
    assert [r["repositoryName"] for r in ecr_public_client.describe_repositories()["repositories"]] == ["app"]


def test_describe_repositories_by_name_and_paged(ecr_public_client, fake_ecr):
    for name in ("r1", "r2", "r3"):
        ecr_public_client.create_repository(repositoryName=name)
    named = ecr_public_client.describe_repositories(repositoryNames=["r3", "r1", "r3"])["repositories"]
    assert [r["repositoryName"] for r in named] == ["r3", "r1"]
    first = ecr_public_client.describe_repositories(maxResults=2)
    assert [r["repositoryName"] for r in first["repositories"]] == ["r1", "r2"]
    rest = ecr_public_client.describe_repositories(maxResults=2, nextToken=first["nextToken"])
    assert [r["repositoryName"] for r in rest["repositories"]] == ["r3"] and "nextToken" not in rest
    paginator = ecr_public_client.get_paginator("describe_repositories")
    names = [
        r["repositoryName"]
        for page in paginator.paginate(PaginationConfig={"PageSize": 1})
        for r in page["repositories"]
    ]
    assert names == ["r1", "r2", "r3"]
    assert (
        ecr_public_client.describe_repositories(registryId=fake_ecr.account_id)["repositories"][0]["repositoryName"]
        == "r1"
    )


def test_describe_repositories_errors(ecr_public_client, fake_ecr):
    ecr_public_client.create_repository(repositoryName="app")
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_repositories(repositoryNames=["app", "missing"])
    assert _code(err) == "RepositoryNotFoundException"
    assert err.value.response["Error"]["Message"] == (
        f"The repository with name 'missing' does not exist in the registry with id '{fake_ecr.account_id}'"
    )
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_repositories(repositoryNames=["app"], maxResults=5)
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_repositories(maxResults=1001)
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_repositories(nextToken="not-a-token")
    assert _code(err) == "InvalidParameterException"


def test_delete_repository(ecr_public_client, fake_ecr):
    created = ecr_public_client.create_repository(repositoryName="app")["repository"]
    deleted = ecr_public_client.delete_repository(repositoryName="app")["repository"]
    assert deleted == created
    assert ecr_public_client.describe_repositories()["repositories"] == []
    with pytest.raises(ClientError) as err:
        ecr_public_client.delete_repository(repositoryName="app")
    assert _code(err) == "RepositoryNotFoundException"


def test_delete_repository_with_images_needs_force(ecr_public_client, fake_ecr):
    ecr_public_client.create_repository(repositoryName="app")
    push_image(ecr_public_client, "app", "v1", layers=[b"layer"])
    layer_digest = "sha256:" + hashlib.sha256(b"layer").hexdigest()
    with pytest.raises(ClientError) as err:
        ecr_public_client.delete_repository(repositoryName="app")
    assert _code(err) == "RepositoryNotEmptyException"
    assert err.value.response["Error"]["Message"] == (
        f"The repository with name 'app' in registry with id '{fake_ecr.account_id}' "
        "cannot be deleted because it still contains images"
    )
    ecr_public_client.set_repository_policy(
        repositoryName="app",
        policyText='{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr-public:*"}]}',
    )
    ecr_public_client.put_repository_catalog_data(repositoryName="app", catalogData={"description": "old"})
    ecr_public_client.delete_repository(repositoryName="app", force=True)
    # A new repository of the same name starts empty: no images, tags, policy or catalog data.
    arn = ecr_public_client.create_repository(repositoryName="app")["repository"]["repositoryArn"]
    assert ecr_public_client.describe_images(repositoryName="app")["imageDetails"] == []
    assert ecr_public_client.describe_image_tags(repositoryName="app")["imageTagDetails"] == []
    assert ecr_public_client.list_tags_for_resource(resourceArn=arn)["tags"] == []
    assert ecr_public_client.get_repository_catalog_data(repositoryName="app")["catalogData"] == {}
    with pytest.raises(ClientError) as err:
        ecr_public_client.get_repository_policy(repositoryName="app")
    assert _code(err) == "RepositoryPolicyNotFoundException"
    # Its layers went too.
    [layer] = ecr_public_client.batch_check_layer_availability(repositoryName="app", layerDigests=[layer_digest])[
        "layers"
    ]
    assert layer["layerAvailability"] == "UNAVAILABLE"


def test_repository_catalog_data_after_plain_create_is_empty(ecr_public_client):
    ecr_public_client.create_repository(repositoryName="app")
    assert ecr_public_client.get_repository_catalog_data(repositoryName="app")["catalogData"] == {}


def test_put_repository_catalog_data_replaces_it(ecr_public_client):
    ecr_public_client.create_repository(
        repositoryName="app", catalogData={"description": "old", "logoImageBlob": png()}
    )
    put = ecr_public_client.put_repository_catalog_data(
        repositoryName="app", catalogData={"aboutText": "new about", "operatingSystems": ["Windows"]}
    )
    assert put["catalogData"] == {"aboutText": "new about", "operatingSystems": ["Windows"]}
    assert ecr_public_client.get_repository_catalog_data(repositoryName="app")["catalogData"] == put["catalogData"]


def test_catalog_data_errors(ecr_public_client):
    for call in (
        lambda: ecr_public_client.get_repository_catalog_data(repositoryName="missing"),
        lambda: ecr_public_client.put_repository_catalog_data(repositoryName="missing", catalogData={}),
    ):
        with pytest.raises(ClientError) as err:
            call()
        assert _code(err) == "RepositoryNotFoundException"
    ecr_public_client.create_repository(repositoryName="app")
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_repository_catalog_data(repositoryName="app", catalogData={"logoImageBlob": png(10, 10)})
    assert _code(err) == "InvalidParameterException"
    with pytest.raises(ClientError) as err:
        ecr_public_client.get_repository_catalog_data(repositoryName="app", registryId="not-an-id")
    assert _code(err) == "InvalidParameterException"


def test_repository_quota(ecr_public_client, fake_ecr):
    assert fake_ecr.public_registry().repository_quota == 10_000
    fake_ecr.public_registry().repository_quota = 2
    ecr_public_client.create_repository(repositoryName="r1")
    ecr_public_client.create_repository(repositoryName="r2")
    with pytest.raises(ClientError) as err:
        ecr_public_client.create_repository(repositoryName="r3")
    assert _code(err) == "LimitExceededException"
    ecr_public_client.delete_repository(repositoryName="r1")
    ecr_public_client.create_repository(repositoryName="r3")
