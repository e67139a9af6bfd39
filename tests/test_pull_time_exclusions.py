"""Pull-time update exclusions: Register/Deregister/List and their effect on lastRecordedPullTime."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from fake_ecr import push_image

CI_ROLE = "arn:aws:iam::123456789012:role/ci/scanner"
USER = "arn:aws:iam::123456789012:user/alice"


def _code(exc: pytest.ExceptionInfo[ClientError]) -> str:
    return str(exc.value.response["Error"]["Code"])


def _pull_time(client, repository: str):
    return client.describe_images(repositoryName=repository)["imageDetails"][0].get("lastRecordedPullTime")


def _pull(client, repository: str) -> None:
    images = client.batch_get_image(repositoryName=repository, imageIds=[{"imageTag": "latest"}])["images"]
    assert len(images) == 1


def test_register_list_deregister(fake_ecr, ecr_client):
    fake_ecr.clock.freeze()
    registered = ecr_client.register_pull_time_update_exclusion(principalArn=CI_ROLE)
    assert registered["principalArn"] == CI_ROLE
    assert registered["createdAt"].timestamp() == pytest.approx(fake_ecr.clock.time())
    ecr_client.register_pull_time_update_exclusion(principalArn=USER)
    assert ecr_client.list_pull_time_update_exclusions()["pullTimeUpdateExclusions"] == [CI_ROLE, USER]
    assert ecr_client.deregister_pull_time_update_exclusion(principalArn=CI_ROLE)["principalArn"] == CI_ROLE
    listed = ecr_client.list_pull_time_update_exclusions()
    assert listed["pullTimeUpdateExclusions"] == [USER] and "nextToken" not in listed


def test_register_twice_and_deregister_unknown(ecr_client):
    ecr_client.register_pull_time_update_exclusion(principalArn=CI_ROLE)
    with pytest.raises(ClientError) as exc:
        ecr_client.register_pull_time_update_exclusion(principalArn=CI_ROLE)
    assert _code(exc) == "ExclusionAlreadyExistsException"
    with pytest.raises(ClientError) as exc:
        ecr_client.deregister_pull_time_update_exclusion(principalArn=USER)
    assert _code(exc) == "ExclusionNotFoundException"


def test_only_iam_users_and_roles_can_be_excluded(ecr_client):
    for arn in ("arn:aws:iam::123456789012:root", "arn:aws:sts::123456789012:assumed-role/ci/s", "ci"):
        with pytest.raises(ClientError) as exc:
            ecr_client.register_pull_time_update_exclusion(principalArn=arn)
        assert _code(exc) == "InvalidParameterException"


def test_at_most_100_exclusions_and_pagination(ecr_client):
    arns = [f"arn:aws:iam::123456789012:role/r{i:03d}" for i in range(100)]
    for arn in arns:
        ecr_client.register_pull_time_update_exclusion(principalArn=arn)
    with pytest.raises(ClientError) as exc:
        ecr_client.register_pull_time_update_exclusion(principalArn=USER)
    assert _code(exc) == "LimitExceededException"
    first = ecr_client.list_pull_time_update_exclusions(maxResults=40)
    assert first["pullTimeUpdateExclusions"] == arns[:40]
    second = ecr_client.list_pull_time_update_exclusions(maxResults=40, nextToken=first["nextToken"])
    assert second["pullTimeUpdateExclusions"] == arns[40:80]
    third = ecr_client.list_pull_time_update_exclusions(maxResults=40, nextToken=second["nextToken"])
    assert third["pullTimeUpdateExclusions"] == arns[80:] and "nextToken" not in third
    with pytest.raises(ClientError) as exc:
        ecr_client.list_pull_time_update_exclusions(nextToken="garbage")
    assert _code(exc) == "InvalidParameterException"


def test_pull_by_excluded_principal_keeps_pull_time(fake_ecr, ecr_client, repo):
    fake_ecr.clock.freeze()
    push_image(ecr_client, repo, "latest")
    ecr_client.register_pull_time_update_exclusion(principalArn=CI_ROLE)
    with fake_ecr.caller.acting_as(CI_ROLE):
        _pull(ecr_client, repo)
    assert _pull_time(ecr_client, repo) is None
    _pull(ecr_client, repo)  # as the account root: recorded
    recorded = _pull_time(ecr_client, repo)
    assert recorded is not None
    fake_ecr.clock.advance(3600)
    fake_ecr.caller.arn = "arn:aws:sts::123456789012:assumed-role/scanner/session-1"  # a session of CI_ROLE
    _pull(ecr_client, repo)
    assert _pull_time(ecr_client, repo) == recorded
    fake_ecr.caller.arn = USER
    _pull(ecr_client, repo)
    assert _pull_time(ecr_client, repo) > recorded


def test_deregistered_principal_updates_pull_time_again(fake_ecr, ecr_client, repo):
    push_image(ecr_client, repo, "latest")
    ecr_client.register_pull_time_update_exclusion(principalArn=USER)
    fake_ecr.caller.arn = USER
    _pull(ecr_client, repo)
    assert _pull_time(ecr_client, repo) is None
    ecr_client.deregister_pull_time_update_exclusion(principalArn=USER)
    _pull(ecr_client, repo)
    assert _pull_time(ecr_client, repo) is not None


def test_caller_defaults_to_account_root(fake_ecr):
    assert fake_ecr.caller.arn == "arn:aws:iam::123456789012:root"
    with fake_ecr.caller.acting_as(USER):
        assert fake_ecr.caller.arn == USER
    assert fake_ecr.caller.arn == "arn:aws:iam::123456789012:root"
