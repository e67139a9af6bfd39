"""ECR Public resource tags on repositories: TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

from typing import Any

from fake_ecr.core.call import Call
from fake_ecr.core.operations import OperationTable
from fake_ecr.features.public.common import SERVICE, repository_for_arn
from fake_ecr.features.repositories import resource_tags

operations = OperationTable()


@operations.serves(SERVICE, "TagResource")
def tag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    resource_tags.tag_resource(repo, params["tags"])
    return {}


@operations.serves(SERVICE, "UntagResource")
def untag_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    resource_tags.untag_resource(repo, params["tagKeys"])
    return {}


@operations.serves(SERVICE, "ListTagsForResource")
def list_tags_for_resource(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    repo = repository_for_arn(call, params["resourceArn"])
    return {"tags": resource_tags.as_tag_list(repo.resource_tags)}
