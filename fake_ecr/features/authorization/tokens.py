"""Docker-login tokens (GetAuthorizationToken on both services): ``AWS:<password>``, 12 hours."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_ecr.core.serving import Call

TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


def issue_token(call: Call) -> tuple[str, float]:
    """A fresh ``AWS:<password>`` token (base64) and its expiry; the fake remembers it."""
    password = secrets.token_urlsafe(48)
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    expires_at = call.now + TOKEN_LIFETIME_SECONDS
    call.backend.extras.setdefault("auth_tokens", {})[token] = expires_at
    return token, expires_at
