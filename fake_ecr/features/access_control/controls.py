"""``fake.identities`` (principals, their access keys and policies) and ``fake.access`` (asking
the engine directly: "may P do A on R?")."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Optional, Union

from fake_ecr.aws.partitions import arn as make_arn
from fake_ecr.features.access_control.actions import Target
from fake_ecr.features.access_control.authorize import decide
from fake_ecr.features.access_control.engine import Decision
from fake_ecr.features.access_control.identities import Identities, Principal, policy_documents, register

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server

PrincipalLike = Union[Principal, str]


class IdentityControls:
    """``fake.identities``: make IAM principals with identity-based policies; each gets an access
    key, so a client signing with it (``fake.client("ecr", as_=principal)``) calls as it."""

    def __init__(self, server: Server) -> None:
        self._server = server

    def _add(self, principal: Principal) -> Principal:
        with self._server.lock:
            return register(self._server.backend, principal)

    def user(self, arn: str, policies: Iterable[Any] = ()) -> Principal:
        """An IAM user (``arn:aws:iam::<account>:user/<name>``) with these policies (JSON text or dicts)."""
        return self._add(Principal(arn, policy_documents(policies)))

    def role(self, arn: str, policies: Iterable[Any] = ()) -> Principal:
        """An IAM role (``arn:aws:iam::<account>:role/<name>``) with these policies."""
        return self._add(Principal(arn, policy_documents(policies)))

    def session(self, role: PrincipalLike, name: str = "session", policies: Iterable[Any] = ()) -> Principal:
        """An assumed-role session of ``role``: ``arn:aws:sts::<account>:assumed-role/<role>/<name>``,
        carrying the role's policies (and ``policies``, if any)."""
        role_principal = self.get(role) if isinstance(role, str) else role
        if role_principal is None:
            raise ValueError(f"fake_ecr: no role {role!r}; make it with fake.identities.role(...) first")
        partition = role_principal.arn.split(":")[1]
        role_name = role_principal.arn.rsplit("/", 1)[1]
        arn = f"arn:{partition}:sts::{role_principal.account_id}:assumed-role/{role_name}/{name}"
        return self._add(Principal(arn, policy_documents(policies), role=role_principal))

    def root(self, account_id: Optional[str] = None) -> Principal:
        """An account's root user (every permission of its account)."""
        account = account_id or self._server.settings.account_id
        return self._add(Principal(make_arn("iam", self._server.settings.region, account, "root", regional=False)))

    def get(self, arn: str) -> Optional[Principal]:
        return self._server.backend.state(Identities).principals.get(arn)

    def set_organization(self, account_id: str, organization_id: str) -> None:
        """Make ``account_id`` a member of ``organization_id`` (``aws:PrincipalOrgID``)."""
        with self._server.lock:
            self._server.backend.state(Identities).organizations[account_id] = organization_id

    @property
    def source_ip(self) -> str:
        """The ``aws:SourceIp`` of every call (default 192.0.2.10)."""
        return self._server.backend.state(Identities).source_ip

    @source_ip.setter
    def source_ip(self, value: str) -> None:
        self._server.backend.state(Identities).source_ip = value


class AccessControls:
    """``fake.access``: switch access control on or off and ask the engine without making a call."""

    def __init__(self, server: Server) -> None:
        self._server = server

    @property
    def enabled(self) -> bool:
        return self._server.settings.access_control

    @enabled.setter
    def enabled(self, value: bool) -> None:
        self._server.settings.access_control = bool(value)

    def may(
        self, principal: PrincipalLike, action: str, resource: str = "*", *, context: Optional[dict[str, Any]] = None
    ) -> Decision:
        """Whether ``principal`` may perform ``action`` on ``resource`` (an ARN, or ``*``), with the
        statements considered: truthy when allowed; ``.reason`` and ``.explain()`` say why not."""
        principal_arn = principal.arn if isinstance(principal, Principal) else principal
        parts = resource.split(":", 5)
        account: Optional[str] = None
        repository: Optional[str] = None
        region = self._server.settings.region
        service = "ecr"
        if len(parts) == 6:
            service = parts[2]
            region = parts[3] or "us-east-1"
            account = parts[4]
            if parts[5].startswith("repository/"):
                repository = parts[5][len("repository/") :]
        with self._server.lock:
            return decide(
                self._server.backend,
                service,
                region,
                principal_arn,
                action,
                Target(resource, account, repository),
                context,
            )
