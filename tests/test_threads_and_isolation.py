"""Thread safety (many clients at once) and isolation between tests and workers."""

from __future__ import annotations

import threading

import boto3
import pytest
from helpers import manifest, sha

from fake_ecr import FakeECR

FAKE_OPTIONS: dict = {"require_blobs": False}  # manifests only; blobs are tested elsewhere


def test_concurrent_clients_lose_nothing():
    """16 threads push, tag, delete and list on shared and own repositories; the end state is the serial one."""
    threads_count, pushes = 16, 20
    errors: list[BaseException] = []
    with FakeECR(**FAKE_OPTIONS, call_log_limit=0) as fake:  # asserts on every call
        setup = fake.client()
        setup.create_repository(repositoryName="shared")
        barrier = threading.Barrier(threads_count)

        def work(t: int) -> None:
            try:
                client = boto3.Session().client("ecr", region_name="us-east-1")
                own = f"own-{t:02d}"
                client.create_repository(repositoryName=own)
                barrier.wait()
                for i in range(pushes):
                    text = manifest(f"{t}-{i}")
                    client.put_image(repositoryName="shared", imageManifest=text, imageTag=f"t{t}-{i}")
                    client.put_image(repositoryName=own, imageManifest=text, imageTag=f"v{i}")
                    client.put_image(repositoryName="shared", imageManifest=text, imageTag=f"alias{t}-{i}")
                    client.list_images(repositoryName="shared", maxResults=5)
                    if i % 2:
                        client.batch_delete_image(repositoryName="shared", imageIds=[{"imageTag": f"t{t}-{i}"}])
                client.batch_delete_image(repositoryName=own, imageIds=[{"imageTag": "v0"}])
            except BaseException as exc:  # pragma: no cover - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []

        shared = {
            d["imageDigest"]: set(d.get("imageTags", []))
            for page in setup.get_paginator("describe_images").paginate(repositoryName="shared")
            for d in page["imageDetails"]
        }
        expected = {
            sha(manifest(f"{t}-{i}")): ({f"alias{t}-{i}"} if i % 2 else {f"t{t}-{i}", f"alias{t}-{i}"})
            for t in range(threads_count)
            for i in range(pushes)
        }
        assert shared == expected
        for t in range(threads_count):
            own = setup.list_images(repositoryName=f"own-{t:02d}")["imageIds"]
            assert sorted(r["imageTag"] for r in own) == sorted(f"v{i}" for i in range(1, pushes))
        put_calls = fake.get_calls("PutImage")
        assert len(put_calls) == threads_count * pushes * 3 and all(c.error is None for c in put_calls)


@pytest.mark.slow
def test_no_state_leaks_between_tests_or_xdist_workers(pytester):
    body = """
        import pytest

        @pytest.mark.parametrize("n", range(6))
        def test_fresh(ecr_client, fake_ecr, n):
            assert ecr_client.describe_repositories()["repositories"] == []
            ecr_client.create_repository(repositoryName="same-name")
            fake_ecr.clock.advance(days=n)
    """
    pytest.importorskip("xdist", reason="pytest-xdist is not installed (the 'test' extra installs it)")
    pytester.makepyfile(test_a=body, test_b=body)
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=12)


def test_nested_and_sequential_fakes_do_not_share_state():
    with FakeECR() as first:
        first.client().create_repository(repositoryName="one")
    with FakeECR() as second:
        assert second.client().describe_repositories()["repositories"] == []
        with FakeECR() as inner:
            inner.client().create_repository(repositoryName="inner")
        assert [r["repositoryName"] for r in second.client().describe_repositories()["repositories"]] == []
    assert [r.name for r in first.registry().repositories.values()] == ["one"]
