"""Options set once for a whole suite, and strictness through every way in."""

from __future__ import annotations

import unittest

import pytest

from fake_ecr import FakeECR, UnsupportedCallsMade, UnsupportedOperation, mock_ecr, set_defaults
from fake_ecr.core.wiring import Wiring  # a fake with one operation taken out of its table
from fake_ecr.features import FEATURES

BARE = (
    '{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", '
    '"config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:'
    + "a" * 64
    + '", "size": 2}, "layers": []}'
)


def _without(fake: FakeECR, operation: str) -> FakeECR:
    wiring = Wiring(FEATURES)
    del wiring.handlers[("ecr", operation)]
    fake.server.wiring = wiring
    return fake


def _swallowing_call(fake: FakeECR) -> None:
    try:
        fake.client().describe_registry()
    except UnsupportedOperation:
        pass  # the code under test hides the error


def test_set_defaults_applies_to_every_fake_made_afterwards():
    previous = set_defaults(require_blobs=False, region="eu-west-1")
    try:
        with FakeECR() as fake:
            assert fake.region == "eu-west-1" and not fake.require_blobs
            fake.client().create_repository(repositoryName="bare")
            fake.client().put_image(repositoryName="bare", imageManifest=BARE, imageTag="v1")  # no layers needed
        with FakeECR(require_blobs=True) as explicit:  # a fake's own argument still wins
            assert explicit.require_blobs
    finally:
        set_defaults(**previous)
    assert FakeECR().require_blobs and FakeECR().region == "us-east-1"


def test_environment_variables_set_defaults(monkeypatch):
    monkeypatch.setenv("FAKE_ECR_REQUIRE_BLOBS", "false")
    monkeypatch.setenv("FAKE_ECR_ACCOUNT_ID", "111122223333")
    fake = FakeECR()
    assert not fake.require_blobs and fake.account_id == "111122223333"
    monkeypatch.setenv("FAKE_ECR_STRICT", "perhaps")
    with pytest.raises(ValueError, match="FAKE_ECR_STRICT must be true or false"):
        FakeECR()
    with pytest.raises(TypeError, match="no option"):
        set_defaults(requireblobs=False)


def test_ini_options_set_defaults_for_the_suite(pytester: pytest.Pytester):
    pytester.makeini("[pytest]\nfake_ecr_require_blobs = false\nfake_ecr_account_id = 210987654321\n")
    pytester.makepyfile(
        """
        from fake_ecr import FakeECR, mock_ecr

        def test_fixture(fake_ecr):
            assert not fake_ecr.require_blobs and fake_ecr.account_id == "210987654321"

        @mock_ecr
        def test_decorator():
            from fake_ecr import current
            assert not current().require_blobs

        def test_context_manager():
            with FakeECR() as fake:
                assert fake.account_id == "210987654321"
        """
    )
    pytester.runpytest_inprocess("-p", "no:randomly", "-q").assert_outcomes(passed=3)
    assert FakeECR().require_blobs  # the run's defaults did not outlive it


def test_strict_context_manager_fails_on_swallowed_unsupported_calls():
    with pytest.raises(UnsupportedCallsMade, match="ecr.DescribeRegistry"):
        with _without(FakeECR(), "DescribeRegistry") as fake:
            _swallowing_call(fake)
    with _without(FakeECR(strict=False), "DescribeRegistry") as lenient:
        _swallowing_call(lenient)
    assert lenient.unsupported_calls


def test_strict_decorator_and_test_case(monkeypatch):
    real_init = FakeECR.__init__

    def init_without_describe_registry(self, **options):
        real_init(self, **options)
        _without(self, "DescribeRegistry")

    monkeypatch.setattr(FakeECR, "__init__", init_without_describe_registry)

    @mock_ecr
    def decorated():
        from fake_ecr import current

        _swallowing_call(current())

    with pytest.raises(UnsupportedCallsMade):
        decorated()

    @mock_ecr
    class Case(unittest.TestCase):
        def test_swallows(self):
            from fake_ecr import current

            _swallowing_call(current())

    result = unittest.TestResult()
    Case("test_swallows").run(result)
    assert len(result.failures) == 1 and "UnsupportedCallsMade" in result.failures[0][1]
