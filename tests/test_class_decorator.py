"""@mock_ecr on a class: set-up and tear-down run in the test's own fake; class-level set-up is refused."""

from __future__ import annotations

import pytest


def test_setup_method_and_teardown_method_run_in_the_tests_fake(pytester):
    pytester.makepyfile(
        """
        import boto3
        import fake_ecr
        from fake_ecr import mock_ecr

        seen = []

        @mock_ecr
        class TestPlain:
            def setup_method(self, method):
                self.client = boto3.client("ecr", region_name="us-east-1")
                self.client.create_repository(repositoryName="from-setup")
                self.fake = fake_ecr.current()

            def teardown_method(self):
                assert fake_ecr.current() is self.fake
                names = [r["repositoryName"] for r in self.client.describe_repositories()["repositories"]]
                seen.append(sorted(names))

            def test_one(self):
                assert fake_ecr.current() is self.fake
                self.client.create_repository(repositoryName="one")

            def test_two(self):
                assert fake_ecr.current() is self.fake
                self.client.create_repository(repositoryName="two")

        def test_results():
            assert fake_ecr.current() is None
            assert seen == [["from-setup", "one"], ["from-setup", "two"]]
        """
    )
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=3)


def test_a_class_without_setup_method_gets_one_fake_per_test(pytester):
    pytester.makepyfile(
        """
        import fake_ecr
        from fake_ecr import mock_ecr

        @mock_ecr(account_id="111111111111")
        class TestBare:
            def test_a(self):
                fake = fake_ecr.current()
                assert fake.account_id == "111111111111"
                fake.client().create_repository(repositoryName="aa")
                assert len(fake.registry().repositories) == 1

            def test_b(self):
                assert len(fake_ecr.current().registry().repositories) == 0
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)


def test_the_decorated_method_called_directly_still_gets_a_fake():
    import fake_ecr
    from fake_ecr import mock_ecr

    @mock_ecr
    class Plain:
        def test_x(self):
            return fake_ecr.current()

    assert Plain().test_x() is not None
    assert fake_ecr.current() is None


@pytest.mark.parametrize("kind", ["testcase", "plain"])
def test_class_level_setup_is_refused_loudly(pytester, kind):
    if kind == "testcase":
        source = """
            import unittest, boto3
            from fake_ecr import mock_ecr

            @mock_ecr
            class TestClassLevel(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    boto3.client("ecr", region_name="us-east-1").create_repository(repositoryName="xx")

                def test_x(self):
                    pass
        """
    else:
        source = """
            import boto3
            from fake_ecr import mock_ecr

            @mock_ecr
            class TestClassLevel:
                @classmethod
                def setup_class(cls):
                    boto3.client("ecr", region_name="us-east-1").create_repository(repositoryName="xx")

                def test_x(self):
                    pass
        """
    pytester.makepyfile(source)
    # Even where real calls are allowed, class-level set-up of a decorated class is refused.
    pytester.makeini("[pytest]\nfake_ecr_allow_real_aws = true\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*NoActiveFake*CreateRepository*TestClassLevel.*lass runs outside the fake*"])


def test_a_fake_started_by_hand_and_never_stopped_is_stopped_with_a_warning(pytester):
    pytester.makepyfile(
        """
        import fake_ecr
        from fake_ecr import FakeECR

        def test_forgets_to_stop():
            FakeECR().start()
            assert False, "fails before it could stop the fake"

        def test_next():
            assert fake_ecr.current() is None
            assert fake_ecr.controller.active_fakes() == []
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly", "-W", "default")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FakeECRWarning*test_forgets_to_stop*never stopped it*"])
