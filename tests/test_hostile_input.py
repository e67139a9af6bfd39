"""Hostile input gets AWS's modeled answer, never a Python exception from inside the fake.

Error texts:
- repository policy: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository
  policy provided'" (https://github.com/kislyuk/aegea/issues/16);
- registry policy: "... 'Invalid registry policy provided'" (https://github.com/pulumi/pulumi-aws/issues/2326);
- lifecycle policy: "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle
  policy validation failure: ...'" (https://github.com/cloudposse/terraform-aws-ecr/issues/158);
- manifest: "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"
  (https://github.com/aws/aws-cli/issues/8620, https://github.com/boto/boto3/issues/3295).
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

# Internal on purpose: test_parse_json_limits is a unit test of the JSON parser itself.
from fake_ecr.aws.json_text import MAX_DEPTH, JSONTextError, parse_json

# About 1,000 levels: 2,000 characters, far below the 10,240-character policy limit.
DEEP_ARRAY = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
DEEP = pytest.mark.parametrize("document", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])

REPOSITORY_POLICY = (
    "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'"
)
REGISTRY_POLICY = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'"
MANIFEST = "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax'"
LIFECYCLE = (
    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure:"
)


def _error(err: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return err.value.response["Error"]["Code"], err.value.response["Error"]["Message"]


@DEEP
def test_deep_repository_policy(ecr_client, ecr_public_client, repo, document):
    with pytest.raises(ClientError) as err:
        ecr_client.set_repository_policy(repositoryName=repo, policyText=document)
    assert _error(err) == ("InvalidParameterException", REPOSITORY_POLICY)
    ecr_public_client.create_repository(repositoryName="pub")
    with pytest.raises(ClientError) as err:
        ecr_public_client.set_repository_policy(repositoryName="pub", policyText=document)
    assert _error(err) == ("InvalidParameterException", REPOSITORY_POLICY)


@DEEP
def test_deep_registry_policy(ecr_client, document):
    with pytest.raises(ClientError) as err:
        ecr_client.put_registry_policy(policyText=document)
    assert _error(err) == ("InvalidParameterException", REGISTRY_POLICY)


@DEEP
def test_deep_lifecycle_policy_and_preview(ecr_client, repo, document):
    with pytest.raises(ClientError) as err:
        ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=document)
    code, message = _error(err)
    assert code == "InvalidParameterException" and message.startswith(LIFECYCLE)
    with pytest.raises(ClientError) as err:
        ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=document)
    code, message = _error(err)
    assert code == "InvalidParameterException" and message.startswith(LIFECYCLE)
    # Nothing was stored: the repository still has no lifecycle policy.
    with pytest.raises(ClientError) as err:
        ecr_client.get_lifecycle_policy(repositoryName=repo)
    assert _error(err)[0] == "LifecyclePolicyNotFoundException"


@DEEP
def test_deep_creation_template_policies(ecr_client, document):
    for member, expected in (("repositoryPolicy", REPOSITORY_POLICY), ("lifecyclePolicy", LIFECYCLE)):
        with pytest.raises(ClientError) as err:
            ecr_client.create_repository_creation_template(
                prefix="team", appliedFor=["CREATE_ON_PUSH"], **{member: document}
            )
        code, message = _error(err)
        assert code == "InvalidParameterException" and message.startswith(expected)
    assert ecr_client.describe_repository_creation_templates()["repositoryCreationTemplates"] == []


@DEEP
def test_deep_manifest_on_both_services(ecr_client, ecr_public_client, repo, document):
    with pytest.raises(ClientError) as err:
        ecr_client.put_image(repositoryName=repo, imageManifest=document)
    assert _error(err) == ("InvalidParameterException", MANIFEST)
    ecr_public_client.create_repository(repositoryName="pub")
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName="pub", imageManifest=document)
    assert _error(err) == ("InvalidParameterException", MANIFEST)


@pytest.mark.parametrize("manifest", ["\ud800", '{"schemaVersion": 2, "mediaType": "\udfff"}', "{}\udbff"])
def test_lone_surrogate_in_manifest(ecr_client, ecr_public_client, repo, manifest):
    """A lone surrogate has no UTF-8 form, so the manifest has no digest: ECR's invalid-JSON answer."""
    with pytest.raises(ClientError) as err:
        ecr_client.put_image(repositoryName=repo, imageManifest=manifest, imageTag="t")
    assert _error(err) == ("InvalidParameterException", MANIFEST)
    ecr_public_client.create_repository(repositoryName="pub")
    with pytest.raises(ClientError) as err:
        ecr_public_client.put_image(repositoryName="pub", imageManifest=manifest)
    assert _error(err) == ("InvalidParameterException", MANIFEST)


@pytest.mark.parametrize("policy_text", ['{"Version": NaN}', '{"Version": Infinity}', '{"Version": 1e999}', "\ud800"])
def test_non_json_literals_in_policies(ecr_client, repo, policy_text):
    with pytest.raises(ClientError) as err:
        ecr_client.set_repository_policy(repositoryName=repo, policyText=policy_text)
    assert _error(err) == ("InvalidParameterException", REPOSITORY_POLICY)


def test_parse_json_limits():
    assert parse_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    # Brackets inside strings do not count as nesting.
    assert parse_json('{"a": "' + "[" * 5000 + '"}') == {"a": "[" * 5000}
    assert parse_json('{"a": 1, "a": 2}') == {"a": 2}
    assert parse_json(b'{"a": "\\u00e9"}') == {"a": "é"}
    for bad in (
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "NaN",
        "-Infinity",
        "[1e400]",
        "1" * 5000,
        b"\xff",
        "\ud800",
        "{",
        "",
    ):
        with pytest.raises(JSONTextError):
            parse_json(bad)


_MANIFEST = (
    '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
    '"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%s,'
    '"digest":"sha256:%s"},"layers":[%s]}'
)
_LAYER = '{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%s,"digest":"sha256:%s"}'


@pytest.mark.fake_ecr(require_blobs=False)
@pytest.mark.parametrize(
    "config_size, layer_size", [("9" * 400, "1"), ("9223372036854775808", "1"), ("9223372036854775807", "1")]
)
def test_sizes_beyond_int64_are_invalid_manifests(ecr_client, repo, config_size, layer_size):
    """Descriptor sizes are int64 (OCI image spec) and so is imageSizeInBytes: larger is refused,
    never returned as a number the Long shape cannot hold."""
    document = _MANIFEST % (config_size, "0" * 64, _LAYER % (layer_size, "1" * 64))
    with pytest.raises(ClientError) as err:
        ecr_client.put_image(repositoryName=repo, imageManifest=document)
    code, message = _error(err)
    assert code == "InvalidParameterException" and message.startswith(
        "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid manifest"
    )


@pytest.mark.parametrize("priority, count", [("9" * 400, "1"), ("2147483648", "1"), ("1", "2147483648")])
def test_lifecycle_numbers_beyond_int32_cannot_be_mapped(ecr_client, repo, priority, count):
    text = (
        '{"rules":[{"rulePriority":' + priority + ',"selection":{"tagStatus":"untagged","countType":'
        '"imageCountMoreThan","countNumber":' + count + '},"action":{"type":"expire"}}]}'
    )
    with pytest.raises(ClientError) as err:
        ecr_client.put_lifecycle_policy(repositoryName=repo, lifecyclePolicyText=text)
    assert _error(err) == (
        "InvalidParameterException",
        LIFECYCLE + " Could not map policyString into LifecyclePolicy.'",
    )
