"""The one lifecycle evaluation engine, used by the preview and by real expiry alike.

Semantics (ECR user guide, "Lifecycle policy evaluation rules"):

* rules are applied in priority order, lowest number first;
* an image is acted on by at most one rule: once an image matched the tag selection of a rule,
  no later rule may act on it, even if that rule left it alone;
* a rule still *counts* images that earlier rules claimed ("rules can identify them as if they
  haven't been expired"), so ``imageCountMoreThan`` keeps the N newest of everything it selects;
* images are ordered newest first by push time; ages are measured on the fake's clock.

Images that belong to something else are not judged on their own: an image referenced by an
index (manifest list) in the repository is never acted on, and a referrer (an artifact whose
``subject`` is in the repository) is expired together with its subject.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Callable, Optional

from fake_ecr.features.lifecycle.rules import (
    ANY,
    EXPIRE,
    IMAGE_COUNT_MORE_THAN,
    SINCE_IMAGE_PULLED,
    SINCE_IMAGE_TRANSITIONED,
    UNTAGGED,
    LifecyclePolicy,
    Rule,
)
from fake_ecr.model import Image
from fake_ecr.model.wildcards import matches

DAY = 86400.0


class Outcome:
    """What the policy does to one image, as the preview reports it and expiry applies it."""

    __slots__ = (
        "image",
        "digest",
        "tags",
        "pushed_at",
        "storage_class",
        "rule_priority",
        "action",
        "target_storage_class",
        "subject_digest",
    )

    def __init__(self, image: Image, rule: Rule, subject_digest: Optional[str] = None) -> None:
        self.image = image
        self.digest = image.digest
        self.tags = tuple(image.tags)
        self.pushed_at = image.pushed_at
        self.storage_class = image.storage_class
        self.rule_priority = rule.priority
        self.action = rule.action.upper()
        self.target_storage_class = rule.target_storage_class.upper() if rule.target_storage_class else None
        # Set when the image goes because its subject goes (a referrer such as a signature).
        self.subject_digest = subject_digest

    def key(self) -> tuple[str, int, str]:
        """What must agree between a preview and the expiry it predicts."""
        return (self.digest, self.rule_priority, self.action)

    def __repr__(self) -> str:
        return f"<Outcome {self.action} {self.digest[:19]} rule={self.rule_priority} tags={list(self.tags)}>"


def selects(rule: Rule, image: Image) -> bool:
    """Whether ``image`` matches the rule's selection, apart from the count criterion."""
    if image.storage_class.lower() != rule.storage_class:
        return False
    if rule.tag_status == ANY:
        return True
    if rule.tag_status == UNTAGGED:
        return not image.tags
    if not image.tags:
        return False
    # "If you specify multiple tags, only the images with all specified tags are selected."
    if rule.tag_prefixes:
        return all(any(t.startswith(p) for t in image.tags) for p in rule.tag_prefixes)
    return all(any(matches(p, t) for t in image.tags) for p in rule.tag_patterns)


def _age_reference(rule: Rule, image: Image) -> float:
    if rule.count_type == SINCE_IMAGE_PULLED and image.last_pulled_at is not None:
        return image.last_pulled_at
    if rule.count_type == SINCE_IMAGE_TRANSITIONED and image.archived_at is not None:
        return image.archived_at
    # Never pulled (or never transitioned): the push time is the image's last activity.
    return image.pushed_at


def identified(rule: Rule, selected: list[Image], now: float) -> list[Image]:
    """The images the rule's count criterion picks out of ``selected`` (newest first)."""
    if rule.count_type == IMAGE_COUNT_MORE_THAN:
        return selected[rule.count_number :]
    limit = rule.count_number * DAY
    return [i for i in selected if now - _age_reference(rule, i) > limit]


def _newest_first(image: Image) -> tuple[float, int]:
    return (-image.pushed_at, -image.seq)


def evaluate(
    images: Iterable[Image],
    policy: LifecyclePolicy,
    now: float,
    may_expire: Callable[[Image], bool] = lambda image: True,
) -> list[Outcome]:
    """Every action ``policy`` takes on ``images`` at time ``now``, in priority then push order.

    ``may_expire`` lets the caller veto a deletion (``BEFORE_DELETE``); a vetoed
    image is left alone, exactly as expiry would leave it.
    """
    everything = list(images)
    present = {i.digest for i in everything}
    in_index = {d for i in everything for d in i.child_digests}
    referrers: dict[str, list[Image]] = {}
    for image in everything:
        subject = image.subject_digest
        if subject and subject in present and subject != image.digest:
            referrers.setdefault(subject, []).append(image)
    attached = {i.digest for group in referrers.values() for i in group}
    judged = sorted((i for i in everything if i.digest not in in_index and i.digest not in attached), key=_newest_first)
    claimed: set[str] = set()
    outcomes: list[Outcome] = []
    for rule in policy.rules:
        selected = [i for i in judged if selects(rule, i)]
        chosen = [
            i
            for i in identified(rule, selected, now)
            if i.digest not in claimed and (rule.action != EXPIRE or may_expire(i))
        ]
        claimed.update(i.digest for i in selected)
        for image in sorted(chosen, key=lambda i: (i.pushed_at, i.seq)):
            outcomes.append(Outcome(image, rule))
            if rule.action == EXPIRE:
                outcomes.extend(_referrers_of(image, rule, referrers, may_expire))
    return outcomes


def _referrers_of(
    subject: Image, rule: Rule, referrers: dict[str, list[Image]], may_expire: Callable[[Image], bool]
) -> list[Outcome]:
    out: list[Outcome] = []
    for referrer in referrers.get(subject.digest, ()):
        if may_expire(referrer):
            out.append(Outcome(referrer, rule, subject_digest=subject.digest))
            out.extend(_referrers_of(referrer, rule, referrers, may_expire))
    return out
