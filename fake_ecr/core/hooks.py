"""The extension points: where one feature reacts to another without either importing the other.

Each hook is a typed object with a kind that says how its subscribers' answers combine:

- ``Notify``: every subscriber runs; a subscriber may raise ``ServiceError`` to refuse the call.
- ``Veto``: subscribers run in order until one returns a refusal (a truthy value, such as a
  failure code); that refusal is the answer.
- ``FirstAnswer``: subscribers run in order until one returns something other than None.

Features subscribe in their ``Feature`` declaration (``fake_ecr/features/<name>/__init__.py``);
the order of subscribers is the order of ``fake_ecr.features.FEATURES``. A ``Call`` runs hooks
(``call.notify(IMAGE_PUSHED, ...)``), so every path that stores or deletes an image fires them
from one place (``fake_ecr.features.images.storing``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from fake_ecr.core.hook_kinds import FirstAnswer, Hook, Notify, Veto

if TYPE_CHECKING:
    from fake_ecr.core.call import Call
    from fake_ecr.errors import ServiceError
    from fake_ecr.model import Image, Registry, Repository
    from fake_ecr.model.manifests import ManifestInfo

BEFORE_SERVE: Notify[Callable[[Call, str], None]] = Notify(
    "before_serve",
    "Before every handler, outside the lock, with the request URL: refuse the whole call by raising "
    "ServiceError (or a botocore exception the client itself would raise), or catch up on work "
    "that is due by the call's time.",
)
AUTHORIZE: Veto[Callable[[Call, dict[str, Any]], Optional[ServiceError]]] = Veto(
    "authorize",
    "Before every handler, when the fake's access control is on, with the decoded params: return "
    "the ServiceError that refuses the call (AccessDeniedException), or None to let it run.",
)
BEFORE_REPOSITORY_LOOKUP: Notify[Callable[[Call, Registry, str, dict[str, Any]], None]] = Notify(
    "before_repository_lookup",
    "Before an image or layer operation looks up its repository (registry, name, params): create "
    "the repository on demand, or raise ServiceError.",
)
BEFORE_STORE: Notify[Callable[[Call, Repository, ManifestInfo], None]] = Notify(
    "before_store",
    "Before a new manifest is stored (repository, manifest info): raise ServiceError to refuse it.",
)
IMAGE_STORED: Notify[Callable[[Call, Repository, Image, ManifestInfo], None]] = Notify(
    "image_stored",
    "Once a new manifest is stored, not on a re-tag (repository, image, manifest info): index what it references.",
)
IMAGE_PUSHED: Notify[Callable[[Call, Repository, Image, Optional[str]], None]] = Notify(
    "image_pushed",
    "After a push stored an image or moved a tag to it (repository, image, tag or None).",
)
IMAGE_DETAILS: Notify[Callable[[Call, Repository, list[Image], list[dict[str, Any]]], None]] = Notify(
    "image_details",
    "Once per DescribeImages answer, with its images and their ImageDetails in the same order "
    "(repository, images, details): add members. Once per page, not per image, so a feature "
    "with nothing to add costs one call.",
)
BEFORE_DELETE: Veto[Callable[[Call, Repository, Image], Optional[str]]] = Veto(
    "before_delete",
    "Before an image is deleted (repository, image): return a failure code to refuse.",
)
IMAGE_REMOVED: Notify[Callable[[Call, Repository, Image, list[str], bool], None]] = Notify(
    "image_removed",
    "After tags or a whole image were removed (repository, image, removed tags, whether the image itself was deleted).",
)
KEEP_PULL_TIME: Veto[Callable[[Call, Repository, Image], bool]] = Veto(
    "keep_pull_time",
    "When a pull would update lastRecordedPullTime (repository, image): return True to leave it unchanged.",
)
MISSING_IMAGE_FAILURE: FirstAnswer[Callable[[Call, Repository, dict[str, Any]], Optional[dict[str, Any]]]] = (
    FirstAnswer(
        "missing_image_failure",
        "When a pull finds no image for an identifier (repository, image id): return a more "
        "specific ImageFailure than ImageNotFound.",
    )
)
REPOSITORY_FROM_TEMPLATE: FirstAnswer[Callable[[Call, Registry, str, str], Optional[Repository]]] = FirstAnswer(
    "repository_from_template",
    "When ECR itself creates a repository (registry, name, purpose such as REPLICATION): create "
    "it from a template and return it, or None for ECR's defaults.",
)

ALL: tuple[Hook[Any], ...] = (
    BEFORE_SERVE,
    AUTHORIZE,
    BEFORE_REPOSITORY_LOOKUP,
    BEFORE_STORE,
    IMAGE_STORED,
    IMAGE_PUSHED,
    IMAGE_DETAILS,
    BEFORE_DELETE,
    IMAGE_REMOVED,
    KEEP_PULL_TIME,
    MISSING_IMAGE_FAILURE,
    REPOSITORY_FROM_TEMPLATE,
)
