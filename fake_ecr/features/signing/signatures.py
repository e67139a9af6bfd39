"""Managed signing: the registry's signing rules and the per-profile signing status of images.

When an image is pushed, every rule whose repository filters match the repository (a rule
without filters matches all) asks its AWS Signer profile for a signature. fake_ecr records one
status per profile at push time: COMPLETE unless the test chose another outcome with
``fake.signing``. Deleting the configuration leaves existing statuses alone, as in ECR.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Optional

from fake_ecr.errors import FakeECRError, ServiceError
from fake_ecr.model import Image, Registry, Repository
from fake_ecr.model.wildcards import matches

if TYPE_CHECKING:
    from fake_ecr.core.call import Call
    from fake_ecr.core.serving import Server

STATUSES = ("IN_PROGRESS", "COMPLETE", "FAILED")


class SigningConfiguration:
    """Registry state: the signing configuration, if one was put."""

    def __init__(self) -> None:
        self.config: Optional[dict[str, Any]] = None


class SigningStatuses:
    """Repository state: digest -> (image seq, the image's signing statuses)."""

    def __init__(self) -> None:
        self.by_digest: dict[str, tuple[int, list[dict[str, str]]]] = {}


class SigningOutcomes:
    """Backend state set through ``fake.signing``: (repository, profile) -> the status pushes get."""

    def __init__(self) -> None:
        self.by_scope: dict[tuple[Optional[str], Optional[str]], dict[str, str]] = {}


class SigningSettingError(FakeECRError, ValueError):
    """A signing outcome given to ``fake.signing`` that ECR could never report."""


def configuration(registry: Registry) -> Optional[dict[str, Any]]:
    return registry.state(SigningConfiguration).config


def require_configuration(registry: Registry) -> dict[str, Any]:
    config = configuration(registry)
    if config is None:
        raise ServiceError(
            "SigningConfigurationNotFoundException",
            f"No signing configuration exists for the registry with id '{registry.registry_id}'",
        )
    return config


def put_configuration(registry: Registry, config: dict[str, Any]) -> dict[str, Any]:
    registry.state(SigningConfiguration).config = copy.deepcopy(config)
    return copy.deepcopy(config)


def delete_configuration(registry: Registry) -> dict[str, Any]:
    config = require_configuration(registry)
    registry.state(SigningConfiguration).config = None
    return config


def _rule_matches(rule: dict[str, Any], repository_name: str) -> bool:
    filters = rule.get("repositoryFilters")
    if not filters:
        return True
    return any(matches(f["filter"], repository_name) for f in filters)


def matching_profiles(config: dict[str, Any], repository_name: str) -> list[str]:
    """Signing profile ARNs of the rules that apply to the repository, each once, in rule order."""
    profiles: list[str] = []
    for rule in config["rules"]:
        arn = rule["signingProfileArn"]
        if arn not in profiles and _rule_matches(rule, repository_name):
            profiles.append(arn)
    return profiles


def _statuses(repo: Repository) -> dict[str, tuple[int, list[dict[str, str]]]]:
    return repo.state(SigningStatuses).by_digest


def statuses_of(repo: Repository, image: Image) -> list[dict[str, str]]:
    entry = _statuses(repo).get(image.digest)
    if entry is None or entry[0] != image.seq:
        return []
    return entry[1]


def sign_on_push(call: Call, repo: Repository, image: Image, tag: Optional[str]) -> None:
    """``IMAGE_PUSHED``: start signing a newly stored image under matching rules."""
    registry = call.backend.registry(repo.registry_id, repo.region)
    if not registry.has_state(SigningConfiguration):
        return  # never configured here: the common case (and reading it would store an empty state)
    config = configuration(registry)
    if config is None:  # configured once, since deleted
        return
    entry = _statuses(repo).get(image.digest)
    if entry is not None and entry[0] == image.seq:
        return  # a re-tag is not a new push
    outcomes = call.backend.state(SigningOutcomes).by_scope
    statuses = []
    for arn in matching_profiles(config, repo.name):
        outcome = next(
            (outcomes[k] for k in ((repo.name, arn), (repo.name, None), (None, arn), (None, None)) if k in outcomes),
            {"status": "COMPLETE"},
        )
        statuses.append({"signingProfileArn": arn, **outcome})
    _statuses(repo)[image.digest] = (image.seq, statuses)


def _status_entry(status: str, failure_code: Optional[str], failure_reason: Optional[str]) -> dict[str, str]:
    if status not in STATUSES:
        raise SigningSettingError(f"fake_ecr: signing status must be one of {', '.join(STATUSES)}, got {status!r}")
    entry = {"status": status}
    if status == "FAILED":
        entry["failureCode"] = failure_code or "SIGNING_FAILED"
        entry["failureReason"] = failure_reason or "The image could not be signed."
    return entry


class SigningControls:
    """``fake.signing``: decide how signing of pushed images turns out."""

    def __init__(self, server: Server) -> None:
        self._server = server

    def set_outcome(
        self,
        status: str,
        *,
        failure_code: Optional[str] = None,
        failure_reason: Optional[str] = None,
        repository: Optional[str] = None,
        profile_arn: Optional[str] = None,
    ) -> None:
        """The status images pushed from now on get (narrowed to a repository and/or profile)."""
        entry = _status_entry(status, failure_code, failure_reason)
        with self._server.lock:
            self._server.backend.state(SigningOutcomes).by_scope[(repository, profile_arn)] = entry

    def set_status(
        self,
        repository: str,
        image: str,
        profile_arn: str,
        status: str,
        *,
        failure_code: Optional[str] = None,
        failure_reason: Optional[str] = None,
        region: Optional[str] = None,
    ) -> None:
        """Change the status of an already pushed image (tag or digest), e.g. IN_PROGRESS to COMPLETE."""
        entry = _status_entry(status, failure_code, failure_reason)
        repo = self._server.repository(repository, region)
        with self._server.lock:
            found = repo.image_for_tag(image) or repo.image(image)
            if found is None:
                raise KeyError(f"fake_ecr has no image {image!r} in repository {repository!r}")
            statuses = [s for s in statuses_of(repo, found) if s["signingProfileArn"] != profile_arn]
            statuses.append({"signingProfileArn": profile_arn, **entry})
            _statuses(repo)[found.digest] = (found.seq, statuses)
