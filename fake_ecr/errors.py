"""Exceptions: the ones users see, and the service error that handlers raise.

Two families live here and must not be confused:

* :class:`ServiceError` is an *AWS* error. Handlers raise it; the dispatcher turns it into the
  modeled botocore exception (``client.exceptions.RepositoryNotFoundException``) exactly as a
  real error response would.
* :class:`FakeECRError` and its subclasses are *fake_ecr's own* errors: an operation that is not
  built yet, a bug inside fake_ecr, a misuse of the controller. They reach the caller unchanged.
"""

from __future__ import annotations

from typing import Any


class FakeECRError(Exception):
    """Base class of every error that fake_ecr itself raises (not AWS errors)."""


class UnsupportedOperation(FakeECRError, NotImplementedError):
    """An ECR or ECR Public operation that fake_ecr does not implement yet.

    Raised instead of pretending to succeed. The call is also recorded in
    ``fake.unsupported_calls`` so the pytest fixture can report it even if the code under test
    swallowed this exception.
    """

    def __init__(self, service: str, operation: str, region: str | None = None) -> None:
        self.service = service
        self.operation = operation
        self.region = region
        where = f" (region {region})" if region else ""
        super().__init__(
            f"fake_ecr does not support {service}.{operation}{where} yet. "
            f"Run `python -m fake_ecr operations` to list the implemented operations."
        )


class UnsupportedCallsMade(FakeECRError, AssertionError):
    """A strict fake ended after the code under test made calls fake_ecr does not support yet
    (and swallowed the :class:`UnsupportedOperation` they raised)."""


class FakeECRWarning(UserWarning):
    """A misuse fake_ecr corrected on its own (a fake left active at the end of a test)."""


class NoActiveFake(FakeECRError):
    """An ECR or ECR Public call made where real calls are blocked and no fake serves it.

    Raised under the pytest plugin (unless the suite or the test opts out), after
    ``fake_ecr.block_real_calls()``, and in code the decorator refuses to cover (``setUpClass``),
    instead of letting the call go to AWS.
    """

    def __init__(self, service: str, operation: str, reason: str) -> None:
        self.service = service
        self.operation = operation
        self.reason = reason
        super().__init__(
            f"fake_ecr blocked {service}.{operation}: {reason}. Calls to ECR never go to AWS while "
            "fake_ecr's pytest plugin is loaded; activate a fake for this code (the fake_ecr fixture, "
            "@mock_ecr, `with FakeECR():`), or let it reach AWS with @pytest.mark.fake_ecr_real_aws "
            "or the ini option fake_ecr_allow_real_aws = true."
        )


class UnattributedCall(FakeECRError):
    """An ECR call from a thread no fake can claim while several fakes are active at once.

    A call belongs to the fake active in the context that made it (its thread or task, or the
    context that started its thread); a thread that no fake's context started is served by the
    only active fake, and when several are active fake_ecr cannot tell whose call it is.
    """

    def __init__(self, service: str, operation: str, active: int) -> None:
        self.service = service
        self.operation = operation
        super().__init__(
            f"fake_ecr cannot tell which of the {active} active fakes should serve {service}.{operation}: "
            "it was made from a thread that none of them started. Start the thread from the test that "
            "owns the fake (threading.Thread or ThreadPoolExecutor.submit carry the fake into it), or "
            "run the call inside `with fake:`."
        )


class FakeECRInternalError(FakeECRError, RuntimeError):
    """A bug inside fake_ecr, surfaced with the operation it happened in."""


class ServiceError(Exception):
    """An error response of the service: AWS's code, message and extra modeled fields.

    ``fields`` are extra members of the error shape, sent next to ``message`` on the wire
    (for example ``failureCode`` members some services add). ``status`` is the HTTP status.
    """

    def __init__(self, code: str, message: str, status: int = 400, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.fields = fields


def invalid_parameter(member: str, constraint: str) -> ServiceError:
    """AWS's server-side validation error, in the form ECR uses for every constraint."""
    return ServiceError(
        "InvalidParameterException",
        f"Invalid parameter at '{member}' failed to satisfy constraint: '{constraint}'",
    )


def repository_not_found(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryNotFoundException",
        f"The repository with name '{name}' does not exist in the registry with id '{registry_id}'",
    )


def repository_already_exists(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryAlreadyExistsException",
        f"The repository with name '{name}' already exists in the registry with id '{registry_id}'",
    )


def repository_not_empty(name: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "RepositoryNotEmptyException",
        f"The repository with name '{name}' in registry with id '{registry_id}' "
        "cannot be deleted because it still contains images",
    )


def limit_exceeded() -> ServiceError:
    """A service quota would be exceeded (AWS's description of LimitExceededException)."""
    return ServiceError(
        "LimitExceededException",
        "The operation did not succeed because it would have exceeded a service limit for your account.",
    )


def missing_in_repository(code: str, what: str, name: str, registry_id: str) -> ServiceError:
    """ECR's "<what> does not exist for the repository ..." error (policies, lifecycle, previews)."""
    return ServiceError(
        code,
        f"{what} does not exist for the repository with name '{name}' in the registry with id '{registry_id}'",
    )
