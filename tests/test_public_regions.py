"""ECR Public answers in us-east-1 only: us-west-2 refuses the calls, other Regions have no endpoint."""

from __future__ import annotations

import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError

from fake_ecr import implemented_operations

PUBLIC_OPERATIONS = implemented_operations("ecr-public")


@pytest.mark.parametrize(
    "operation, kwargs",
    [
        ("describe_registries", {}),
        ("get_authorization_token", {}),
        ("create_repository", {"repositoryName": "app"}),
        ("describe_repositories", {}),
    ],
)
def test_us_west_2_refuses_with_unsupported_command(fake_ecr, operation, kwargs):
    client = fake_ecr.client("ecr-public", region="us-west-2")
    with pytest.raises(ClientError) as err:
        getattr(client, operation)(**kwargs)
    error = err.value.response["Error"]
    assert error["Code"] == "UnsupportedCommandException"
    name = err.value.operation_name
    assert error["Message"] == f"{name} command is only supported in us-east-1."
    assert isinstance(err.value, client.exceptions.UnsupportedCommandException)


def test_us_west_2_refusal_changes_nothing(fake_ecr, ecr_public_client):
    west = fake_ecr.client("ecr-public", region="us-west-2")
    with pytest.raises(ClientError):
        west.create_repository(repositoryName="app")
    assert ecr_public_client.describe_repositories()["repositories"] == []


@pytest.mark.parametrize("region", ["eu-west-1", "us-east-2", "ap-northeast-1"])
def test_other_regions_cannot_reach_an_endpoint(fake_ecr, region):
    client = fake_ecr.client("ecr-public", region=region)
    with pytest.raises(EndpointConnectionError) as err:
        client.describe_repositories()
    assert f"https://api.ecr-public.{region}.amazonaws.com/" in str(err.value)


def test_private_ecr_is_unaffected_in_other_regions(fake_ecr):
    client = fake_ecr.client("ecr", region="eu-west-1")
    assert client.describe_repositories()["repositories"] == []


def test_public_repositories_are_not_private_ones(fake_ecr, ecr_public_client):
    ecr_public_client.create_repository(repositoryName="app")
    private = fake_ecr.client("ecr", region="us-east-1")
    assert private.describe_repositories()["repositories"] == []
    assert "app" in fake_ecr.public_registry().repositories


def test_every_operation_is_implemented():
    assert len(PUBLIC_OPERATIONS) == 23


@pytest.mark.parametrize("operation", PUBLIC_OPERATIONS)
def test_every_operation_refuses_in_us_west_2_before_looking_at_parameters(fake_ecr, operation):
    client = fake_ecr.client("ecr-public", region="us-west-2", config=Config(parameter_validation=False))
    with pytest.raises(ClientError) as err:
        getattr(client, xform_name(operation))()
    assert err.value.response["Error"]["Code"] == "UnsupportedCommandException"
    assert err.value.response["Error"]["Message"] == f"{operation} command is only supported in us-east-1."


@pytest.mark.parametrize("operation", PUBLIC_OPERATIONS)
def test_every_operation_has_no_endpoint_in_eu_west_1(fake_ecr, operation):
    client = fake_ecr.client("ecr-public", region="eu-west-1", config=Config(parameter_validation=False))
    with pytest.raises(EndpointConnectionError):
        getattr(client, xform_name(operation))()
