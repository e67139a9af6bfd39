"""ECR layer operations: the blob half of a push and a pull (see fake_ecr/blobs.py)."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.images import references  # noqa: F401  (references registers the push/delete rules)
from fake_ecr.features.layers import blobs
from fake_ecr.features.repositories.on_demand import repository_for
from fake_ecr.model import Repository

operations = OperationTable()


def _repository(call: Call, params: dict[str, Any]) -> Repository:
    return repository_for(call, params)


@operations.serves("ecr", "InitiateLayerUpload")
def initiate_layer_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.initiate_upload(call, _repository(call, params), params)


@operations.serves("ecr", "UploadLayerPart")
def upload_layer_part(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.upload_part(call, _repository(call, params), params)


@operations.serves("ecr", "CompleteLayerUpload")
def complete_layer_upload(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.complete_upload(call, _repository(call, params), params)


@operations.serves("ecr", "BatchCheckLayerAvailability")
def batch_check_layer_availability(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.check_availability(call, _repository(call, params), params)


@operations.serves("ecr", "GetDownloadUrlForLayer")
def get_download_url_for_layer(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return blobs.download_url(call, _repository(call, params), params)
