"""ECR resource tags on repositories: TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

import re
from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.errors import invalid_parameter
from fake_ecr.features.repositories import resource_tags
from fake_ecr.model import Repository

operations = OperationTable()

_REPOSITORY_ARN = re.compile(r"arn:aws[a-z-]*:ecr:([a-z0-9-]+):([0-9]{12}):repository/(.+)")


def repository_for_arn(call: Call, arn: str) -> Repository:
    match = _REPOSITORY_ARN.fullmatch(arn)
    if match is None or match.group(1) != call.region:
        raise invalid_parameter("resourceArn", "Invalid ARN")
    _, account_id, name = match.groups()
    return call.registry(account_id).repository(name)


@operations.serves("ecr", "TagResource")
def tag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    resource_tags.tag_resource(repo, params["tags"])
    return {}


@operations.serves("ecr", "UntagResource")
def untag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    resource_tags.untag_resource(repo, params["tagKeys"])
    return {}


@operations.serves("ecr", "ListTagsForResource")
def list_tags_for_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    return {"tags": resource_tags.as_tag_list(repo.resource_tags)}
