"""Docker-login tokens (GetAuthorizationToken on both services): ``AWS:<password>``, 12 hours."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


class AuthorizationTokens:
    """Backend state: every token issued and when it expires (epoch seconds)."""

    def __init__(self) -> None:
        self.expiry: dict[str, float] = {}


def issue_token(call: Call) -> tuple[str, float]:
    """A fresh ``AWS:<password>`` token (base64) and its expiry; the fake remembers it."""
    password = secrets.token_urlsafe(48)
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    expires_at = call.now + TOKEN_LIFETIME_SECONDS
    call.backend.state(AuthorizationTokens).expiry[token] = expires_at
    return token, expires_at
