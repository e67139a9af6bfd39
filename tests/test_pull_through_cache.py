"""Pull through cache: the five rule operations, and what a pull under a rule's prefix does."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

import fake_ecr as fake_ecr_module

HUB = "registry-1.docker.io"
OTHER_ECR = "111122223333.dkr.ecr.us-west-2.amazonaws.com"
ROLE = "arn:aws:iam::123456789012:role/ptc"
MAX_RULES = 50  # pull through cache rules per registry (ECR's quota)


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


@pytest.fixture
def hub_secret(fake_ecr: Any) -> str:
    return str(fake_ecr.secrets.add("ecr-pullthroughcache/docker-hub"))


@pytest.fixture
def hub_rule(ecr_client: Any, hub_secret: str) -> dict[str, Any]:
    return dict(
        ecr_client.create_pull_through_cache_rule(
            ecrRepositoryPrefix="docker-hub", upstreamRegistryUrl=HUB, credentialArn=hub_secret
        )
    )


# -- CreatePullThroughCacheRule -----------------------------------------------------------------------


def test_create_for_an_upstream_without_authentication(ecr_client, fake_ecr):
    fake_ecr.clock.freeze()
    rule = ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws"
    )
    assert rule["ecrRepositoryPrefix"] == "ecr-public"
    assert rule["upstreamRegistryUrl"] == "public.ecr.aws"
    assert rule["upstreamRegistry"] == "ecr-public"
    assert rule["registryId"] == fake_ecr.account_id
    assert rule["createdAt"] == fake_ecr.clock.now()
    assert "credentialArn" not in rule and "customRoleArn" not in rule


@pytest.mark.parametrize("url,kind", [("quay.io", "quay"), ("registry.k8s.io", "k8s")])
def test_upstream_registry_is_derived_from_the_url(ecr_client, url, kind):
    rule = ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="cache", upstreamRegistryUrl=url, upstreamRegistry=kind
    )
    assert rule["upstreamRegistry"] == kind


@pytest.mark.parametrize(
    "url,kind",
    [
        (HUB, "docker-hub"),
        ("ghcr.io", "github-container-registry"),
        ("registry.gitlab.com", "gitlab-container-registry"),
        ("myregistry.azurecr.io", "azure-container-registry"),
        ("cgr.dev", "chainguard"),
    ],
)
def test_authenticated_upstreams_take_a_secret(ecr_client, hub_secret, url, kind):
    rule = ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="cache", upstreamRegistryUrl=url, credentialArn=hub_secret
    )
    assert rule["upstreamRegistry"] == kind
    assert rule["credentialArn"] == hub_secret
    with pytest.raises(ClientError) as excinfo:
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="nocreds", upstreamRegistryUrl=url)
    assert error_code(excinfo) == "UnsupportedUpstreamRegistryException"


def test_ecr_upstream_with_role_and_upstream_prefix(ecr_client):
    rule = ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror",
        upstreamRegistryUrl=OTHER_ECR,
        upstreamRegistry="ecr",
        customRoleArn=ROLE,
        upstreamRepositoryPrefix="team",
    )
    assert (rule["upstreamRegistry"], rule["customRoleArn"], rule["upstreamRepositoryPrefix"]) == ("ecr", ROLE, "team")


@pytest.mark.parametrize(
    "params",
    [
        {"upstreamRegistryUrl": OTHER_ECR},  # another account needs a role
        {"upstreamRegistryUrl": OTHER_ECR, "customRoleArn": "arn:aws:iam::111122223333:role/x"},  # not ours
        {"upstreamRegistryUrl": "123456789012.dkr.ecr.us-east-1.amazonaws.com"},  # the registry itself
        {"upstreamRegistryUrl": "public.ecr.aws", "customRoleArn": ROLE},
        {"upstreamRegistryUrl": "public.ecr.aws", "upstreamRepositoryPrefix": "team"},
        {
            "upstreamRegistryUrl": "public.ecr.aws",
            "credentialArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/x",
        },
        {"upstreamRegistryUrl": "quay.io", "upstreamRegistry": "k8s"},
    ],
)
def test_invalid_combinations_are_invalid_parameters(ecr_client, params):
    with pytest.raises(ClientError) as excinfo:
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", **params)
    assert error_code(excinfo) == "InvalidParameterException"


def test_unsupported_upstream(ecr_client):
    with pytest.raises(ecr_client.exceptions.UnsupportedUpstreamRegistryException):
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl="gcr.io")


@pytest.mark.parametrize("url", [HUB, "ghcr.io", "registry.gitlab.com", "cgr.dev", "team.azurecr.io"])
def test_upstream_that_needs_a_secret_without_credential_arn(ecr_client, url):
    # The upstreams that "require authentication with Amazon Secrets Manager secret" (user guide,
    # https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html). Code and text of a
    # real CreatePullThroughCacheRule for registry-1.docker.io without credentialArn:
    # https://github.com/aws-controllers-k8s/community/issues/2589
    with pytest.raises(ClientError) as excinfo:
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="cache", upstreamRegistryUrl=url)
    assert excinfo.value.response["Error"] == {
        "Code": "UnsupportedUpstreamRegistryException",
        "Message": "The specified upstream registry requires authentication. Specify a valid Secrets Manager ARN",
    }
    assert ecr_client.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []


def test_duplicate_prefix(ecr_client, hub_rule):
    for prefix in ("docker-hub", "docker-hub/"):
        with pytest.raises(ecr_client.exceptions.PullThroughCacheRuleAlreadyExistsException):
            ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix=prefix, upstreamRegistryUrl="quay.io")


def test_limit_of_fifty_rules(ecr_client):
    for i in range(MAX_RULES):
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix=f"quay{i}", upstreamRegistryUrl="quay.io")
    with pytest.raises(ecr_client.exceptions.LimitExceededException):
        ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="one-more", upstreamRegistryUrl="quay.io")


def test_secret_errors(ecr_client, fake_ecr):
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/missing"
    denied = fake_ecr.secrets.add("ecr-pullthroughcache/denied", problem="access_denied")
    sealed = fake_ecr.secrets.add("ecr-pullthroughcache/sealed", problem="undecryptable")
    elsewhere = fake_ecr.secrets.add("ecr-pullthroughcache/elsewhere", region="eu-west-1")
    expected = [
        (missing, "SecretNotFoundException"),
        (elsewhere, "SecretNotFoundException"),
        (denied, "UnableToAccessSecretException"),
        (sealed, "UnableToDecryptSecretValueException"),
    ]
    for arn, code in expected:
        with pytest.raises(ClientError) as excinfo:
            ecr_client.create_pull_through_cache_rule(
                ecrRepositoryPrefix="hub", upstreamRegistryUrl=HUB, credentialArn=arn
            )
        assert error_code(excinfo) == code
    assert ecr_client.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []


def test_secret_arn_without_suffix_is_accepted(ecr_client, fake_ecr):
    fake_ecr.secrets.add("ecr-pullthroughcache/hub")
    partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub"
    rule = ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="hub", upstreamRegistryUrl=HUB, credentialArn=partial
    )
    assert rule["credentialArn"] == partial


# -- Describe / Update / Delete / Validate ---------------------------------------------------------------


def test_describe_all_by_prefix_and_paginated(ecr_client, hub_rule):
    for prefix in ("quay", "k8s"):
        ecr_client.create_pull_through_cache_rule(
            ecrRepositoryPrefix=prefix, upstreamRegistryUrl=f"{prefix}.io" if prefix == "quay" else "registry.k8s.io"
        )
    rules = ecr_client.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert [r["ecrRepositoryPrefix"] for r in rules] == ["docker-hub", "quay", "k8s"]
    assert rules[0]["updatedAt"] == rules[0]["createdAt"]
    assert rules[0]["upstreamRegistry"] == "docker-hub"
    chosen = ecr_client.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["k8s", "docker-hub"])
    assert [r["ecrRepositoryPrefix"] for r in chosen["pullThroughCacheRules"]] == ["k8s", "docker-hub"]
    with pytest.raises(ecr_client.exceptions.PullThroughCacheRuleNotFoundException):
        ecr_client.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["nope"])
    first = ecr_client.describe_pull_through_cache_rules(maxResults=2)
    rest = ecr_client.describe_pull_through_cache_rules(maxResults=2, nextToken=first["nextToken"])
    assert [r["ecrRepositoryPrefix"] for r in rest["pullThroughCacheRules"]] == ["k8s"]
    pages = ecr_client.get_paginator("describe_pull_through_cache_rules").paginate(PaginationConfig={"PageSize": 1})
    assert len([r for p in pages for r in p["pullThroughCacheRules"]]) == 3


def test_describe_by_prefix_refuses_paging(ecr_client, hub_rule):
    with pytest.raises(ClientError) as excinfo:
        ecr_client.describe_pull_through_cache_rules(ecrRepositoryPrefixes=["docker-hub"], maxResults=1)
    assert error_code(excinfo) == "InvalidParameterException"


def test_update_credentials(ecr_client, fake_ecr, hub_rule):
    fake_ecr.clock.advance(30)
    new_secret = fake_ecr.secrets.add("ecr-pullthroughcache/rotated")
    updated = ecr_client.update_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", credentialArn=new_secret)
    assert updated["credentialArn"] == new_secret
    assert updated["updatedAt"] > hub_rule["createdAt"]
    described = ecr_client.describe_pull_through_cache_rules()["pullThroughCacheRules"][0]
    assert described["credentialArn"] == new_secret and described["updatedAt"] == updated["updatedAt"]


def test_update_errors(ecr_client, fake_ecr, hub_rule):
    with pytest.raises(ecr_client.exceptions.PullThroughCacheRuleNotFoundException):
        ecr_client.update_pull_through_cache_rule(ecrRepositoryPrefix="nope", customRoleArn=ROLE)
    with pytest.raises(ecr_client.exceptions.SecretNotFoundException):
        ecr_client.update_pull_through_cache_rule(
            ecrRepositoryPrefix="docker-hub",
            credentialArn="arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/gone",
        )
    denied = fake_ecr.secrets.add("ecr-pullthroughcache/denied", problem="access_denied")
    with pytest.raises(ecr_client.exceptions.UnableToAccessSecretException):
        ecr_client.update_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", credentialArn=denied)
    sealed = fake_ecr.secrets.add("ecr-pullthroughcache/sealed", problem="undecryptable")
    with pytest.raises(ecr_client.exceptions.UnableToDecryptSecretValueException):
        ecr_client.update_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", credentialArn=sealed)
    for params in ({}, {"customRoleArn": ROLE}):
        with pytest.raises(ClientError) as excinfo:
            ecr_client.update_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub", **params)
        assert error_code(excinfo) == "InvalidParameterException"


def test_delete_returns_the_rule(ecr_client, hub_rule, hub_secret):
    deleted = ecr_client.delete_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")
    assert (deleted["ecrRepositoryPrefix"], deleted["credentialArn"]) == ("docker-hub", hub_secret)
    assert deleted["createdAt"] == hub_rule["createdAt"]
    assert ecr_client.describe_pull_through_cache_rules()["pullThroughCacheRules"] == []
    with pytest.raises(ecr_client.exceptions.PullThroughCacheRuleNotFoundException):
        ecr_client.delete_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")


def test_validate(ecr_client, fake_ecr, hub_rule):
    valid = ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")
    assert valid["isValid"] is True and "failure" not in valid
    assert valid["upstreamRegistryUrl"] == HUB
    fake_ecr.secrets.add("ecr-pullthroughcache/docker-hub", problem="bad_credentials")
    invalid = ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")
    assert invalid["isValid"] is False and "authentication" in invalid["failure"]
    fake_ecr.secrets.remove("ecr-pullthroughcache/docker-hub")
    gone = ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="docker-hub")
    assert gone["isValid"] is False and "could not be found" in gone["failure"]
    with pytest.raises(ecr_client.exceptions.PullThroughCacheRuleNotFoundException):
        ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="nope")


def test_validate_reports_a_failing_upstream(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    fake_ecr.upstream("quay").failure = "UpstreamUnavailable"
    answer = ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="quay")
    assert answer["isValid"] is False and "quay.io" in answer["failure"]
    fake_ecr.upstream("quay").failure = None
    assert ecr_client.validate_pull_through_cache_rule(ecrRepositoryPrefix="quay")["isValid"] is True


# -- pulling through the cache --------------------------------------------------------------------------


def test_first_pull_creates_the_repository_and_caches_the_image(ecr_client, fake_ecr, hub_rule):
    digest = fake_ecr.upstream("docker-hub").push_image("library/nginx", "latest", layers=[b"layer-bytes"])
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.describe_repositories(repositoryNames=["docker-hub/library/nginx"])
    answer = ecr_client.batch_get_image(repositoryName="docker-hub/library/nginx", imageIds=[{"imageTag": "latest"}])
    assert answer["failures"] == []
    assert answer["images"][0]["imageId"] == {"imageDigest": digest, "imageTag": "latest"}
    manifest = json.loads(answer["images"][0]["imageManifest"])
    url = ecr_client.get_download_url_for_layer(
        repositoryName="docker-hub/library/nginx", layerDigest=manifest["layers"][0]["digest"]
    )["downloadUrl"]
    assert fake_ecr.download(url) == b"layer-bytes"
    listed = ecr_client.list_images(repositoryName="docker-hub/library/nginx")["imageIds"]
    assert listed == [{"imageDigest": digest, "imageTag": "latest"}]


def test_later_pulls_cache_new_tags_and_report_missing_ones(ecr_client, fake_ecr, hub_rule):
    hub = fake_ecr.upstream("docker-hub")
    hub.push_image("library/redis", "7")
    ecr_client.batch_get_image(repositoryName="docker-hub/library/redis", imageIds=[{"imageTag": "7"}])
    newer = hub.push_image("library/redis", "8")
    answer = ecr_client.batch_get_image(
        repositoryName="docker-hub/library/redis", imageIds=[{"imageTag": "8"}, {"imageTag": "missing"}]
    )
    assert [i["imageId"]["imageDigest"] for i in answer["images"]] == [newer]
    assert answer["failures"][0]["failureCode"] == "ImageNotFound"


def test_multi_platform_images_are_cached_with_their_children(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    index = fake_ecr.upstream("quay.io").push_image("coreos/etcd", "v3", media_type="oci-index")
    ecr_client.batch_get_image(repositoryName="quay/coreos/etcd", imageIds=[{"imageDigest": index}])
    details = ecr_client.describe_images(repositoryName="quay/coreos/etcd")["imageDetails"]
    assert len(details) == 3  # the index and its two platform images


def test_an_image_missing_upstream_creates_nothing(ecr_client, hub_rule):
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.batch_get_image(repositoryName="docker-hub/library/none", imageIds=[{"imageTag": "latest"}])


def test_pull_uses_the_pull_through_cache_template(ecr_client, fake_ecr, hub_rule):
    ecr_client.create_repository_creation_template(
        prefix="docker-hub",
        appliedFor=["PULL_THROUGH_CACHE"],
        imageTagMutability="IMMUTABLE",
        resourceTags=[{"Key": "source", "Value": "hub"}],
    )
    fake_ecr.upstream("docker-hub").push_image("library/alpine", "3")
    ecr_client.batch_get_image(repositoryName="docker-hub/library/alpine", imageIds=[{"imageTag": "3"}])
    repo = ecr_client.describe_repositories(repositoryNames=["docker-hub/library/alpine"])["repositories"][0]
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert ecr_client.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"] == [
        {"Key": "source", "Value": "hub"}
    ]


def test_pull_fails_when_ecr_cannot_use_the_secret(ecr_client, fake_ecr, hub_rule):
    fake_ecr.upstream("docker-hub").push_image("library/nginx", "latest")
    for problem in ("access_denied", "undecryptable"):
        fake_ecr.secrets.add("ecr-pullthroughcache/docker-hub", problem=problem)
        with pytest.raises(ecr_client.exceptions.UnableToGetUpstreamImageException):
            ecr_client.batch_get_image(repositoryName="docker-hub/library/nginx", imageIds=[{"imageTag": "latest"}])
    fake_ecr.secrets.remove("ecr-pullthroughcache/docker-hub")
    with pytest.raises(ecr_client.exceptions.UnableToGetUpstreamImageException):
        ecr_client.batch_get_image(repositoryName="docker-hub/library/nginx", imageIds=[{"imageTag": "latest"}])


def test_rejected_credentials_are_upstream_access_denied(ecr_client, fake_ecr, hub_rule):
    hub = fake_ecr.upstream("docker-hub")
    hub.push_image("library/nginx", "1")
    hub.push_image("library/nginx", "2")
    name = "docker-hub/library/nginx"
    ecr_client.batch_get_image(repositoryName=name, imageIds=[{"imageTag": "1"}])
    fake_ecr.secrets.add("ecr-pullthroughcache/docker-hub", problem="bad_credentials")
    answer = ecr_client.batch_get_image(repositoryName=name, imageIds=[{"imageTag": "1"}, {"imageTag": "2"}])
    assert len(answer["images"]) == 1  # the cached one
    assert answer["failures"][0]["imageId"] == {"imageTag": "2"}
    assert answer["failures"][0]["failureCode"] == "UpstreamAccessDenied"
    with pytest.raises(ecr_client.exceptions.UnableToGetUpstreamImageException):
        ecr_client.batch_get_image(repositoryName="docker-hub/library/redis", imageIds=[{"imageTag": "1"}])


@pytest.mark.parametrize("code", ["UpstreamUnavailable", "UpstreamTooManyRequests", "UpstreamAccessDenied"])
def test_failing_upstream_is_reported_per_image_and_cached_images_are_served(ecr_client, fake_ecr, code):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io")
    k8s = fake_ecr.upstream("k8s")
    k8s.push_image("pause", "3.9")
    k8s.push_image("pause", "3.10")
    ecr_client.batch_get_image(repositoryName="k8s/pause", imageIds=[{"imageTag": "3.9"}])
    k8s.failure = code
    answer = ecr_client.batch_get_image(
        repositoryName="k8s/pause", imageIds=[{"imageTag": "3.9"}, {"imageTag": "3.10"}]
    )
    assert [i["imageId"]["imageTag"] for i in answer["images"]] == ["3.9"]
    assert [(f["imageId"], f["failureCode"]) for f in answer["failures"]] == [({"imageTag": "3.10"}, code)]
    assert "registry.k8s.io" in answer["failures"][0]["failureReason"]
    with pytest.raises(ecr_client.exceptions.UnableToGetUpstreamImageException):
        ecr_client.batch_get_image(repositoryName="k8s/coredns", imageIds=[{"imageTag": "1"}])


def test_upstream_failure_must_be_a_failure_code(fake_ecr):
    with pytest.raises(ValueError):
        fake_ecr.upstream("quay").failure = "Broken"


def test_ecr_to_ecr_reads_the_upstream_registry(ecr_client, fake_ecr):
    upstream = fake_ecr.client(region="us-west-2")
    upstream.create_repository(repositoryName="team/api")
    digest = fake_ecr_module.push_image(upstream, "team/api", "v1")
    ecr_client.create_pull_through_cache_rule(
        ecrRepositoryPrefix="mirror",
        upstreamRegistryUrl="123456789012.dkr.ecr.us-west-2.amazonaws.com",
        upstreamRepositoryPrefix="team",
    )
    answer = ecr_client.batch_get_image(repositoryName="mirror/api", imageIds=[{"imageTag": "v1"}])
    assert answer["images"][0]["imageId"]["imageDigest"] == digest


def test_longest_rule_prefix_wins(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="ROOT", upstreamRegistryUrl="quay.io")
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="k8s", upstreamRegistryUrl="registry.k8s.io")
    fake_ecr.upstream("quay").push_image("k8s/pause", "1")
    k8s_digest = fake_ecr.upstream("k8s").push_image("pause", "1")
    answer = ecr_client.batch_get_image(repositoryName="k8s/pause", imageIds=[{"imageTag": "1"}])
    assert answer["images"][0]["imageId"]["imageDigest"] == k8s_digest


def test_upstream_controller_rejects_unknown_names(fake_ecr):
    for name in ("gcr.io", "azure-container-registry", "ecr"):
        with pytest.raises(ValueError):
            fake_ecr.upstream(name)
    assert fake_ecr.upstream("myreg.azurecr.io").url == "myreg.azurecr.io"


def test_an_untagged_upstream_image_is_not_found_by_tag(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="ecr-public", upstreamRegistryUrl="public.ecr.aws")
    public = fake_ecr.upstream("public.ecr.aws")
    digest = public.push_image("docker/library/busybox", "old")
    public.delete_image("docker/library/busybox", "old")
    name = "ecr-public/docker/library/busybox"
    with pytest.raises(ecr_client.exceptions.RepositoryNotFoundException):
        ecr_client.batch_get_image(repositoryName=name, imageIds=[{"imageTag": "old"}])
    by_digest = ecr_client.batch_get_image(repositoryName=name, imageIds=[{"imageDigest": digest}])
    assert by_digest["images"][0]["imageId"] == {"imageDigest": digest}


def test_a_cached_tag_follows_the_upstream_once_a_day(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    quay = fake_ecr.upstream("quay")
    first = quay.push_image("org/app", "latest")

    def pulled() -> str:
        answer = ecr_client.batch_get_image(repositoryName="quay/org/app", imageIds=[{"imageTag": "latest"}])
        return str(answer["images"][0]["imageId"]["imageDigest"])

    assert pulled() == first
    second = quay.push_image("org/app", "latest")
    fake_ecr.clock.advance(hours=23)
    assert pulled() == first  # checked less than 24 hours ago
    fake_ecr.clock.advance(hours=1)
    assert pulled() == second
    quay.failure = "UpstreamUnavailable"
    quay.push_image("org/app", "latest")
    fake_ecr.clock.advance(hours=24)
    assert pulled() == second  # the cached image is served while the upstream fails


def test_an_immutable_cached_tag_keeps_its_image(ecr_client, fake_ecr):
    ecr_client.create_pull_through_cache_rule(ecrRepositoryPrefix="quay", upstreamRegistryUrl="quay.io")
    ecr_client.create_repository_creation_template(
        prefix="quay", appliedFor=["PULL_THROUGH_CACHE"], imageTagMutability="IMMUTABLE"
    )
    quay = fake_ecr.upstream("quay")
    first = quay.push_image("org/app", "v1")
    ecr_client.batch_get_image(repositoryName="quay/org/app", imageIds=[{"imageTag": "v1"}])
    quay.push_image("org/app", "v1")
    fake_ecr.clock.advance(days=2)
    answer = ecr_client.batch_get_image(repositoryName="quay/org/app", imageIds=[{"imageTag": "v1"}])
    assert answer["images"][0]["imageId"]["imageDigest"] == first
