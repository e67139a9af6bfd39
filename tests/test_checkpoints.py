"""Checkpoints: a seeded fake restored for each test, far cheaper than seeding again."""

from __future__ import annotations

import pytest

from fake_ecr import FakeECR, push_image


def test_restore_puts_the_state_back_and_keeps_the_checkpoint_reusable():
    with FakeECR() as fake:
        ecr = fake.client()
        ecr.create_repository(repositoryName="base")
        digest = push_image(ecr, "base", "v1")
        seeded = fake.snapshot()
        for round_ in range(2):
            ecr.batch_delete_image(repositoryName="base", imageIds=[{"imageTag": "v1"}])
            ecr.create_repository(repositoryName=f"scratch{round_}")
            fake.faults.fail_next("DescribeRepositories")
            fake.restore(seeded)
            assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["base"]
            assert ecr.describe_images(repositoryName="base")["imageDetails"][0]["imageDigest"] == digest
            assert fake.calls[-1].operation == "DescribeImages" and len(fake.calls) == 2  # a fresh log
        # New pushes after a restore order after the seeded ones.
        later = push_image(ecr, "base", "v2", layers=[b"later"])
        assert [i["imageDigest"] for i in ecr.describe_images(repositoryName="base")["imageDetails"]] == [digest, later]


def test_a_checkpoint_block_undoes_what_it_changes():
    with FakeECR() as fake:
        ecr = fake.client()
        ecr.create_repository(repositoryName="keep")
        with fake.checkpoint():
            ecr.delete_repository(repositoryName="keep")
            ecr.create_repository(repositoryName="temporary")
        assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["keep"]


def test_module_and_session_fixtures_share_one_seeded_fake(pytester: pytest.Pytester):
    pytester.makepyfile(
        """
        import pytest
        from fake_ecr import push_image

        @pytest.fixture(scope="module")
        def seeded(fake_ecr_module):
            ecr = fake_ecr_module.client()
            ecr.create_repository(repositoryName="shared")
            push_image(ecr, "shared", "v1")
            return fake_ecr_module.snapshot()

        @pytest.fixture
        def registry(fake_ecr_module, seeded):
            fake_ecr_module.restore(seeded)
            return fake_ecr_module

        @pytest.mark.parametrize("n", range(3))
        def test_each_test_sees_the_seeded_state_only(registry, n):
            ecr = registry.client()
            assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["shared"]
            ecr.create_repository(repositoryName=f"mine{n}")

        def test_the_session_fake_is_active(fake_ecr_session):
            assert fake_ecr_session.active
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:randomly", "-q")
    result.assert_outcomes(passed=4)
