"""ListImageReferrers: the OCI 1.1 referrers of an image (manifests whose ``subject`` it is)."""

from __future__ import annotations

from typing import Any

from .. import archive, pagination, references
from .._dispatch import Call
from ..errors import invalid_parameter
from ..json_text import parse_json
from ..manifests import IMAGE_ID_DIGEST
from ..state import Image
from . import operation


def _referrer(call: Call, image: Image) -> dict[str, Any]:
    view: dict[str, Any] = {
        "digest": image.digest,
        "mediaType": image.manifest_media_type,
        "size": len(image.manifest.encode("utf-8")),
        "artifactStatus": archive.status(image, call.now),
    }
    # OCI: a manifest without artifactType is typed by its config media type.
    if image.artifact_media_type:
        view["artifactType"] = image.artifact_media_type
    annotations = parse_json(image.manifest).get("annotations")
    if isinstance(annotations, dict) and annotations:
        view["annotations"] = {str(k): str(v) for k, v in annotations.items()}
    return view


def _keep(call: Call, image: Image, artifact_types: Any, wanted_status: Any) -> bool:
    if artifact_types and image.artifact_media_type not in artifact_types:
        return False
    if wanted_status == "ANY":
        return True
    return archive.matches(image, call.now, wanted_status)


@operation("ecr", "ListImageReferrers")
def list_image_referrers(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = call.registry(params.get("registryId")).repository(params["repositoryName"])
    subject = params["subjectId"]["imageDigest"]
    if not IMAGE_ID_DIGEST.fullmatch(subject):
        raise invalid_parameter("subjectId.imageDigest", "Invalid image digest")
    filters = params.get("filter") or {}
    artifact_types, wanted_status = filters.get("artifactTypes"), filters.get("artifactStatus")
    scope = (
        f"ListImageReferrers:{repo.registry_id}:{call.region}:{repo.name}:{subject}:"
        f"{sorted(artifact_types or [])}:{wanted_status}"
    )
    start, _ = pagination.decode(params.get("nextToken"), scope)
    limit = pagination.page_size(params, default=50)
    page: list[dict[str, Any]] = []
    for image in references.referrers(repo, subject):
        if image.seq < start or not _keep(call, image, artifact_types, wanted_status):
            continue
        if len(page) == limit:
            return {"referrers": page, "nextToken": pagination.encode(scope, image.seq)}
        page.append(_referrer(call, image))
    return {"referrers": page}
