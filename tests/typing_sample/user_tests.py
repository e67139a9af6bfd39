"""A user's test module, checked with mypy --strict by tests/test_typing.py (not collected by pytest)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from fake_ecr import FakeECR, mock_ecr, push_image, strategies


def test_push(ecr_client: object, fake_ecr: FakeECR) -> None:
    client = fake_ecr.client()
    client.create_repository(repositoryName="app")
    digest: str = push_image(client, "app", "v1", layers=[b"layer"], media_type="oci")
    assert fake_ecr.repository("app").image(digest) is not None
    assert len(fake_ecr.get_calls("PutImage")) == 1


@pytest.mark.fake_ecr(account_id="111122223333", region="eu-west-1")
def test_marker(fake_ecr: FakeECR) -> None:
    assert fake_ecr.account_id == "111122223333"


@mock_ecr
def test_decorated(tmp_path: object) -> None:
    assert tmp_path  # the decorator keeps the test's signature


def test_context_manager() -> None:
    with mock_ecr() as fake:
        fake.clock.advance(hours=1)
        fake.client("ecr-public").create_repository(repositoryName="pub")


@settings(max_examples=5, deadline=None)
@given(push=strategies.image_pushes(), policy=strategies.lifecycle_policies())
def test_my_cleanup(push: strategies.ImagePush, policy: str) -> None:
    with FakeECR() as fake:
        client = fake.client()
        client.create_repository(repositoryName="app")
        push.push(client, "app")
        client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=policy)
