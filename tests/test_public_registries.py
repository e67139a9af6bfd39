"""ECR Public registries: DescribeRegistries, registry catalog data, GetAuthorizationToken."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError


def test_no_registry_to_describe_before_the_first_repository(ecr_public_client):
    assert ecr_public_client.describe_registries()["registries"] == []


def test_first_repository_assigns_the_default_alias(ecr_public_client, fake_ecr):
    ecr_public_client.create_repository(repositoryName="app")
    [registry] = ecr_public_client.describe_registries()["registries"]
    [alias] = registry["aliases"]
    assert re.fullmatch(r"[a-z][a-z0-9]{7}", alias["name"])
    assert alias == {
        "name": alias["name"],
        "status": "ACTIVE",
        "primaryRegistryAlias": True,
        "defaultRegistryAlias": True,
    }
    assert registry["registryId"] == fake_ecr.account_id
    assert registry["registryArn"] == f"arn:aws:ecr-public::{fake_ecr.account_id}:registry/{fake_ecr.account_id}"
    assert registry["registryUri"] == f"public.ecr.aws/{alias['name']}"
    assert registry["verified"] is False


def test_default_alias_is_stable_per_account_and_differs_between_accounts(fake_ecr):
    first = fake_ecr.public_registry()
    first.ensure_default_alias()
    other = fake_ecr.public_registry("210987654321")
    other.ensure_default_alias()
    assert first.aliases[0].name != other.aliases[0].name
    first.ensure_default_alias()
    assert len(first.aliases) == 1


def test_custom_alias_becomes_primary_and_names_the_uris(ecr_public_client, fake_ecr):
    ecr_public_client.create_repository(repositoryName="app")
    registry = fake_ecr.public_registry()
    registry.add_alias("my-team")
    registry.verified = True
    [described] = ecr_public_client.describe_registries()["registries"]
    assert described["verified"] is True
    assert described["registryUri"] == "public.ecr.aws/my-team"
    flags = {a["name"]: (a["primaryRegistryAlias"], a["defaultRegistryAlias"]) for a in described["aliases"]}
    assert flags["my-team"] == (True, False)
    assert list(flags.values()).count((False, True)) == 1
    [repo] = ecr_public_client.describe_repositories()["repositories"]
    assert repo["repositoryUri"] == "public.ecr.aws/my-team/app"


def test_describe_registries_rejects_a_foreign_token(ecr_public_client):
    with pytest.raises(ClientError) as err:
        ecr_public_client.describe_registries(nextToken="garbage")
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"


def test_registry_catalog_data_starts_empty(ecr_public_client):
    assert ecr_public_client.get_registry_catalog_data()["registryCatalogData"] == {}


def test_put_registry_catalog_data_round_trips(ecr_public_client):
    put = ecr_public_client.put_registry_catalog_data(displayName="Example Corp")
    assert put["registryCatalogData"] == {"displayName": "Example Corp"}
    assert ecr_public_client.get_registry_catalog_data()["registryCatalogData"] == {"displayName": "Example Corp"}
    # Omitting displayName changes nothing; an empty one clears it.
    assert ecr_public_client.put_registry_catalog_data()["registryCatalogData"] == {"displayName": "Example Corp"}
    assert ecr_public_client.put_registry_catalog_data(displayName="")["registryCatalogData"] == {"displayName": ""}


def test_display_name_longer_than_100_is_refused(ecr_public_client):
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_registry_catalog_data(displayName="x" * 101)
    assert err.value.response["Error"]["Code"] == "InvalidParameterException"
    assert "displayName" in err.value.response["Error"]["Message"]


def test_authorization_token_is_a_single_object_valid_for_12_hours(ecr_public_client, fake_ecr):
    fake_ecr.clock.freeze()
    data = ecr_public_client.get_authorization_token()["authorizationData"]
    assert set(data) == {"authorizationToken", "expiresAt"}
    user, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    assert user == "AWS" and password
    assert data["expiresAt"].timestamp() == pytest.approx(fake_ecr.clock.time() + 12 * 3600)
    fake_ecr.clock.advance(timedelta(hours=1))
    again = ecr_public_client.get_authorization_token()["authorizationData"]
    assert again["authorizationToken"] != data["authorizationToken"]
    assert (again["expiresAt"] - data["expiresAt"]) == timedelta(hours=1)
