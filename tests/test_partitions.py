"""ARNs and registry hosts follow the partition of the Region (China, GovCloud, ISO).

Sources: "In the Beijing and Ningxia Regions, the Amazon Resource Name (ARN) syntax includes a cn:
arn:aws-cn" (https://docs.amazonaws.cn/en_us/general/latest/gr/ARNs.html); "The URL for your default
private registry is https://aws_account_id.dkr.ecr.cn-north-1.amazonaws.com.cn"
(https://docs.amazonaws.cn/en_us/AmazonECR/latest/userguide/Registries.html). The prefix and DNS suffix
of every partition come from botocore's endpoints.json. ECR Public is not available in China
(https://docs.amazonaws.cn/en_us/aws/latest/userguide/ecr-public.html) and stays in ``aws``.
"""

from __future__ import annotations

import pytest

# Internal on purpose: the last test is a unit test of the partition table itself.
from fake_ecr.aws.partitions import arn, dns_suffix, partition, registry_host

CASES = [
    ("us-east-1", "aws", "amazonaws.com"),
    ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ("us-gov-east-1", "aws-us-gov", "amazonaws.com"),
    ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
    ("us-isob-east-1", "aws-iso-b", "sc2s.sgov.gov"),
]


@pytest.mark.parametrize("region, prefix, suffix", CASES)
def test_repository_arn_uri_and_proxy_endpoint(fake_ecr, region, prefix, suffix):
    client = fake_ecr.client("ecr", region=region)
    repository = client.create_repository(repositoryName="team/app")["repository"]
    assert repository["repositoryArn"] == f"arn:{prefix}:ecr:{region}:123456789012:repository/team/app"
    assert repository["repositoryUri"] == f"123456789012.dkr.ecr.{region}.{suffix}/team/app"
    token = client.get_authorization_token()["authorizationData"][0]
    assert token["proxyEndpoint"] == f"https://123456789012.dkr.ecr.{region}.{suffix}"
    # The ARN the fake hands out is one it accepts back.
    client.tag_resource(resourceArn=repository["repositoryArn"], tags=[{"Key": "k", "Value": "v"}])
    assert client.list_tags_for_resource(resourceArn=repository["repositoryArn"])["tags"] == [
        {"Key": "k", "Value": "v"}
    ]
    assert client.describe_repositories()["repositories"][0]["repositoryArn"] == repository["repositoryArn"]


@pytest.mark.parametrize("region, prefix, suffix", CASES)
def test_derived_arns_and_hosts(fake_ecr, region, prefix, suffix):
    client = fake_ecr.client("ecr", region=region)
    kms = client.create_repository(repositoryName="enc", encryptionConfiguration={"encryptionType": "KMS"})
    assert kms["repository"]["encryptionConfiguration"]["kmsKey"].startswith(
        f"arn:{prefix}:kms:{region}:123456789012:key/"
    )
    assert fake_ecr.secrets.add("ecr-pullthroughcache/hub", region=region).startswith(
        f"arn:{prefix}:secretsmanager:{region}:123456789012:secret:ecr-pullthroughcache/hub-"
    )
    fake_ecr.push_image("enc", "v1", region=region)
    layer = client.batch_get_image(repositoryName="enc", imageIds=[{"imageTag": "v1"}])["images"][0]
    digest = __import__("json").loads(layer["imageManifest"])["layers"][0]["digest"]
    url = client.get_download_url_for_layer(repositoryName="enc", layerDigest=digest)["downloadUrl"]
    assert url.startswith(f"https://prod-{region}-starport-layer-bucket.s3.{region}.{suffix}/")


def test_default_caller_is_the_root_of_the_fakes_partition():
    from fake_ecr import FakeECR

    assert FakeECR(region="cn-north-1").caller.arn == "arn:aws-cn:iam::123456789012:root"
    assert FakeECR(region="us-gov-west-1").caller.arn == "arn:aws-us-gov:iam::123456789012:root"
    assert FakeECR().caller.arn == "arn:aws:iam::123456789012:root"


def test_ecr_public_stays_in_the_aws_partition(fake_ecr):
    public = fake_ecr.client("ecr-public", region="us-east-1")
    repository = public.create_repository(repositoryName="app")["repository"]
    assert repository["repositoryArn"] == "arn:aws:ecr-public::123456789012:repository/app"


def test_partition_functions_read_botocores_data():
    for region, prefix, suffix in CASES:
        assert partition(region) == prefix and dns_suffix(region) == suffix
    assert registry_host("111122223333", "cn-north-1") == "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn"
    assert (
        arn("iam", "us-gov-west-1", "111122223333", "root", regional=False) == "arn:aws-us-gov:iam::111122223333:root"
    )
    # A Region botocore has never heard of, but shaped like a commercial one.
    assert partition("ap-southeast-9") == "aws" and dns_suffix("ap-southeast-9") == "amazonaws.com"


def test_pull_through_cache_from_ecr_in_china(fake_ecr):
    client = fake_ecr.client("ecr", region="cn-north-1")
    role = "arn:aws-cn:iam::123456789012:role/ptc"
    rule = client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror",
        upstreamRegistryUrl="123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn",
        customRoleArn=role,
    )
    assert rule["upstreamRegistry"] == "ecr"
