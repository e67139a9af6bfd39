"""Account settings (Get/PutAccountSetting) and DescribeRegistry."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


@pytest.mark.parametrize(
    ("name", "default"),
    [("BASIC_SCAN_TYPE_VERSION", "AWS_NATIVE"), ("REGISTRY_POLICY_SCOPE", "V2"), ("BLOB_MOUNTING", "DISABLED")],
)
def test_account_setting_defaults(ecr_client, name, default):
    got = ecr_client.get_account_setting(name=name)
    assert (got["name"], got["value"]) == (name, default)
    put = ecr_client.put_account_setting(name=name, value=default)
    assert (put["name"], put["value"]) == (name, default)


def test_blob_mounting_round_trip(ecr_client):
    ecr_client.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    assert ecr_client.get_account_setting(name="BLOB_MOUNTING")["value"] == "ENABLED"
    ecr_client.put_account_setting(name="BLOB_MOUNTING", value="DISABLED")
    assert ecr_client.get_account_setting(name="BLOB_MOUNTING")["value"] == "DISABLED"


@pytest.mark.parametrize(("name", "value"), [("BASIC_SCAN_TYPE_VERSION", "CLAIR"), ("REGISTRY_POLICY_SCOPE", "V1")])
def test_retired_values_are_refused(ecr_client, name, value):
    with pytest.raises(ClientError) as exc:
        ecr_client.put_account_setting(name=name, value=value)
    assert _code(exc) == "InvalidParameterException"


def test_account_settings_are_per_region(fake_ecr, ecr_client):
    ecr_client.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    west = fake_ecr.client(region="us-west-2")
    assert west.get_account_setting(name="BLOB_MOUNTING")["value"] == "DISABLED"


def test_unknown_setting_name_and_bad_value(ecr_client):
    with pytest.raises(ClientError) as exc:
        ecr_client.get_account_setting(name="NOT_A_SETTING")
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        ecr_client.put_account_setting(name="NOT_A_SETTING", value="V1")
    assert _code(exc) == "InvalidParameterException"
    with pytest.raises(ClientError) as exc:
        ecr_client.put_account_setting(name="REGISTRY_POLICY_SCOPE", value="V3")
    assert _code(exc) == "InvalidParameterException"
    assert "REGISTRY_POLICY_SCOPE" in exc.value.response["Error"]["Message"]
    assert ecr_client.get_account_setting(name="REGISTRY_POLICY_SCOPE")["value"] == "V2"


def test_describe_registry(ecr_client):
    result = ecr_client.describe_registry()
    assert result["registryId"] == "123456789012"
    assert result["replicationConfiguration"] == {"rules": []}
