"""ECR GetAuthorizationToken: a docker-login token valid for 12 hours on the fake's clock."""

from __future__ import annotations

from typing import Any

from .._dispatch import Call
from ..auth_tokens import TOKEN_LIFETIME_SECONDS, issue_token
from . import operation

__all__ = ["TOKEN_LIFETIME_SECONDS", "issue_token"]


@operation("ecr", "GetAuthorizationToken")
def get_authorization_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry_ids = params.get("registryIds") or [call.account_id]
    data = []
    for registry_id in dict.fromkeys(registry_ids):
        token, expires_at = issue_token(call, registry_id)
        data.append(
            {
                "authorizationToken": token,
                "expiresAt": call.timestamp(expires_at),
                "proxyEndpoint": f"https://{registry_id}.dkr.ecr.{call.region}.amazonaws.com",
            }
        )
    return {"authorizationData": data}
