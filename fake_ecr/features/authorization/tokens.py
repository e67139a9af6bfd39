"""Docker-login tokens (GetAuthorizationToken on both services): ``AWS:<password>``, 12 hours.

Each token is remembered (``AuthorizationTokens``) with its expiry, the registry it was issued
for and the principal that asked for it, which the registry endpoint reads to authenticate
container clients, to pick the registry a request addresses and to act as that principal.
"""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Optional

from fake_ecr.core.caller import caller_arn

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


class AuthorizationTokens:
    """Backend state: every token issued, when it expires (epoch seconds) and what it was issued
    for (service, registry id, Region), which the registry endpoint reads to authenticate clients."""

    def __init__(self) -> None:
        self.expiry: dict[str, float] = {}
        self.scopes: dict[str, tuple[str, str, str]] = {}
        self.principals: dict[str, str] = {}


def issue_token(call: Call, registry_id: Optional[str] = None) -> tuple[str, float]:
    """A fresh ``AWS:<password>`` token (base64) and its expiry; the fake remembers it."""
    password = secrets.token_urlsafe(48)
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    expires_at = call.now + TOKEN_LIFETIME_SECONDS
    tokens = call.backend.state(AuthorizationTokens)
    tokens.expiry[token] = expires_at
    tokens.scopes[token] = (call.service, registry_id or call.account_id, call.region)
    tokens.principals[token] = caller_arn(call)
    return token, expires_at
