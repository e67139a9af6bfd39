"""ECR GetAuthorizationToken: a docker-login token valid for 12 hours on the fake's clock."""

from __future__ import annotations

from typing import Any

from fake_ecr.aws.partitions import registry_host
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.authorization.tokens import TOKEN_LIFETIME_SECONDS, issue_token

operations = OperationTable()

__all__ = ["TOKEN_LIFETIME_SECONDS", "issue_token"]


@operations.serves("ecr", "GetAuthorizationToken")
def get_authorization_token(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry_ids = params.get("registryIds") or [call.account_id]
    data = []
    for registry_id in dict.fromkeys(registry_ids):
        token, expires_at = issue_token(call, registry_id)
        data.append(
            {
                "authorizationToken": token,
                "expiresAt": call.timestamp(expires_at),
                "proxyEndpoint": f"https://{registry_host(registry_id, call.region)}",
            }
        )
    return {"authorizationData": data}
