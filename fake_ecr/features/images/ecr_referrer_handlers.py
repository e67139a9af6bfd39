"""ListImageReferrers: the OCI 1.1 referrers of an image (manifests whose ``subject`` it is)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fake_ecr.core import pagination
from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import invalid_parameter
from fake_ecr.features.images import archive, references
from fake_ecr.model import Image
from fake_ecr.model.manifests import IMAGE_ID_DIGEST

operations = OperationTable()


def _keep(call: Call, image: Image, artifact_types: Any, wanted_status: Any) -> bool:
    if artifact_types and image.artifact_media_type not in artifact_types:
        return False
    if wanted_status == "ANY":
        return True
    return archive.matches(image, call.now, wanted_status)


@operations.serves("ecr", "ListImageReferrers")
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

    def rows_from(start: int) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        for image in references.referrers(repo, subject):
            if image.seq >= start and _keep(call, image, artifact_types, wanted_status):
                yield image.seq, [references.referrer_view(call, image)]

    page, next_token = pagination.page_of_rows(rows_from, params, scope, default=50)
    return pagination.paged("referrers", page, next_token)
