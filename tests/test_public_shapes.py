"""Every ECR Public response carries only members of its output shape, with botocore's types."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import botocore.session
from botocore.model import Shape
from helpers import png

from fake_ecr import push_image

_MODEL = botocore.session.get_session().get_service_model("ecr-public")
_TYPES = {"string": str, "boolean": bool, "integer": int, "long": int, "timestamp": datetime, "blob": bytes}


def _problems(shape: Shape, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected a dict"]
        out = []
        for name, item in value.items():
            if name == "ResponseMetadata" and not path:
                continue
            member = shape.members.get(name)  # type: ignore[attr-defined]
            if member is None:
                out.append(f"{path}.{name}: not in the model")
            else:
                out.extend(_problems(member, item, f"{path}.{name}"))
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        return [p for i, item in enumerate(value) for p in _problems(shape.member, item, f"{path}[{i}]")]  # type: ignore[attr-defined]
    expected = _TYPES.get(kind)
    if expected is not None and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
        return [f"{path}: expected {kind}, got {type(value).__name__}"]
    if kind == "timestamp" and value.tzinfo is None:
        return [f"{path}: naive datetime"]
    return []


def test_every_response_matches_its_output_shape(ecr_public_client, fake_ecr):
    client = ecr_public_client
    client.describe_registries()
    client.create_repository(
        repositoryName="app",
        catalogData={
            "description": "d",
            "architectures": ["ARM"],
            "operatingSystems": ["Linux"],
            "logoImageBlob": png(),
            "aboutText": "a",
            "usageText": "u",
        },
        tags=[{"Key": "k", "Value": "v"}],
    )
    arn = client.describe_repositories()["repositories"][0]["repositoryArn"]
    client.describe_registries()
    client.put_registry_catalog_data(displayName="n")
    client.get_registry_catalog_data()
    client.get_repository_catalog_data(repositoryName="app")
    client.put_repository_catalog_data(repositoryName="app", catalogData={"description": "e"})
    client.tag_resource(resourceArn=arn, tags=[{"Key": "x", "Value": "y"}])
    client.list_tags_for_resource(resourceArn=arn)
    client.untag_resource(resourceArn=arn, tagKeys=["x"])
    policy = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr-public:*"}]}
    client.set_repository_policy(repositoryName="app", policyText=json.dumps(policy))
    client.get_repository_policy(repositoryName="app")
    client.delete_repository_policy(repositoryName="app")
    client.get_authorization_token()
    digest = push_image(client, "app", "v1")
    client.describe_images(repositoryName="app")
    client.describe_image_tags(repositoryName="app")
    client.batch_delete_image(repositoryName="app", imageIds=[{"imageDigest": digest}, {"imageTag": "none"}])
    client.describe_repositories(maxResults=1)
    client.delete_repository(repositoryName="app", force=True)

    seen = set()
    for call in fake_ecr.calls:
        assert call.service == "ecr-public"
        seen.add(call.operation)
        shape = _MODEL.operation_model(call.operation).output_shape
        assert _problems(shape, call.response, "") == [], call.operation
    assert len(seen) == 23
