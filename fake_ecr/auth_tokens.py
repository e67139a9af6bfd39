"""Docker-login tokens (GetAuthorizationToken on both services): ``AWS:<password>``, 12 hours.

Each token is remembered with its expiry (``auth_tokens``) and with the registry it was issued
for (``auth_token_scopes``: service, registry id, Region), which the registry endpoint reads to
authenticate container clients and to pick the registry a request addresses.
"""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from ._dispatch import Call

TOKEN_LIFETIME_SECONDS = 12 * 60 * 60


def issue_token(call: Call, registry_id: Optional[str] = None) -> tuple[str, float]:
    """A fresh ``AWS:<password>`` token (base64) and its expiry; the fake remembers it."""
    password = secrets.token_urlsafe(48)
    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    expires_at = call.now + TOKEN_LIFETIME_SECONDS
    call.backend.extras.setdefault("auth_tokens", {})[token] = expires_at
    scope = (call.service, registry_id or call.account_id, call.region)
    call.backend.extras.setdefault("auth_token_scopes", {})[token] = scope
    return token, expires_at
