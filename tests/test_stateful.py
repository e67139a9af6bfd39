"""A hypothesis state machine over repositories, pushes, tags and deletes, against a reference model.

Invariants after every step: a tag names exactly one image; DescribeImages, ListImages and
BatchGetImage agree with each other and with the reference; counts add up.
"""

from __future__ import annotations

from typing import Optional

import pytest
from helpers import manifest, put_manifest, sha
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fake_ecr import FakeECR

pytestmark = pytest.mark.slow

REPOS = ["app", "team/web"]
TAGS = ["v1", "v2", "latest", "stable"]
SEEDS = ["a", "b", "c", "d"]


class Registry(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.fake = FakeECR(**FAKE_OPTIONS).start()
        self.client = self.fake.client()
        # Reference: repository -> digest -> set of tags.
        self.model: dict[str, dict[str, set[str]]] = {}
        self.client.create_repository(repositoryName="app")
        self.model["app"] = {}

    def teardown(self) -> None:
        self.fake.stop()

    @rule(name=st.sampled_from(REPOS))
    def create(self, name: str) -> None:
        try:
            self.client.create_repository(repositoryName=name)
            assert name not in self.model
            self.model[name] = {}
        except self.client.exceptions.RepositoryAlreadyExistsException:
            assert name in self.model

    @rule(name=st.sampled_from(REPOS), seed=st.sampled_from(SEEDS), tag=st.none() | st.sampled_from(TAGS))
    def push_image(self, name: str, seed: str, tag: Optional[str]) -> None:
        self.push(name, seed, tag)

    @rule(name=st.sampled_from(REPOS), seed=st.sampled_from(SEEDS), tag=st.sampled_from(TAGS))
    def push_tagged(self, name: str, seed: str, tag: str) -> None:
        self.push(name, seed, tag)

    def push(self, name: str, seed: str, tag: Optional[str]) -> None:
        digest = sha(manifest(seed))
        if name not in self.model:
            try:
                put_manifest(self.client, name, seed, tag)
                raise AssertionError("pushed into a missing repository")
            except self.client.exceptions.RepositoryNotFoundException:
                return
        images = self.model[name]
        exists = digest in images and (tag is None or tag in images[digest])
        try:
            put_manifest(self.client, name, seed, tag)
            assert not exists
        except self.client.exceptions.ImageAlreadyExistsException:
            assert exists
            return
        images.setdefault(digest, set())
        if tag:
            for tags in images.values():
                tags.discard(tag)
            images[digest].add(tag)

    @rule(name=st.sampled_from(REPOS), tag=st.sampled_from(TAGS))
    def delete_tag(self, name: str, tag: str) -> None:
        if name not in self.model:
            return
        out = self.client.batch_delete_image(repositoryName=name, imageIds=[{"imageTag": tag}])
        images = self.model[name]
        holder = next((d for d, tags in images.items() if tag in tags), None)
        if holder is None:
            assert out["failures"][0]["failureCode"] == "ImageNotFound"
            return
        assert out["imageIds"] == [{"imageDigest": holder, "imageTag": tag}]
        images[holder].discard(tag)
        if not images[holder]:
            del images[holder]

    @rule(name=st.sampled_from(REPOS), seed=st.sampled_from(SEEDS))
    def delete_digest(self, name: str, seed: str) -> None:
        if name not in self.model:
            return
        digest = sha(manifest(seed))
        out = self.client.batch_delete_image(repositoryName=name, imageIds=[{"imageDigest": digest}])
        images = self.model[name]
        if digest not in images:
            assert out["failures"][0]["failureCode"] == "ImageNotFound"
            return
        assert {i["imageDigest"] for i in out["imageIds"]} == {digest}
        assert {i.get("imageTag") for i in out["imageIds"]} - {None} == images.pop(digest)

    @rule(name=st.sampled_from(REPOS), dice=st.integers(0, 9))
    def delete_repository(self, name: str, dice: int) -> None:
        if dice:  # rarely: a deleted repository makes most other steps trivial
            return
        try:
            self.client.delete_repository(repositoryName=name, force=True)
            del self.model[name]
        except self.client.exceptions.RepositoryNotFoundException:
            assert name not in self.model

    @invariant()
    def views_agree(self) -> None:
        if not hasattr(self, "model"):
            return
        repos = {r["repositoryName"] for r in self.client.describe_repositories()["repositories"]}
        assert repos == set(self.model)
        for name, images in self.model.items():
            details = self.client.describe_images(repositoryName=name)["imageDetails"]
            described = {d["imageDigest"]: set(d.get("imageTags", [])) for d in details}
            assert described == images
            rows = self.client.list_images(repositoryName=name)["imageIds"]
            assert len(rows) == sum(max(1, len(tags)) for tags in images.values())
            listed_tags = [r["imageTag"] for r in rows if "imageTag" in r]
            assert len(listed_tags) == len(set(listed_tags))  # a tag names one image
            for tag in listed_tags:
                got = self.client.batch_get_image(repositoryName=name, imageIds=[{"imageTag": tag}])
                assert tag in images[got["images"][0]["imageId"]["imageDigest"]]
            untagged = self.client.list_images(repositoryName=name, filter={"tagStatus": "UNTAGGED"})["imageIds"]
            assert {r["imageDigest"] for r in untagged} == {d for d, t in images.items() if not t}


FAKE_OPTIONS: dict = {"require_blobs": False}  # manifests only; blobs are tested elsewhere

Registry.TestCase.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)
TestRegistry = Registry.TestCase
