"""fake_ecr.strategies: every valid value is accepted by the fake and every invalid one refused."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_ecr import FakeECR, strategies

pytestmark = pytest.mark.slow

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REFUSED = (ClientError, ParamValidationError)


@pytest.fixture(scope="module")
def fake():
    # One fake for the module; each example works in repositories of its own or resets it.
    with FakeECR() as fake:
        yield fake


@pytest.mark.parametrize("service", ["ecr", "ecr-public"])
@SETTINGS
@given(data=st.data())
def test_valid_repository_names_are_accepted(fake, service, data):
    name = data.draw(strategies.repository_names(service))
    client = fake.client(service, region="us-east-1")
    fake.reset()
    assert client.create_repository(repositoryName=name)["repository"]["repositoryName"] == name


@pytest.mark.parametrize("service", ["ecr", "ecr-public"])
@SETTINGS
@given(data=st.data())
def test_invalid_repository_names_are_refused(fake, service, data):
    name = data.draw(strategies.invalid_repository_names(service))
    client = fake.client(service, region="us-east-1")
    with pytest.raises(REFUSED):
        client.create_repository(repositoryName=name)


@SETTINGS
@given(tag=strategies.image_tags(), bad=strategies.invalid_image_tags())
def test_tags_valid_are_accepted_and_invalid_refused(fake, tag, bad):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    strategies.ImagePush("docker", tag, {"layers": [b"layer"]}).push(client, "app")
    assert client.describe_images(repositoryName="app")["imageDetails"][0]["imageTags"] == [tag]
    with pytest.raises(REFUSED):
        strategies.ImagePush("docker", bad, {"layers": [b"other"]}).push(client, "app")


@SETTINGS
@given(digest=strategies.digests(), bad=strategies.invalid_digests())
def test_digests_are_well_formed_and_invalid_ones_refused(fake, digest, bad):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    answer = client.batch_get_image(repositoryName="app", imageIds=[{"imageDigest": digest}, {"imageDigest": bad}])
    codes = [failure["failureCode"] for failure in answer["failures"]]
    assert codes == ["ImageNotFound", "InvalidImageDigest"]


@SETTINGS
@given(
    pushes=st.lists(
        strategies.image_pushes(), min_size=1, max_size=4, unique_by=(lambda p: p.layers, lambda p: p.tag or id(p))
    )
)
def test_every_generated_image_pushes_with_its_blobs(fake, pushes):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    for push in pushes:
        digest = push.push(client, "app")
        image = client.batch_get_image(repositoryName="app", imageIds=[{"imageDigest": digest}])["images"][0]
        manifest = json.loads(image["imageManifest"])
        if push.kind in ("docker-list", "oci-index"):
            assert len(manifest["manifests"]) == len(push.options["platforms"])
        if push.kind == "artifact":
            assert manifest["artifactType"] == push.options["artifact_type"]
    assert fake.require_blobs


def test_image_pushes_cover_every_kind():
    seen: set[str] = set()

    @settings(max_examples=200, database=None)
    @given(push=strategies.image_pushes())
    def collect(push):
        seen.add(push.kind)

    collect()
    assert seen == set(strategies.IMAGE_KINDS)


@SETTINGS
@given(data=st.data())
def test_referrers_name_their_subject(fake, data):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    subject = data.draw(strategies.image_pushes(("docker", "oci"), tags=st.just("v1"))).push(client, "app")
    digest = data.draw(strategies.referrer_pushes(subject)).push(client, "app")
    image = client.batch_get_image(repositoryName="app", imageIds=[{"imageDigest": digest}])["images"][0]
    assert json.loads(image["imageManifest"])["subject"]["digest"] == subject


@SETTINGS
@given(text=strategies.lifecycle_policies())
def test_valid_lifecycle_policies_are_accepted(fake, text):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    stored = client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)["lifecyclePolicyText"]
    assert len(json.loads(stored)["rules"]) == len(json.loads(text)["rules"])


@SETTINGS
@given(text=strategies.invalid_lifecycle_policies())
def test_invalid_lifecycle_policies_are_refused(fake, text):
    client = fake.client()
    try:
        client.create_repository(repositoryName="app")
    except client.exceptions.RepositoryAlreadyExistsException:
        pass
    with pytest.raises(REFUSED):
        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)


@pytest.mark.parametrize("service", ["ecr", "ecr-public"])
@SETTINGS
@given(data=st.data())
def test_repository_policies_valid_accepted_invalid_refused(fake, service, data):
    fake.reset()
    client = fake.client(service, region="us-east-1")
    client.create_repository(repositoryName="app")
    text = data.draw(strategies.repository_policies(service))
    client.set_repository_policy(repositoryName="app", policyText=text)
    assert json.loads(client.get_repository_policy(repositoryName="app")["policyText"]) == json.loads(text)
    bad = data.draw(strategies.invalid_repository_policies(service))
    with pytest.raises(REFUSED):
        client.set_repository_policy(repositoryName="app", policyText=bad)


def test_strategies_refuse_an_unknown_service_or_kind():
    with pytest.raises(ValueError):
        strategies.repository_names("s3")
    with pytest.raises(ValueError):
        strategies.image_pushes(("helm",))


@SETTINGS
@given(generated=st.lists(strategies.image_manifests(), min_size=1, max_size=3, unique_by=lambda g: g.digest))
def test_generated_manifests_push_with_their_blobs(fake, generated):
    fake.reset()
    client = fake.client()
    client.create_repository(repositoryName="app")
    for number, image in enumerate(generated):
        assert image.push(client, "app", f"t{number}") == image.digest
        got = client.batch_get_image(repositoryName="app", imageIds=[{"imageTag": f"t{number}"}])["images"][0]
        assert got["imageId"]["imageDigest"] == image.digest
        assert got["imageManifestMediaType"] == image.media_type
        assert len(image.children) == len(json.loads(image.manifest).get("manifests", []))
