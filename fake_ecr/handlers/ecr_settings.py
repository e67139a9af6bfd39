"""ECR account settings: GetAccountSetting and PutAccountSetting."""

from __future__ import annotations

from typing import Any

from .._dispatch import Call
from ..errors import invalid_parameter
from . import operation

# Setting name -> (accepted values, value before any PutAccountSetting).
SETTINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "BASIC_SCAN_TYPE_VERSION": (("AWS_NATIVE", "CLAIR"), "AWS_NATIVE"),
    "REGISTRY_POLICY_SCOPE": (("V1", "V2"), "V2"),
    "BLOB_MOUNTING": (("ENABLED", "DISABLED"), "DISABLED"),
}
_EXTRA = "account_settings"


def _check_name(name: str) -> tuple[tuple[str, ...], str]:
    known = SETTINGS.get(name)
    if known is None:
        raise invalid_parameter("name", f"Member must satisfy enum value set: [{', '.join(SETTINGS)}]")
    return known


@operation("ecr", "GetAccountSetting")
def get_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    name = params["name"]
    _, default = _check_name(name)
    stored = call.registry().extras.get(_EXTRA, {})
    return {"name": name, "value": stored.get(name, default)}


@operation("ecr", "PutAccountSetting")
def put_account_setting(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    name, value = params["name"], params["value"]
    accepted, _ = _check_name(name)
    if value not in accepted:
        raise invalid_parameter("value", f"Value for {name} must be one of [{', '.join(accepted)}]")
    call.registry().extras.setdefault(_EXTRA, {})[name] = value
    return {"name": name, "value": value}
