"""Who is calling: the IAM principal that fake_ecr attributes every call to.

The principal is, in this order: the one a test set with ``fake.caller.arn = ...`` or ``with
fake.caller.acting_as(...)``; the one behind the access key the client signs with, when the
access key was registered (``fake_ecr.core.principals.PrincipalKeys``, filled by ``fake.identities``); the account's root
user. Features that depend on the caller (pull-time update exclusions, access control) read it
from here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from fake_ecr.aws.partitions import arn

if TYPE_CHECKING:
    from fake_ecr.core.call import Call
    from fake_ecr.core.serving import Server

_ASSUMED_ROLE = re.compile(r"arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+")
_ROLE = re.compile(r"arn:(aws[a-z-]*):iam::([0-9]{12}):role/(?:.*/)?([^/]+)")


class CallerIdentity:
    """Backend state: the principal ARN set through ``fake.caller`` (None: the account's root)."""

    def __init__(self) -> None:
        self.arn: Optional[str] = None


def caller_arn(call: Call) -> str:
    """The principal ``call`` is made as."""
    identity = call.backend.state(CallerIdentity).arn
    return identity or call.principal or arn("iam", call.region, call.account_id, "root", regional=False)


class Caller:
    """``fake.caller``: the principal ARN calls are made as (default: the account's root)."""

    def __init__(self, server: Server) -> None:
        self._server = server

    @property
    def arn(self) -> str:
        identity = self._server.backend.state(CallerIdentity).arn
        settings = self._server.settings
        return identity or arn("iam", settings.region, settings.account_id, "root", regional=False)

    @arn.setter
    def arn(self, value: Optional[str]) -> None:
        self._server.backend.state(CallerIdentity).arn = value

    @contextlib.contextmanager
    def acting_as(self, arn: str) -> Iterator[None]:
        """Make calls inside the block as ``arn`` (an IAM user or role, or an STS assumed-role ARN)."""
        identity = self._server.backend.state(CallerIdentity)
        previous, identity.arn = identity.arn, arn
        try:
            yield
        finally:
            identity.arn = previous


def is_principal(caller_arn: str, principal_arn: str) -> bool:
    """Whether ``caller_arn`` is ``principal_arn``; an assumed-role session is its role."""
    if caller_arn == principal_arn:
        return True
    session = _ASSUMED_ROLE.fullmatch(caller_arn)
    role = _ROLE.fullmatch(principal_arn)
    return session is not None and role is not None and session.groups() == role.groups()
