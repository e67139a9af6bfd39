"""ECR GetAuthorizationToken: a docker-login token valid for 12 hours on the fake's clock."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from .._dispatch import Call
from . import operation

TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


def issue_token(call: Call) -> tuple[str, float]:
    """A fresh ``AWS:<password>`` token (base64) and its expiry; the fake remembers it."""
    password = secrets.token_urlsafe(48)
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    expires_at = call.now + TOKEN_LIFETIME_SECONDS
    call.backend.extras.setdefault("auth_tokens", {})[token] = expires_at
    return token, expires_at


@operation("ecr", "GetAuthorizationToken")
def get_authorization_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry_ids = params.get("registryIds") or [call.account_id]
    data = []
    for registry_id in dict.fromkeys(registry_ids):
        token, expires_at = issue_token(call)
        data.append(
            {
                "authorizationToken": token,
                "expiresAt": call.timestamp(expires_at),
                "proxyEndpoint": f"https://{registry_id}.dkr.ecr.{call.region}.amazonaws.com",
            }
        )
    return {"authorizationData": data}
