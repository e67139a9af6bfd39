"""Activation is scoped: a fake serves the thread or task that started it and the threads it starts.

Two fakes active at the same time (two threads, or two coroutines under ``asyncio.gather``) never
see each other's calls; a context no fake can claim is served by the only active fake, or refused
when several are active.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3

import fake_ecr
from fake_ecr import FakeECR, UnattributedCall, mock_ecr


def _names(client) -> list[str]:
    return sorted(r["repositoryName"] for r in client.describe_repositories()["repositories"])


def test_two_fakes_in_two_threads_never_see_each_others_calls():
    barrier = threading.Barrier(2)
    seen: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def test_body(name: str) -> None:
        try:
            with FakeECR() as fake:
                barrier.wait()  # both fakes are active now
                client = boto3.Session().client("ecr", region_name="us-east-1")
                for i in range(20):
                    client.create_repository(repositoryName=f"{name}-{i}")
                barrier.wait()
                seen[name] = _names(client)
                assert fake_ecr.current() is fake
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=test_body, args=(name,)) for name in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen["left"] == sorted(f"left-{i}" for i in range(20))
    assert seen["right"] == sorted(f"right-{i}" for i in range(20))


def test_two_decorated_coroutines_under_gather_never_see_each_others_calls():
    both_started = asyncio.Event()
    started: list[str] = []

    @mock_ecr
    async def test_body(name: str) -> list[str]:
        client = boto3.Session().client("ecr", region_name="us-east-1")
        started.append(name)
        if len(started) == 2:
            both_started.set()
        await both_started.wait()  # both fakes are active now
        for i in range(5):
            client.create_repository(repositoryName=f"{name}-{i}")
            await asyncio.sleep(0)
        return _names(client)

    async def main() -> list[list[str]]:
        return list(await asyncio.gather(test_body("a"), test_body("b")))

    left, right = asyncio.run(main())
    assert left == [f"a-{i}" for i in range(5)]
    assert right == [f"b-{i}" for i in range(5)]


def test_threads_started_from_the_fakes_context_are_served_by_it():
    with FakeECR() as outer:
        with FakeECR() as fake:
            seen: list[object] = []
            thread = threading.Thread(target=lambda: seen.append(fake_ecr.current()))
            thread.start()
            thread.join()
            with ThreadPoolExecutor(2) as pool:
                from_pool = pool.submit(fake_ecr.current).result()
            assert seen == [fake] and from_pool is fake
        assert fake_ecr.current() is outer


def test_a_pooled_thread_does_not_keep_the_fake_of_its_first_user():
    pool = ThreadPoolExecutor(1)
    try:
        with FakeECR() as first:
            assert pool.submit(fake_ecr.current).result() is first
        with FakeECR() as second:
            assert pool.submit(fake_ecr.current).result() is second
    finally:
        pool.shutdown()


def test_a_straggler_thread_is_not_served_by_the_next_fake():
    go = threading.Event()
    seen: list[object] = []

    def straggler() -> None:
        go.wait()
        seen.append(fake_ecr.current())

    with FakeECR():
        thread = threading.Thread(target=straggler)
        thread.start()
    with FakeECR() as later:
        assert fake_ecr.current() is later
        go.set()
        thread.join()
    assert seen == [None]


def test_an_unattributed_thread_is_served_by_the_only_active_fake_and_refused_among_several():
    ready, go, done = threading.Event(), threading.Event(), threading.Event()
    outcomes: list[object] = []

    def worker() -> None:  # started before any fake: it belongs to none
        client = boto3.Session().client("ecr", region_name="us-east-1")
        ready.set()
        for _ in range(2):
            go.wait()
            go.clear()
            try:
                outcomes.append(_names(client))
            except UnattributedCall as exc:
                outcomes.append(exc)
            done.set()

    other_started, start_other, release = threading.Event(), threading.Event(), threading.Event()

    def other_test() -> None:  # another test's thread, unrelated to the first fake
        start_other.wait()
        with FakeECR():
            other_started.set()
            release.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    other = threading.Thread(target=other_test)
    other.start()
    ready.wait()
    with FakeECR() as only:
        only.client().create_repository(repositoryName="only")
        go.set()
        done.wait()
        done.clear()
        start_other.set()
        other_started.wait()
        go.set()
        done.wait()
        release.set()
        other.join()
    thread.join()
    assert outcomes[0] == ["only"]
    assert isinstance(outcomes[1], UnattributedCall)
    assert "DescribeRepositories" in str(outcomes[1])


def test_stop_from_another_thread_deactivates():
    fake = FakeECR().start()
    thread = threading.Thread(target=fake.stop)
    thread.start()
    thread.join()
    assert not fake.active and fake_ecr.current() is None


def test_an_unattributed_thread_is_served_by_the_innermost_of_nested_fakes():
    """A session-wide fake with a test's fake inside it: a thread made before both gets the test's."""
    seen: list[object] = []
    ready, go = threading.Event(), threading.Event()

    def worker() -> None:  # started before the fakes: unattributed
        ready.set()
        go.wait()
        seen.append(fake_ecr.current())

    thread = threading.Thread(target=worker)
    thread.start()
    ready.wait()
    with FakeECR() as session_wide:
        with FakeECR() as per_test:
            go.set()
            thread.join()
    assert session_wide is not per_test and seen == [per_test]
