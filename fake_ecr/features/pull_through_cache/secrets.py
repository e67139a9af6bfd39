"""The Secrets Manager secrets that pull through cache rules name in ``credentialArn``.

fake_ecr does not fake Secrets Manager; a test declares the secrets that exist, and how they
behave, on ``fake.secrets``::

    arn = fake.secrets.add("ecr-pullthroughcache/docker-hub")            # exists, credentials good
    fake.secrets.add("ecr-pullthroughcache/bad", problem="bad_credentials")  # upstream rejects them

Problems: ``"bad_credentials"`` (the rule is created; ValidatePullThroughCacheRule reports it
invalid and pulls fail), ``"access_denied"`` (UnableToAccessSecretException),
``"undecryptable"`` (UnableToDecryptSecretValueException). A secret ARN may be given in full
(with Secrets Manager's ``-XXXXXX`` suffix) or without the suffix.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Optional

from fake_ecr.aws import partitions
from fake_ecr.errors import ServiceError

if TYPE_CHECKING:
    from fake_ecr.core.serving import Server
    from fake_ecr.model import Backend

BAD_CREDENTIALS = "bad_credentials"
ACCESS_DENIED = "access_denied"
UNDECRYPTABLE = "undecryptable"
_PROBLEMS = (None, BAD_CREDENTIALS, ACCESS_DENIED, UNDECRYPTABLE)

_ARN = re.compile(r"arn:aws(?:-\w+)*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)")
_SUFFIX = re.compile(r"(.+)-[A-Za-z0-9]{6}")


class Secret:
    __slots__ = ("arn", "name", "problem")

    def __init__(self, arn: str, name: str, problem: Optional[str]) -> None:
        self.arn, self.name, self.problem = arn, name, problem

    def __repr__(self) -> str:
        return f"<Secret {self.name} problem={self.problem}>"


class SecretsState:
    """Backend state: the secrets declared through ``fake.secrets``, by (account, region, name)."""

    def __init__(self) -> None:
        self.by_name: dict[tuple[str, str, str], Secret] = {}


def find_secret(backend: Backend, arn: str, account_id: str, region: str) -> Optional[Secret]:
    """The secret ``arn`` names, if it exists in ``account_id``/``region`` (where ECR looks)."""
    match = _ARN.fullmatch(arn)
    if match is None or (match.group(2), match.group(1)) != (account_id, region):
        return None
    secrets = backend.state(SecretsState).by_name
    name = match.group(3)
    secret = secrets.get((account_id, region, name))
    suffixed = _SUFFIX.fullmatch(name)
    if secret is None and suffixed is not None:
        secret = secrets.get((account_id, region, suffixed.group(1)))
        if secret is not None and secret.arn != arn:
            secret = None
    return secret


class Secrets:
    """The secrets of every account and region of one fake (``fake.secrets``)."""

    def __init__(self, server: Server) -> None:
        self._server = server

    def add(
        self,
        name: str,
        *,
        region: Optional[str] = None,
        account_id: Optional[str] = None,
        problem: Optional[str] = None,
    ) -> str:
        """Declare that the secret ``name`` exists; return its ARN (with a stable suffix)."""
        if problem not in _PROBLEMS:
            raise ValueError(f"problem must be one of {_PROBLEMS}, got {problem!r}")
        settings = self._server.settings
        region, account = region or settings.region, account_id or settings.account_id
        suffix = hashlib.sha256(f"{account}:{region}:{name}".encode()).hexdigest()[:6]
        arn = partitions.arn("secretsmanager", region, account, f"secret:{name}-{suffix}")
        with self._server.lock:
            self._server.backend.state(SecretsState).by_name[(account, region, name)] = Secret(arn, name, problem)
        return arn

    def remove(self, name: str, *, region: Optional[str] = None, account_id: Optional[str] = None) -> None:
        """Delete the secret (rules that name it keep the ARN, and stop working)."""
        settings = self._server.settings
        key = (account_id or settings.account_id, region or settings.region, name)
        with self._server.lock:
            self._server.backend.state(SecretsState).by_name.pop(key, None)

    def find(self, arn: str, account_id: str, region: str) -> Optional[Secret]:
        """The secret ``arn`` names, if it exists in ``account_id``/``region`` (where ECR looks)."""
        return find_secret(self._server.backend, arn, account_id, region)


def usable_secret(backend: Backend, arn: str, account_id: str, region: str) -> Secret:
    """The secret a rule may use, or the error CreatePullThroughCacheRule/Update raise."""
    secret = find_secret(backend, arn, account_id, region)
    if secret is None:
        raise ServiceError(
            "SecretNotFoundException",
            f"The specified secret '{arn}' could not be found in Secrets Manager",
        )
    if secret.problem == ACCESS_DENIED:
        raise ServiceError(
            "UnableToAccessSecretException",
            f"Unable to access the secret '{arn}'. Verify that Amazon ECR has permission to read it.",
        )
    if secret.problem == UNDECRYPTABLE:
        raise ServiceError(
            "UnableToDecryptSecretValueException",
            f"Unable to decrypt the value of the secret '{arn}'. Verify that Amazon ECR can use its KMS key.",
        )
    return secret
