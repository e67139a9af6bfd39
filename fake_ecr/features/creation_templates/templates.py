"""Repository creation templates: the settings ECR gives repositories it creates on your behalf.

A template applies to repositories whose name is its ``prefix`` or starts with ``prefix/``
("there is always an assumed / applied to the end of the prefix"); ``ROOT`` applies to every
repository that no other template matches. Each template names the scenarios it is used for
(``appliedFor``): PULL_THROUGH_CACHE, REPLICATION and CREATE_ON_PUSH.

Features that create repositories on ECR's behalf (pull through cache, replication) ask through
the ``REPOSITORY_FROM_TEMPLATE`` hook (``fake_ecr.features.repositories.on_demand``); create on
push is this feature's own. Without a matching template ECR uses its defaults: mutable tags,
AES-256 encryption, no repository or lifecycle policy.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from fake_ecr.core.call import Call
from fake_ecr.errors import ServiceError, invalid_parameter
from fake_ecr.features.lifecycle.rules import parse_lifecycle_policy
from fake_ecr.features.lifecycle.store import lifecycle_state
from fake_ecr.features.policies.documents import parse_repository_policy
from fake_ecr.features.policies.stored import RepositoryPolicy
from fake_ecr.features.repositories.on_demand import ROOT, prefix_specificity
from fake_ecr.features.repositories.settings import encryption_for
from fake_ecr.model import Registry, Repository
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.model.repository import MUTABLE

PULL_THROUGH_CACHE = "PULL_THROUGH_CACHE"
REPLICATION = "REPLICATION"
CREATE_ON_PUSH = "CREATE_ON_PUSH"

# The push operations that create a missing repository when a CREATE_ON_PUSH template matches:
# the calls a container client makes to a repository before anything else is in it.
PUSH_OPERATIONS = frozenset({"BatchCheckLayerAvailability", "InitiateLayerUpload", "PutImage"})

_ROLE_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}")


class CreationTemplate:
    """One template as stored; ``None`` members are the ones the user never set."""

    def __init__(self, prefix: str, created_at: float) -> None:
        self.prefix = prefix
        self.created_at = created_at
        self.updated_at = created_at
        self.description: Optional[str] = None
        self.encryption: dict[str, str] = {"encryptionType": "AES256"}
        self.resource_tags: dict[str, str] = {}
        self.tag_mutability = MUTABLE
        self.mutability_exclusions: list[str] = []
        self.repository_policy: Optional[str] = None
        self.lifecycle_policy: Optional[str] = None
        self.applied_for: list[str] = []
        self.custom_role_arn: Optional[str] = None

    def matches(self, repository_name: str) -> bool:
        prefix = self.prefix.rstrip("/")
        return self.prefix == ROOT or repository_name == prefix or repository_name.startswith(prefix + "/")

    def __repr__(self) -> str:
        return f"<CreationTemplate {self.prefix} {self.applied_for}>"


class CreationTemplates:
    """Registry state: the registry's templates by prefix, in creation order."""

    def __init__(self) -> None:
        self.index: OrderedIndex[str, CreationTemplate] = OrderedIndex()


def templates_of(registry: Registry) -> OrderedIndex[str, CreationTemplate]:
    """The registry's templates by prefix, in creation order."""
    return registry.state(CreationTemplates).index


def best_template(registry: Registry, repository_name: str, applied_for: str) -> Optional[CreationTemplate]:
    """The template for ``applied_for`` whose prefix matches longest; ROOT only if none does."""
    matching = [
        t for t in templates_of(registry).values() if applied_for in t.applied_for and t.matches(repository_name)
    ]
    return max(matching, key=lambda t: prefix_specificity(t.prefix), default=None)


# -- validation shared by Create and Update -------------------------------------------------------


def check_role_arn(arn: str, registry_id: str) -> None:
    """``customRoleArn``: an IAM role "in the same account as the registry"."""
    match = _ROLE_ARN.fullmatch(arn)
    if match is None or match.group(1) != registry_id:
        raise invalid_parameter(
            "customRoleArn", f"customRoleArn must be the ARN of an IAM role in account {registry_id}"
        )


def template_encryption(config: dict[str, Any]) -> dict[str, str]:
    """A template's encryption; a KMS key stays unset until a repository is created from it."""
    kind, key = config["encryptionType"], config.get("kmsKey") or None
    if kind == "AES256" and key:
        raise invalid_parameter(
            "encryptionConfiguration.kmsKey", "KMS key should not be specified when encryptionType is AES256"
        )
    return {"encryptionType": kind, **({"kmsKey": key} if key else {})}


def check_repository_policy(text: str) -> None:
    parse_repository_policy(text)


def lifecycle_text(text: str) -> str:
    """The lifecycle policy as ECR stores it, validated as PutLifecyclePolicy validates it."""
    return parse_lifecycle_policy(text).text


# -- creating repositories ---------------------------------------------------------------------------


def apply_creation_template(
    call: Call,
    registry: Registry,
    repository_name: str,
    applied_for: str,
    *,
    require_template: bool = False,
) -> Optional[Repository]:
    """Create ``repository_name`` in ``registry`` as ECR does on the caller's behalf.

    Its settings come from the best-matching template for ``applied_for`` (PULL_THROUGH_CACHE,
    REPLICATION or CREATE_ON_PUSH); without one, from ECR's defaults. With ``require_template``
    nothing is created (None is returned) when no template matches. An existing repository is
    returned unchanged.
    """
    existing = registry.repositories.get(repository_name)
    if existing is not None:
        return existing
    template = best_template(registry, repository_name, applied_for)
    if template is None and require_template:
        return None
    seq = call.backend.next_seq()
    repo = Repository(
        name=repository_name, registry_id=registry.registry_id, region=registry.region, created_at=call.now, seq=seq
    )
    if template is not None:
        repo.tag_mutability = template.tag_mutability
        repo.mutability_exclusions = list(template.mutability_exclusions)
        # The AWS managed key of the repository's own Region (replication creates in another one).
        here = call.elsewhere(region=registry.region, account_id=registry.registry_id)
        repo.encryption = encryption_for(here, registry.registry_id, template.encryption)
        repo.resource_tags = dict(template.resource_tags)
        if template.repository_policy:
            repo.state(RepositoryPolicy).policy = parse_repository_policy(template.repository_policy)
        if template.lifecycle_policy:
            lifecycle_state(repo).policy = parse_lifecycle_policy(template.lifecycle_policy)
    registry.repositories.add(repository_name, repo, seq)
    return repo


def create_on_push(call: Call, registry: Registry, name: str, params: dict[str, Any]) -> None:
    """``BEFORE_REPOSITORY_LOOKUP``: pushing to a missing repository creates it when a
    CREATE_ON_PUSH template matches (the wiring runs it for ECR's PUSH_OPERATIONS only)."""
    if name not in registry.repositories:
        apply_creation_template(call, registry, name, CREATE_ON_PUSH, require_template=True)


def repository_from_template(call: Call, registry: Registry, name: str, applied_for: str) -> Optional[Repository]:
    """``REPOSITORY_FROM_TEMPLATE``: the repository made from the best template, if one matches."""
    return apply_creation_template(call, registry, name, applied_for, require_template=True)


def template_not_found(prefix: str, registry_id: str) -> ServiceError:
    return ServiceError(
        "TemplateNotFoundException",
        f"The repository creation template with prefix '{prefix}' does not exist in the registry "
        f"with id '{registry_id}'",
    )
