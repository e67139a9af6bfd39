"""Fault injection: make chosen calls fail so that retry and back-off code can be tested.

A faulted call is answered on botocore's endpoint path (``before-send``) instead of at
``before-call``, so botocore's retry machinery (legacy, standard or adaptive mode) sees the
error exactly as it would see AWS's: it parses it, decides whether to retry, sleeps, and sends
again; each attempt takes the next fault or, when none is left, is served normally.
"""

from __future__ import annotations

import random
import threading
from typing import Optional

from fake_ecr.errors import ServiceError

# Errors AWS services send that are not in ECR's model but that clients must handle.
_STATUS = {
    "ServerException": 500,
    "ThrottlingException": 400,
    "ThrottledException": 400,
    "RequestLimitExceeded": 400,
    "TooManyRequestsException": 400,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
    "InternalFailure": 500,
    "InternalServerError": 500,
}


class Fault:
    """One planned failure of an operation: for the next ``count`` calls, or with a probability."""

    def __init__(
        self,
        code: str,
        message: Optional[str],
        status: Optional[int],
        count: Optional[int],
        probability: Optional[float],
        seed: Optional[int],
    ) -> None:
        self.code = code
        self.message = message or f"fake_ecr injected {code}"
        self.status = status or _STATUS.get(code, 400)
        self.remaining = count
        self.probability = probability
        self._random = random.Random(seed)

    def fires(self) -> bool:
        """Whether this attempt fails (consuming one of ``count``)."""
        if self.remaining is not None:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True
        assert self.probability is not None
        return self._random.random() < self.probability

    @property
    def exhausted(self) -> bool:
        return self.remaining is not None and self.remaining <= 0

    def error(self) -> ServiceError:
        return ServiceError(self.code, self.message, self.status)


class Faults:
    """The planned faults of one fake, by (service, operation). Reached as ``fake.faults``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: dict[tuple[str, str], list[Fault]] = {}
        # Whether any fault was planned since the last clear: while not, serving skips the lookup.
        self.any_planned = False

    def fail_next(
        self,
        operation: str,
        code: str = "ThrottlingException",
        *,
        count: int = 1,
        message: Optional[str] = None,
        status: Optional[int] = None,
        service: str = "ecr",
    ) -> None:
        """Make the next ``count`` attempts of ``operation`` fail with ``code``.

        ``fake.faults.fail_next("PutImage", "ThrottlingException", count=2)``: with botocore's
        default retries the third attempt succeeds and the caller never sees an error.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        self._add(service, operation, Fault(code, message, status, count, None, None))

    def fail_randomly(
        self,
        operation: str,
        code: str = "ServerException",
        *,
        probability: float,
        seed: Optional[int] = None,
        message: Optional[str] = None,
        status: Optional[int] = None,
        service: str = "ecr",
    ) -> None:
        """Make each attempt of ``operation`` fail with ``probability`` (reproducible with ``seed``)."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        self._add(service, operation, Fault(code, message, status, None, probability, seed))

    def clear(self) -> None:
        """Remove every planned fault."""
        with self._lock:
            self._plans.clear()
            self.any_planned = False

    def _add(self, service: str, operation: str, fault: Fault) -> None:
        from fake_ecr.core.service_models import operation_names

        if operation not in operation_names(service):
            raise ValueError(f"{service} has no operation {operation!r}")
        with self._lock:
            self._plans.setdefault((service, operation), []).append(fault)
            self.any_planned = True

    def planned(self, service: str, operation: str) -> bool:
        """Whether any fault may still fire for this operation (cheap: no fault → one dict lookup)."""
        plans = self._plans.get((service, operation))
        return bool(plans) and any(not f.exhausted for f in plans)  # type: ignore[union-attr]

    def take(self, service: str, operation: str) -> Optional[ServiceError]:
        """The error for this attempt, if a planned fault fires now."""
        with self._lock:
            plans = self._plans.get((service, operation), [])
            for fault in plans:
                if fault.fires():
                    error = fault.error()
                    break
            else:
                error = None
            plans[:] = [f for f in plans if not f.exhausted]
            return error
