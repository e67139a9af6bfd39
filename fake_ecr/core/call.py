"""What a handler knows about the call it serves: the model, the settings, the wiring, who and when.

``Call`` is the only thing the serving core hands a feature. It carries no controller: a call is
served from the model (``backend``), a few settings and the feature wiring, so any front door
(the botocore hook, an HTTP endpoint) can serve it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Optional, Protocol

from fake_ecr.core import responses
from fake_ecr.core.hook_kinds import FirstAnswer, Hook, Notify, Veto
from fake_ecr.model import Backend, Registry


class Subscribers(Protocol):
    """What a call needs of the feature wiring (``fake_ecr.core.wiring.Wiring``): the hook
    subscribers a call of one operation runs, in run order, by hook (hooks it runs none of absent)."""

    def hooks_for(self, service: str, operation: str) -> Mapping[Hook[Any], tuple[Callable[..., Any], ...]]: ...


class Settings:
    """The options of a fake that change how calls are served (set by the controller)."""

    __slots__ = (
        "account_id",
        "region",
        "require_blobs",
        "serve_custom_endpoints",
        "access_control",
        "call_log_limit",
        "call_log_responses",
    )

    def __init__(
        self,
        account_id: str,
        region: str,
        require_blobs: bool = True,
        serve_custom_endpoints: bool = True,
        access_control: bool = False,
        call_log_limit: int = 0,
        call_log_responses: int = 0,
    ) -> None:
        self.account_id = account_id  # the caller's account when nothing says otherwise
        self.region = region  # the default Region of helpers that have no client
        self.require_blobs = require_blobs  # PutImage needs a manifest's blobs, as ECR does
        # Whether clients made with their own endpoint_url (LocalStack, a VPC endpoint) are served.
        self.serve_custom_endpoints = serve_custom_endpoints
        # Every call is authorized (the AUTHORIZE hook) before its handler runs.
        self.access_control = access_control
        # How many recorded calls the call log keeps (0: every call).
        self.call_log_limit = call_log_limit
        # How many of the most recent recorded calls keep their response (0: every call).
        self.call_log_responses = call_log_responses


class Call:
    """One call being served: who (account), where (service, Region), what (operation) and when."""

    __slots__ = (
        "backend",
        "settings",
        "wiring",
        "service",
        "operation",
        "region",
        "account_id",
        "now",
        "principal",
        "hooks",
    )

    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        wiring: Subscribers,
        service: str,
        operation: str,
        region: str,
        now: float,
        account_id: Optional[str] = None,
        principal: Optional[str] = None,
        hooks: Optional[Mapping[Hook[Any], tuple[Callable[..., Any], ...]]] = None,
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.wiring = wiring
        self.service = service
        self.operation = operation
        self.region = region
        self.account_id = account_id or settings.account_id
        self.now = now
        # The principal ARN behind the call's credentials (None: see fake_ecr.core.caller).
        self.principal = principal
        # The subscribers this call runs, by hook (the serving core passes its route's table).
        self.hooks = wiring.hooks_for(service, operation) if hooks is None else hooks

    def registry(self, registry_id: Optional[str] = None) -> Registry:
        """The private registry addressed by ``registryId`` (default: the caller's own)."""
        return self.backend.registry(registry_id or self.account_id, self.region)

    def elsewhere(
        self,
        *,
        region: str,
        account_id: str,
        service: Optional[str] = None,
        operation: Optional[str] = None,
        now: Optional[float] = None,
    ) -> Call:
        """A call ECR makes in another registry on this call's behalf (replication, templates)."""
        return Call(
            self.backend,
            self.settings,
            self.wiring,
            service or self.service,
            operation or self.operation,
            region,
            self.now if now is None else now,
            account_id,
        )

    # An epoch time as botocore's parser returns it (a cache lookup that stays in C).
    timestamp = staticmethod(responses.timestamp)

    # -- running hooks (see fake_ecr.core.hooks) -------------------------------------------------
    # The call's own table is read directly (a dict lookup, not a method call): a push runs five hooks.

    def notify(self, hook: Notify[Any], *args: Any) -> None:
        """Run every subscriber of ``hook`` with ``(self, *args)``."""
        for subscriber in self.hooks.get(hook, ()):
            subscriber(self, *args)

    def veto(self, hook: Veto[Any], *args: Any) -> Any:
        """The first refusal (a truthy answer) of ``hook``'s subscribers, or None."""
        for subscriber in self.hooks.get(hook, ()):
            refusal = subscriber(self, *args)
            if refusal:
                return refusal
        return None

    def first_answer(self, hook: FirstAnswer[Any], *args: Any) -> Any:
        """The first answer that is not None among ``hook``'s subscribers, or None."""
        for subscriber in self.hooks.get(hook, ()):
            answer = subscriber(self, *args)
            if answer is not None:
                return answer
        return None
