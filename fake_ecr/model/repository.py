"""A private ECR repository: its settings, resource tags and images."""

from __future__ import annotations

import operator
from typing import Optional

from fake_ecr.aws.partitions import arn, registry_host
from fake_ecr.model.feature_state import HoldsFeatureState
from fake_ecr.model.image import Image
from fake_ecr.model.ordered import OrderedIndex
from fake_ecr.model.wildcards import matches_any

MUTABLE = "MUTABLE"
IMMUTABLE = "IMMUTABLE"
IMMUTABLE_WITH_EXCLUSION = "IMMUTABLE_WITH_EXCLUSION"
MUTABLE_WITH_EXCLUSION = "MUTABLE_WITH_EXCLUSION"


_image_seq = operator.attrgetter("seq")


class Repository(HoldsFeatureState):
    """Images are indexed three ways so every listing pages in O(page):

    ``images`` (all, by digest), ``tagged`` and ``untagged`` (for the tagStatus filters),
    each ordered by push sequence; ``tags`` maps a tag to the one image it names.
    """

    def __init__(
        self,
        *,
        name: str,
        registry_id: str,
        region: str,
        created_at: float,
        seq: int,
        tag_mutability: str = MUTABLE,
        mutability_exclusions: Optional[list[str]] = None,
        scan_on_push: bool = False,
        encryption: Optional[dict[str, str]] = None,
        resource_tags: Optional[dict[str, str]] = None,
    ) -> None:
        self.name = name
        self.registry_id = registry_id
        self.region = region
        # Name, registry and Region never change, and every repository view reports both.
        self._arn = arn("ecr", region, registry_id, f"repository/{name}")
        self._uri = f"{registry_host(registry_id, region)}/{name}"
        self.created_at = created_at
        self.seq = seq
        self.tag_mutability = tag_mutability
        # Copies of what the caller gave (fresh defaults when nothing was), without copying an
        # empty default first: most repositories are created with none of these.
        self.mutability_exclusions: list[str] = list(mutability_exclusions) if mutability_exclusions else []
        self.scan_on_push = scan_on_push
        self.encryption: dict[str, str] = dict(encryption) if encryption else {"encryptionType": "AES256"}
        self.resource_tags: dict[str, str] = dict(resource_tags) if resource_tags else {}
        self.images: OrderedIndex[str, Image] = OrderedIndex(_image_seq)
        self.tagged: OrderedIndex[str, Image] = OrderedIndex(_image_seq)
        self.untagged: OrderedIndex[str, Image] = OrderedIndex(_image_seq)
        self.tags: dict[str, Image] = {}

    @property
    def arn(self) -> str:
        return self._arn

    @property
    def uri(self) -> str:
        return self._uri

    # -- images -----------------------------------------------------------------------------

    def image(self, digest: str) -> Optional[Image]:
        return self.images.get(digest)

    def image_for_tag(self, tag: str) -> Optional[Image]:
        return self.tags.get(tag)

    def add_image(self, image: Image, tag: Optional[str] = None) -> None:
        """Index ``image``, whose digest the repository does not hold (so no index has it yet),
        under ``tag`` if given (moved from the image that had it): a tagged push lands in the
        tagged index at once instead of passing through the untagged one."""
        digest, seq = image.digest, image.seq
        if tag is not None:
            self._take_tag(tag)
            self.tags[tag] = image
            image.tags.append(tag)
        self.images.add(digest, image, seq)
        (self.tagged if image.tags else self.untagged).add(digest, image, seq)

    def delete_image(self, image: Image) -> list[str]:
        """Remove ``image`` and all its tags; return the tags it had."""
        tags = list(image.tags)
        for tag in tags:
            del self.tags[tag]
        image.tags.clear()
        self.images.remove(image.digest)
        self.tagged.remove(image.digest)
        self.untagged.remove(image.digest)
        return tags

    def tag_image(self, image: Image, tag: str) -> Optional[Image]:
        """Point ``tag`` at ``image``; return the image the tag was moved away from, if any."""
        if self.tags.get(tag) is image:
            return None
        previous = self._take_tag(tag)
        self.tags[tag] = image
        image.tags.append(tag)
        if len(image.tags) == 1:
            self._reindex(image)
        return previous

    def _take_tag(self, tag: str) -> Optional[Image]:
        """Take ``tag`` from the image that has it, if any (and return that image). Only an
        image's first and last tag move it between ``tagged`` and ``untagged``."""
        previous = self.tags.get(tag)
        if previous is not None:
            previous.tags.remove(tag)
            if not previous.tags:
                self._reindex(previous)
        return previous

    def untag(self, tag: str) -> Optional[Image]:
        """Remove ``tag``; return the image it named (now perhaps untagged)."""
        image = self.tags.pop(tag, None)
        if image is not None:
            image.tags.remove(tag)
            self._reindex(image)
        return image

    def _reindex(self, image: Image) -> None:
        if image.tags:
            self.untagged.remove(image.digest)
            self.tagged.add(image.digest, image, image.seq)
        else:
            self.tagged.remove(image.digest)
            self.untagged.add(image.digest, image, image.seq)

    def by_status(self, tag_status: Optional[str]) -> OrderedIndex[str, Image]:
        """The index that a ``tagStatus`` filter (TAGGED, UNTAGGED, ANY or None) reads."""
        if tag_status == "TAGGED":
            return self.tagged
        if tag_status == "UNTAGGED":
            return self.untagged
        return self.images

    # -- settings ---------------------------------------------------------------------------

    def tag_is_immutable(self, tag: str) -> bool:
        """Whether an existing ``tag`` may not be moved to another image."""
        mode = self.tag_mutability
        if mode == IMMUTABLE:
            return True
        if mode == IMMUTABLE_WITH_EXCLUSION:
            return not matches_any(self.mutability_exclusions, tag)
        if mode == MUTABLE_WITH_EXCLUSION:
            return matches_any(self.mutability_exclusions, tag)
        return False

    def __repr__(self) -> str:
        return f"<Repository {self.name} images={len(self.images)}>"
