"""ECR Public layer operations: the blob half of a push (see fake_ecr/blobs.py, shared with ECR).

ECR Public has no GetDownloadUrlForLayer (images are pulled from public.ecr.aws) and allows
1,000 layer parts per upload instead of ECR's 4,200. Parts other than the last must be at
least 5 MiB (LayerPartTooSmallException at CompleteLayerUpload), as on ECR.
"""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.images import references  # noqa: F401  (references registers the push/delete rules)
from fake_ecr.features.layers import blobs
from fake_ecr.features.public.common import SERVICE, public_repository

operations = OperationTable()

MAX_PARTS = 1000


@operations.serves(SERVICE, "InitiateLayerUpload")
def initiate_layer_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.initiate_upload(call, public_repository(call, params), params)


@operations.serves(SERVICE, "UploadLayerPart")
def upload_layer_part(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.upload_part(call, public_repository(call, params), params, max_parts=MAX_PARTS)


@operations.serves(SERVICE, "CompleteLayerUpload")
def complete_layer_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.complete_upload(call, public_repository(call, params), params)


@operations.serves(SERVICE, "BatchCheckLayerAvailability")
def batch_check_layer_availability(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.check_availability(call, public_repository(call, params), params)
