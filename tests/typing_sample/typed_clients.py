"""With the 'typing' extra installed, fake.client() and the fixtures are boto3's typed clients.

Checked with mypy --strict by tests/test_typing.py when types-boto3-ecr and types-boto3-ecr-public
are installed. Each ``type: ignore`` below must be needed (warn_unused_ignores): were the clients
``Any``, mypy would report the ignores as unused.
"""

from __future__ import annotations

from types_boto3_ecr.client import ECRClient
from types_boto3_ecr_public.client import ECRPublicClient
from typing_extensions import assert_type

from fake_ecr import FakeECR


def test_clients_are_typed(fake_ecr: FakeECR, ecr_client: ECRClient, ecr_public_client: ECRPublicClient) -> None:
    assert_type(fake_ecr.client(), ECRClient)
    assert_type(fake_ecr.client("ecr"), ECRClient)
    assert_type(fake_ecr.client("ecr", region="eu-west-1"), ECRClient)
    assert_type(fake_ecr.client("ecr-public"), ECRPublicClient)
    created = ecr_client.create_repository(repositoryName="app")
    assert_type(created["repository"].get("repositoryName"), "str | None")
    fake_ecr.client().create_repository(repositoryNam="app")  # type: ignore[call-arg]
    ecr_public_client.describe_registries()
