"""ECR managed signing: Put/Get/DeleteSigningConfiguration and DescribeImageSigningStatus."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.images.image_ids import echo_id, require
from fake_ecr.features.signing import signatures as signing

operations = OperationTable()


@operations.serves("ecr", "PutSigningConfiguration")
def put_signing_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    config = signing.put_configuration(call.registry(), params["signingConfiguration"])
    return {"signingConfiguration": config}


@operations.serves("ecr", "GetSigningConfiguration")
def get_signing_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    config = signing.require_configuration(registry)
    return {"registryId": registry.registry_id, "signingConfiguration": dict(config)}


@operations.serves("ecr", "DeleteSigningConfiguration")
def delete_signing_configuration(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    registry = call.registry()
    return {"registryId": registry.registry_id, "signingConfiguration": signing.delete_configuration(registry)}


@operations.serves("ecr", "DescribeImageSigningStatus")
def describe_image_signing_status(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = call.registry(params.get("registryId")).repository(params["repositoryName"])
    image = require(repo, params["imageId"], repo.name, repo.registry_id)
    return {
        "repositoryName": repo.name,
        "imageId": echo_id(params["imageId"], image),
        "registryId": repo.registry_id,
        "signingStatuses": [dict(s) for s in signing.statuses_of(repo, image)],
    }
