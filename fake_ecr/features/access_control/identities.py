"""The principals a fake knows: IAM users, roles, their assumed-role sessions and account roots,
each with its access key and identity-based policies, and each account's organization.

Backend state (``Identities``): a reset forgets it with the rest of the model.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any, Optional

from fake_ecr.core.principals import PrincipalKeys, account_of
from fake_ecr.features.policies.documents import PolicyDocument, parse_identity_policy

_ROLE = re.compile(r"arn:(aws[a-z-]*):iam::([0-9]{12}):role/(?:.*/)?([^/]+)")
_SESSION = re.compile(r"arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+")
_ROOT = re.compile(r"arn:aws[a-z-]*:iam::[0-9]{12}:root")
_SERVICE_LINKED = ":role/aws-service-role/"


class Principal:
    """An IAM principal: its ARN, account, access key (for clients) and identity-based policies."""

    __slots__ = ("arn", "account_id", "access_key", "secret_key", "policies", "role")

    def __init__(self, arn: str, policies: Iterable[PolicyDocument] = (), role: Optional[Principal] = None) -> None:
        account = account_of(arn)
        if account is None:
            raise ValueError(f"fake_ecr: {arn!r} is not an IAM user, role or root ARN, or an STS assumed-role ARN")
        self.arn = arn
        self.account_id = account
        digest = hashlib.sha256(arn.encode()).hexdigest().upper()
        self.access_key = "AKIA" + digest[:16]  # stable per ARN, so tests can print it
        self.secret_key = digest[16:56]
        self.policies = list(policies)
        self.role = role  # an assumed-role session: the role whose policies it carries

    @property
    def kind(self) -> str:
        resource = self.arn.split(":", 5)[5]
        if resource == "root":
            return "root"
        return resource.split("/", 1)[0]  # user, role or assumed-role

    def effective_policies(self) -> Optional[list[PolicyDocument]]:
        """The identity-based policies that apply (None: every permission of its account)."""
        if _ROOT.fullmatch(self.arn) or _SERVICE_LINKED in self.arn:
            return None
        if self.role is not None:
            return self.role.policies + self.policies
        return self.policies

    def __repr__(self) -> str:
        return f"<Principal {self.arn}>"


class Identities:
    """Backend state: the registered principals by ARN, and organization ids by account."""

    def __init__(self) -> None:
        self.principals: dict[str, Principal] = {}
        self.organizations: dict[str, str] = {}
        self.source_ip = "192.0.2.10"  # aws:SourceIp of every call (TEST-NET-1)


def policies_of(identities: Identities, arn: str) -> Optional[list[PolicyDocument]]:
    """The identity-based policies of ``arn`` (None: all of its account's permissions; an
    unregistered user or role has none, a session of a registered role has the role's)."""
    known = identities.principals.get(arn)
    if known is not None:
        return known.effective_policies()
    if _ROOT.fullmatch(arn) or _SERVICE_LINKED in arn or not arn.startswith("arn:"):
        return None
    session = _SESSION.fullmatch(arn)
    if session is not None:
        for candidate in identities.principals.values():
            role = _ROLE.fullmatch(candidate.arn)
            if role is not None and role.groups() == session.groups():
                return candidate.effective_policies()
    return []


def role_of(arn: str) -> str:
    """``aws:PrincipalArn``: a session's role ARN, any other principal's own ARN."""
    session = _SESSION.fullmatch(arn)
    if session is None:
        return arn
    partition, account, role = session.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def register(backend: Any, principal: Principal) -> Principal:
    backend.state(Identities).principals[principal.arn] = principal
    backend.state(PrincipalKeys).principals[principal.access_key] = principal.arn
    return principal


def policy_documents(policies: Iterable[Any]) -> list[PolicyDocument]:
    return [p if isinstance(p, PolicyDocument) else parse_identity_policy(p) for p in policies]
