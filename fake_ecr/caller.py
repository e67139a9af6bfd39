"""Who is calling: the IAM principal that fake_ecr attributes every call to.

fake_ecr never sees credentials, so the principal is a setting of the fake: the account's root
user unless a test says otherwise with ``fake.caller.arn = ...`` or ``with fake.caller.acting_as(...)``.
Features that depend on the caller (pull-time update exclusions) read it from here.
"""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING, Iterator, Optional

from .partitions import arn

if TYPE_CHECKING:
    from .mock import FakeECR

_ASSUMED_ROLE = re.compile(r"arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+")
_ROLE = re.compile(r"arn:(aws[a-z-]*):iam::([0-9]{12}):role/(?:.*/)?([^/]+)")


class Caller:
    """``fake.caller``: the principal ARN calls are made as (default: the account's root)."""

    def __init__(self, fake: FakeECR) -> None:
        self._fake = fake
        self._arn: Optional[str] = None

    @property
    def arn(self) -> str:
        return self._arn or arn("iam", self._fake.region, self._fake.account_id, "root", regional=False)

    @arn.setter
    def arn(self, value: Optional[str]) -> None:
        self._arn = value

    @contextlib.contextmanager
    def acting_as(self, arn: str) -> Iterator[None]:
        """Make calls inside the block as ``arn`` (an IAM user or role, or an STS assumed-role ARN)."""
        previous, self._arn = self._arn, arn
        try:
            yield
        finally:
            self._arn = previous


def is_principal(caller_arn: str, principal_arn: str) -> bool:
    """Whether ``caller_arn`` is ``principal_arn``; an assumed-role session is its role."""
    if caller_arn == principal_arn:
        return True
    session = _ASSUMED_ROLE.fullmatch(caller_arn)
    role = _ROLE.fullmatch(principal_arn)
    return session is not None and role is not None and session.groups() == role.groups()
