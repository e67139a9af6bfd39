"""Which principal a call's credentials name: access key ids registered for IAM principals.

``fake.identities`` registers an access key for each principal it makes; the botocore hook and
the HTTP API find the caller from the access key a request is signed with.
"""

from __future__ import annotations

import os
import re
from typing import Any, Optional

_ACCOUNT = re.compile(r"arn:aws[a-z-]*:(?:iam|sts)::([0-9]{12}):")


class PrincipalKeys:
    """Backend state: access key id -> the principal ARN it signs as (see ``fake.identities``)."""

    def __init__(self) -> None:
        self.principals: dict[str, str] = {}


def account_of(principal_arn: str) -> Optional[str]:
    """The account of an IAM or STS principal ARN (None if it names none)."""
    found = _ACCOUNT.match(principal_arn)
    return found.group(1) if found else None


def principal_for_key(backend: Any, access_key: Optional[str]) -> Optional[str]:
    """The principal ARN registered for ``access_key``, or None."""
    if access_key is None or not backend.has_state(PrincipalKeys):
        return None
    found: Optional[str] = backend.state(PrincipalKeys).principals.get(access_key)
    return found


def signer_access_key(signer: Any) -> Optional[str]:
    """The access key id a botocore ``RequestSigner`` signs with (None: unsigned or no credentials).

    Read from the credentials' attributes, never through refreshable credentials' properties,
    which could fetch new credentials.
    """
    credentials = getattr(signer, "_credentials", None)
    attributes = getattr(credentials, "__dict__", None) or {}
    if "_resolved" in attributes and "_resolve" in attributes:
        # Credentials fake_ecr defers (fake_ecr.core.credentials): without looking them up, the
        # key the chain would find first is the environment's.
        resolved = attributes["_resolved"]
        attributes = getattr(resolved, "__dict__", None) or {}
        if not attributes:
            key = os.environ.get("AWS_ACCESS_KEY_ID")
            return key or None
    key = attributes.get("access_key") or attributes.get("_access_key")
    return key if isinstance(key, str) else None


def caller_from_signer(backend: Any, signer: Any) -> Optional[str]:
    """The principal registered for the signer's access key; the signer is not read at all while
    no principal is registered."""
    if not backend.has_state(PrincipalKeys):
        return None
    return principal_for_key(backend, signer_access_key(signer))
