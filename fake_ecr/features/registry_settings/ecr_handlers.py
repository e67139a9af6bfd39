"""ECR account settings: GetAccountSetting and PutAccountSetting."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.registry_settings import account_settings

operations = OperationTable()


@operations.serves("ecr", "GetAccountSetting")
def get_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    name = params["name"]
    return {"name": name, "value": account_settings.value(call.registry(), name)}


@operations.serves("ecr", "PutAccountSetting")
def put_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    account_settings.put(call.registry(), params["name"], params["value"])
    return {"name": params["name"], "value": params["value"]}
