"""ECR Public's model: one public registry per account (not per region) and its repositories.

A public repository is a :class:`Repository` (images, tags and push rules are the private
side's, shared) with a different ARN and URI, catalog data, and the creation time of each tag
that DescribeImageTags reports.
"""

from __future__ import annotations

import hashlib
import string
from typing import Any, Optional

from fake_ecr.errors import repository_not_found
from fake_ecr.model.feature_state import HoldsFeatureState
from fake_ecr.model.image import Image
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.model.repository import Repository

# ECR Public's control plane lives in us-east-1; its repositories are global (no region in ARNs).
PUBLIC_REGION = "us-east-1"
PUBLIC_HOST = "public.ecr.aws"

# Default quotas: registered repositories, and images per repository (ECR Public quotas page).
REPOSITORY_QUOTA = 10_000
IMAGE_QUOTA = 100_000

ACTIVE = "ACTIVE"
PENDING = "PENDING"
REJECTED = "REJECTED"


def default_alias(account_id: str) -> str:
    """The alias ECR Public assigns an account: 8 characters, a letter first (stable per account)."""
    digest = hashlib.sha256(f"ecr-public-alias:{account_id}".encode()).digest()
    letters, alphanumerics = string.ascii_lowercase, string.ascii_lowercase + string.digits
    return letters[digest[0] % 26] + "".join(alphanumerics[b % 36] for b in digest[1:8])


class RegistryAlias:
    """One alias of a public registry (the default one, or a custom one requested in the console)."""

    __slots__ = ("name", "status", "primary", "default")

    def __init__(self, name: str, *, status: str = ACTIVE, primary: bool = False, default: bool = False) -> None:
        self.name = name
        self.status = status
        self.primary = primary
        self.default = default

    def __repr__(self) -> str:
        return f"<RegistryAlias {self.name} {self.status}{' primary' if self.primary else ''}>"


class PublicRepository(Repository):
    """A public repository: the private model plus catalog data and per-tag creation times."""

    def __init__(
        self,
        *,
        registry: PublicRegistry,
        name: str,
        created_at: float,
        seq: int,
        resource_tags: Optional[dict[str, str]] = None,
    ) -> None:
        super().__init__(
            name=name,
            registry_id=registry.registry_id,
            region=PUBLIC_REGION,
            created_at=created_at,
            seq=seq,
            resource_tags=resource_tags,
        )
        self.registry = registry
        # None until catalog data is first given (GetRepositoryCatalogData then fails).
        self.catalog_data: Optional[dict[str, Any]] = None
        # tag -> when it was last pointed at its image, ordered by that moment.
        self.tag_times: OrderedIndex[str, tuple[str, float]] = OrderedIndex()

    @property
    def arn(self) -> str:
        return f"arn:aws:ecr-public::{self.registry_id}:repository/{self.name}"

    @property
    def uri(self) -> str:
        return f"{self.registry.uri}/{self.name}"

    def record_tag(self, tag: str, now: float, seq: int) -> None:
        """Remember that ``tag`` was (re)pointed at an image at ``now``."""
        self.tag_times.remove(tag)
        self.tag_times.add(tag, (tag, now), seq)

    def delete_image(self, image: Image) -> list[str]:
        tags = super().delete_image(image)
        for tag in tags:
            self.tag_times.remove(tag)
        return tags

    def untag(self, tag: str) -> Optional[Image]:
        self.tag_times.remove(tag)
        return super().untag(tag)


class PublicRegistry(HoldsFeatureState):
    """An account's public registry: aliases, verification, display name and repositories."""

    def __init__(self, account_id: str) -> None:
        self.account_id = account_id
        self.aliases: list[RegistryAlias] = []
        # Set by AWS for verified AWS Marketplace vendors; tests may set it.
        self.verified = False
        self.display_name: Optional[str] = None
        self.repositories: OrderedIndex[str, PublicRepository] = OrderedIndex()
        # Service quotas (adjustable in AWS, so a test may lower or raise them).
        self.repository_quota = REPOSITORY_QUOTA
        self.image_quota = IMAGE_QUOTA

    @property
    def registry_id(self) -> str:
        return self.account_id

    @property
    def arn(self) -> str:
        return f"arn:aws:ecr-public::{self.account_id}:registry/{self.account_id}"

    @property
    def primary_alias(self) -> Optional[RegistryAlias]:
        for alias in self.aliases:
            if alias.primary:
                return alias
        return self.aliases[0] if self.aliases else None

    @property
    def uri(self) -> str:
        alias = self.primary_alias
        return f"{PUBLIC_HOST}/{alias.name if alias else self.account_id}"

    def ensure_default_alias(self) -> None:
        """Assign the default alias, as ECR Public does when the first repository is created."""
        if not any(a.default for a in self.aliases):
            primary = not any(a.primary for a in self.aliases)
            self.aliases.append(RegistryAlias(default_alias(self.account_id), primary=primary, default=True))

    def add_alias(self, name: str, *, status: str = ACTIVE, primary: bool = True) -> RegistryAlias:
        """Add a custom alias (AWS grants these through the console; there is no API for it)."""
        if primary:
            for alias in self.aliases:
                alias.primary = False
        alias = RegistryAlias(name, status=status, primary=primary)
        self.aliases.append(alias)
        return alias

    def has_alias(self, name: str) -> bool:
        return any(a.name == name and a.status == ACTIVE for a in self.aliases)

    def repository(self, name: str) -> PublicRepository:
        """The repository ``name``, or AWS's RepositoryNotFoundException."""
        repo = self.repositories.get(name)
        if repo is None:
            raise repository_not_found(name, self.account_id)
        return repo

    def __repr__(self) -> str:
        return f"<PublicRegistry {self.account_id} repositories={len(self.repositories)}>"
