"""Which registry a request addresses, and whether its credentials may use it.

Container clients send ``Host: 127.0.0.1:PORT`` whatever registry they mean, so the registry
is chosen from the repository path and the credentials:

* ``/v2/<account>.dkr.ecr.<region>.amazonaws.com/<repo>/...``: that private registry.
* ``/v2/public.ecr.aws/<alias or account>/<repo>/...``: that account's ECR Public registry.
* ``/v2/<repo>/...``: the registry the request's token was issued for (GetAuthorizationToken of
  ``ecr`` in a Region, for its registry ids; of ``ecr-public``: the account's public registry);
  without a valid token, the fake's own private registry (its account and Region).

Credentials are ECR's: Basic ``AWS:<password>`` where ``base64("AWS:<password>")`` is a token
GetAuthorizationToken issued, valid for 12 hours on the fake's clock. ECR Public's registry
serves pulls anonymously and wants a token of ``ecr-public`` for pushes.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Optional

from fake_ecr.endpoints.http_server import Request
from fake_ecr.endpoints.registry.api_adapter import PRIVATE, ECRAdapter, RegistryRef, TokenScope

# Every partition's DNS suffix: amazonaws.com, amazonaws.com.cn, c2s.ic.gov, ...
_PRIVATE_HOST = re.compile(r"(?P<account>[0-9]{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.[a-z0-9.-]+")
PUBLIC_PREFIX = "public.ecr.aws/"

VALID = "valid"
EXPIRED = "expired"
MISSING = "missing"  # no credentials, or credentials that are not a token the fake issued


class Credentials:
    """What the request's Authorization header proves: ``state`` and, if issued, the token's scope."""

    __slots__ = ("state", "scope")

    def __init__(self, state: str, scope: Optional[TokenScope] = None) -> None:
        self.state = state
        self.scope = scope


def credentials(adapter: ECRAdapter, request: Request) -> Credentials:
    token = _token(request.header("Authorization") or "")
    scope = adapter.token_scope(token) if token else None
    if scope is None:
        return Credentials(MISSING)
    if adapter.now() >= scope.expires_at:
        return Credentials(EXPIRED, scope)
    return Credentials(VALID, scope)


def _token(header: str) -> Optional[str]:
    """The GetAuthorizationToken token a Basic header carries (re-encoded, so padding cannot differ)."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    if user != "AWS" or not password:
        return None
    return base64.b64encode(f"AWS:{password}".encode()).decode()


def address(adapter: ECRAdapter, name: str, creds: Credentials) -> tuple[RegistryRef, str]:
    """The registry and repository name a path's ``<name>`` addresses (see the module docstring)."""
    if name.startswith(PUBLIC_PREFIX):
        alias, _, repo = name[len(PUBLIC_PREFIX) :].partition("/")
        return adapter.public_registry(alias), repo
    first, _, rest = name.partition("/")
    match = _PRIVATE_HOST.fullmatch(first)
    if match is not None and rest:
        return adapter.private_registry(match["account"], match["region"]), rest
    if creds.scope is not None:
        return creds.scope.registry, name
    return adapter.default_registry(), name


def may_access(registry: RegistryRef, creds: Credentials, method: str) -> bool:
    """Whether these credentials may make this request of ``registry`` (expired ones are reported apart)."""
    if registry.public and method in ("GET", "HEAD"):
        return True  # ECR Public serves pulls anonymously
    return creds.state == VALID and creds.scope is not None and creds.scope.registry.service == registry.service


def challenge_service(registry: RegistryRef) -> str:
    return "ecr.amazonaws.com" if registry.service == PRIVATE else "ecr-public.amazonaws.com"
