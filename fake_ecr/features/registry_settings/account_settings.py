"""Account settings (per account and region): names, accepted values and defaults.

The accepted values are those the current service model documents: Clair basic scanning and the
V1 registry policy scope are retired, so only ``AWS_NATIVE`` and ``V2`` can be put. Other features
read a setting with :func:`value`.
"""

from __future__ import annotations

from fake_ecr.errors import invalid_parameter
from fake_ecr.model import Registry

# Setting name -> (values PutAccountSetting accepts, value before any PutAccountSetting).
SETTINGS: dict[str, tuple[tuple[str, ...], str]] = {
    "BASIC_SCAN_TYPE_VERSION": (("AWS_NATIVE",), "AWS_NATIVE"),
    "REGISTRY_POLICY_SCOPE": (("V2",), "V2"),
    "BLOB_MOUNTING": (("ENABLED", "DISABLED"), "DISABLED"),
}


class AccountSettings:
    """Registry state: the settings PutAccountSetting changed (name -> value)."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}


def _known(name: str) -> tuple[tuple[str, ...], str]:
    known = SETTINGS.get(name)
    if known is None:
        raise invalid_parameter("name", f"Member must satisfy enum value set: [{', '.join(SETTINGS)}]")
    return known


def value(registry: Registry, name: str) -> str:
    """The setting's current value; InvalidParameterException for an unknown name."""
    _, default = _known(name)
    return registry.state(AccountSettings).values.get(name, default)


def put(registry: Registry, name: str, new_value: str) -> None:
    accepted, _ = _known(name)
    if new_value not in accepted:
        raise invalid_parameter("value", f"Value for {name} must be one of [{', '.join(accepted)}]")
    registry.state(AccountSettings).values[name] = new_value
