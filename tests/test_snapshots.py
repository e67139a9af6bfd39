"""Saving a fake's state as JSON and loading it into another fake."""

from __future__ import annotations

import json

import pytest

from fake_ecr import FakeECR, FakeECRError, push_image

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Pull",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": ["ecr:BatchGetImage"],
            }
        ],
    }
)
LIFECYCLE = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1},
                "action": {"type": "expire"},
            }
        ]
    }
)


def _seed(fake: FakeECR) -> dict[str, str]:
    ecr = fake.client()
    ecr.create_repository(
        repositoryName="team/app", imageTagMutability="IMMUTABLE", tags=[{"Key": "team", "Value": "blue"}]
    )
    ecr.set_repository_policy(repositoryName="team/app", policyText=POLICY)
    ecr.put_lifecycle_policy(repositoryName="team/app", lifecyclePolicyText=LIFECYCLE)
    first = push_image(ecr, "team/app", "v1")
    fake.clock.advance(hours=1)
    index = push_image(ecr, "team/app", "multi", platforms=["linux/amd64", "linux/arm64"])
    ecr.put_image(
        repositoryName="team/app",
        imageTag="stable",
        imageManifest=ecr.batch_get_image(repositoryName="team/app", imageIds=[{"imageTag": "v1"}])["images"][0][
            "imageManifest"
        ],
    )
    fake.client(region="eu-west-1").create_repository(repositoryName="elsewhere")
    return {"first": first, "index": index}


def _images(fake: FakeECR) -> list[tuple[str, tuple[str, ...], int, object]]:
    ecr = fake.client()
    details = ecr.describe_images(repositoryName="team/app")["imageDetails"]
    return sorted(
        (d["imageDigest"], tuple(sorted(d.get("imageTags", []))), d["imageSizeInBytes"], d["imagePushedAt"])
        for d in details
    )


def test_a_saved_state_loads_into_another_fake_with_everything_a_test_seeded(tmp_path):
    path = tmp_path / "state.json"
    with FakeECR() as source:
        digests = _seed(source)
        expected = _images(source)
        repo = source.client().describe_repositories(repositoryNames=["team/app"])["repositories"][0]
        source.save_state(path)
    with FakeECR() as target:
        target.load_state(path)
        assert target.calls == []  # loading is not something the test's code did
        ecr = target.client()
        assert _images(target) == expected
        loaded = ecr.describe_repositories(repositoryNames=["team/app"])["repositories"][0]
        assert loaded == repo  # ARN, URI, createdAt, mutability, encryption
        assert ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"] == [
            {"Key": "team", "Value": "blue"}
        ]
        assert json.loads(ecr.get_repository_policy(repositoryName="team/app")["policyText"]) == json.loads(POLICY)
        lifecycle = ecr.get_lifecycle_policy(repositoryName="team/app")["lifecyclePolicyText"]
        assert json.loads(lifecycle) == json.loads(LIFECYCLE)
        layer = json.loads(
            ecr.batch_get_image(repositoryName="team/app", imageIds=[{"imageDigest": digests["first"]}])["images"][0][
                "imageManifest"
            ]
        )["layers"][0]["digest"]
        url = ecr.get_download_url_for_layer(repositoryName="team/app", layerDigest=layer)["downloadUrl"]
        assert target.download(url)  # the layer's bytes came along
        with pytest.raises(ecr.exceptions.ImageTagAlreadyExistsException):  # still immutable
            push_image(ecr, "team/app", "v1", layers=[b"other"])
        assert target.client(region="eu-west-1").describe_repositories()["repositories"][0]["repositoryName"] == (
            "elsewhere"
        )


def test_state_a_snapshot_does_not_cover_is_refused_by_name():
    with FakeECR() as fake:
        fake.client().create_pull_through_cache_rule(ecrRepositoryPrefix="hub", upstreamRegistryUrl="public.ecr.aws")
        with pytest.raises(FakeECRError, match="PullThroughCacheRules"):
            fake.save_state()


def test_loading_something_that_is_not_a_snapshot_is_refused():
    with FakeECR() as fake, pytest.raises(FakeECRError, match="not a fake_ecr snapshot"):
        fake.load_state({"registries": []})
