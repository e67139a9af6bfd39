"""Extension points where one feature reacts to another without either editing the other.

A feature module appends a function to a list here at import time (handler modules are imported
automatically). Examples: scan-on-push reacts to ``image_pushed``; scanning adds
``imageScanStatus`` to DescribeImages through ``image_detail``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from fake_ecr.core.serving import Call
    from fake_ecr.model import Image, Registry, Repository

# Called after PutImage stored a new image or moved a tag: (call, repository, image, tag).
image_pushed: list[Callable[["Call", "Repository", "Image", Any], None]] = []

# Called for each ImageDetail that DescribeImages returns, to add members: (call, repo, image, detail).
image_detail: list[Callable[["Call", "Repository", "Image", dict[str, Any]], None]] = []

# Called before PutImage stores a new manifest, to refuse it (e.g. missing layers):
# (call, repository, manifest info). Raise ServiceError to refuse.
before_store: list[Callable[["Call", "Repository", Any], None]] = []

# Called before an image is deleted (BatchDeleteImage, lifecycle expiry); return a failure code
# (e.g. "ImageReferencedByManifestList") to refuse: (call, repository, image) -> Optional[str].
before_delete: list[Callable[["Call", "Repository", "Image"], Any]] = []

# Called after BatchDeleteImage or lifecycle expiry removed tags or a whole image (e.g. to
# replicate deletions): (call, repository, image, removed tags, whether the image was deleted).
image_removed: list[Callable[["Call", "Repository", "Image", list[str], bool], None]] = []

# Called before every handler, to refuse the call as a whole (e.g. a Region the service is not
# in): (call, request url). Raise ServiceError for an AWS error response, or a botocore
# exception for what the client itself would raise (e.g. EndpointConnectionError).
before_serve: list[Callable[["Call", str], None]] = []

# Called once when PutImage stores a new manifest (not on a re-tag), with what was read from it:
# (call, repository, image, manifests.ManifestInfo). Index what the manifest references here.
image_stored: list[Callable[["Call", "Repository", "Image", Any], None]] = []

# Called when a pull (BatchGetImage) would update lastRecordedPullTime; return True to leave it
# unchanged (pull-time update exclusions): (call, repository, image) -> bool.
pull_time_unchanged: list[Callable[["Call", "Repository", "Image"], bool]] = []

# Called by image and layer operations before they look up their repository, so that features
# which create repositories or images on demand can act first (pull through cache, create on
# push): (call, registry, repository name, params). Raise ServiceError to refuse the call.
before_repository_lookup: list[Callable[["Call", "Registry", str, dict[str, Any]], None]] = []

# Called when BatchGetImage finds no image for an identifier, to report a more specific failure
# than ImageNotFound (pull through cache: the upstream failed): (call, repository, image id) ->
# Optional[ImageFailure dict].
missing_image_failure: list[Callable[["Call", "Repository", dict[str, Any]], Any]] = []
