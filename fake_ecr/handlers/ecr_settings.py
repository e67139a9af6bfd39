"""ECR account settings: GetAccountSetting and PutAccountSetting."""

from __future__ import annotations

from typing import Any

from .. import account_settings
from .._dispatch import Call
from . import operation


@operation("ecr", "GetAccountSetting")
def get_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    name = params["name"]
    return {"name": name, "value": account_settings.value(call.registry(), name)}


@operation("ecr", "PutAccountSetting")
def put_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    account_settings.put(call.registry(), params["name"], params["value"])
    return {"name": params["name"], "value": params["value"]}
