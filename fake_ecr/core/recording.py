"""The call log: every call a fake served, for tests to assert on (``fake.calls``, ``get_calls``)."""

from __future__ import annotations

from typing import Any, Optional


class RecordedCall:
    """One call served by the fake: what was asked and what came back.

    ``params`` is the request as the service received it; ``response`` the parsed body returned
    (None on error); ``error`` the :class:`~fake_ecr.errors.ServiceError` (its ``code`` and
    ``message``) or :class:`~fake_ecr.UnsupportedOperation`.
    """

    __slots__ = ("service", "operation", "region", "params", "response", "error")

    def __init__(
        self,
        service: str,
        operation: str,
        region: str,
        params: Optional[dict[str, Any]],
        response: Optional[dict[str, Any]],
        error: Optional[BaseException],
    ) -> None:
        self.service = service
        self.operation = operation
        self.region = region
        self.params = params
        self.response = response
        self.error = error

    @property
    def access_decision(self) -> Any:
        """When access control refused the call: the decision, with the statements considered
        and why it fell as it did (``None`` otherwise)."""
        return getattr(self.error, "decision", None)

    def __repr__(self) -> str:
        error = self.error
        outcome = "ok" if error is None else getattr(error, "code", type(error).__name__)
        return f"<RecordedCall {self.service}.{self.operation} {self.region} {outcome}>"
