"""PutLifecyclePolicy / StartLifecyclePolicyPreview refuse invalid policies with ECR's errors."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

PREFIX = (
    "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: "
)


def rule(priority: int = 1, action: Any = None, **selection: Any) -> dict[str, Any]:
    chosen: dict[str, Any] = {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 5}
    chosen.update(selection)
    for key in [k for k, v in chosen.items() if v is None]:
        del chosen[key]
    return {"rulePriority": priority, "selection": chosen, "action": action or {"type": "expire"}}


def policy(*rules: dict[str, Any]) -> str:
    return json.dumps({"rules": list(rules)})


def put(client: Any, text: str) -> Any:
    return client.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=text)


def refusal(client: Any, text: str) -> str:
    with pytest.raises(ClientError) as exc:
        put(client, text)
    error = exc.value.response["Error"]
    assert error["Code"] == "InvalidParameterException"
    assert error["Message"].startswith(PREFIX) and error["Message"].endswith("'")
    return error["Message"][len(PREFIX) : -1]


VALID = {
    "untagged count": policy(rule()),
    "tag prefixes": policy(rule(tagStatus="tagged", tagPrefixList=["prod", "v"])),
    "tag patterns with four wildcards": policy(rule(tagStatus="tagged", tagPatternList=["*test*1*2*3", "test*1*2*3*"])),
    "age in days": policy(rule(countType="sinceImagePushed", countUnit="days", countNumber=14)),
    "since pulled": policy(rule(tagStatus="any", countType="sinceImagePulled", countUnit="days", countNumber=30)),
    "transition to archive": policy(
        rule(
            countType="sinceImagePulled",
            countUnit="days",
            countNumber=30,
            action={"type": "transition", "targetStorageClass": "archive"},
        )
    ),
    "expire archived after 90 days": policy(
        rule(storageClass="archive", countType="sinceImageTransitioned", countUnit="days", countNumber=90)
    ),
    "any rule last": policy(rule(1), rule(7, tagStatus="any")),
    "priorities need not be sequential": policy(rule(10, tagStatus="tagged", tagPrefixList=["a"]), rule(3)),
    "upper-case enumerations": policy(rule(tagStatus="UNTAGGED", action={"type": "EXPIRE"})),
    "untagged once per storage class": policy(
        rule(1), rule(2, storageClass="archive", countType="sinceImageTransitioned", countUnit="days", countNumber=100)
    ),
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_valid_policies_are_stored(ecr_client, repo, text):
    stored = put(ecr_client, text)["lifecyclePolicyText"]
    assert ecr_client.get_lifecycle_policy(repositoryName=repo)["lifecyclePolicyText"] == stored


def test_stored_text_is_compact_with_rules_in_priority_order(ecr_client, repo):
    later = dict(rule(5), description="later")
    text = json.dumps({"rules": [later, rule(2, tagStatus="tagged", tagPrefixList=["x"])]}, indent=4)
    stored = put(ecr_client, text)["lifecyclePolicyText"]
    assert "\n" not in stored and " " not in stored
    assert [r["rulePriority"] for r in json.loads(stored)["rules"]] == [2, 5]
    assert json.loads(stored)["rules"][1]["description"] == "later"


INVALID = {
    "malformed json": ('{"rules": [', "Could not map policyString into LifecyclePolicy."),
    "no rules": (json.dumps({"no_rules": "x" * 100}), "Could not map policyString into LifecyclePolicy."),
    "rules not a list": (json.dumps({"rules": rule()}), "Could not map policyString into LifecyclePolicy."),
    "unknown rule member": (
        json.dumps({"rules": [dict(rule(), colour="red")]}),
        "Could not map policyString into LifecyclePolicy.",
    ),
    "priority not a number": (
        policy(dict(rule(), rulePriority="one")),
        "Could not map policyString into LifecyclePolicy.",
    ),
    "empty rules": (
        json.dumps({"rules": []}),
        "array is too short: must have at least 1 elements but instance has 0 elements",
    ),
    "missing rulePriority": (
        json.dumps({"rules": [{k: v for k, v in rule().items() if k != "rulePriority"}]}),
        'object has missing required properties (["rulePriority"])',
    ),
    "missing countNumber": (policy(rule(countNumber=None)), 'object has missing required properties (["countNumber"])'),
    "missing tagStatus": (policy(rule(tagStatus=None)), 'object has missing required properties (["tagStatus"])'),
    "missing action type": (
        policy(rule(action={"targetStorageClass": "archive"})),
        'object has missing required properties (["type"])',
    ),
    "zero priority": (policy(rule(0)), "numeric instance is lower than the required minimum (minimum: 1, found: 0)"),
    "zero count": (
        policy(rule(countNumber=0)),
        "numeric instance is lower than the required minimum (minimum: 1, found: 0)",
    ),
    "bad tagStatus": (
        policy(rule(tagStatus="some")),
        'instance value ("some") not found in enum (possible values: ["tagged","untagged","any"])',
    ),
    "bad countType": (
        policy(rule(countType="sinceForever")),
        'instance value ("sinceForever") not found in enum (possible values: ["imageCountMoreThan",'
        '"sinceImagePushed","sinceImagePulled","sinceImageTransitioned"])',
    ),
    "bad countUnit": (
        policy(rule(countType="sinceImagePushed", countUnit="hours")),
        'instance value ("hours") not found in enum (possible values: ["days"])',
    ),
    "bad action": (
        policy(rule(action={"type": "delete"})),
        'instance value ("delete") not found in enum (possible values: ["expire","transition"])',
    ),
    "countUnit with imageCountMoreThan": (
        policy(rule(countUnit="days")),
        "instance failed to match exactly one schema (matched 0 out of 2)",
    ),
    "sinceImagePushed without countUnit": (
        policy(rule(countType="sinceImagePushed")),
        "instance failed to match exactly one schema (matched 0 out of 2)",
    ),
    "duplicate priority": (
        policy(rule(1), rule(1, tagStatus="tagged", tagPrefixList=["a"])),
        "Rule priorities must be unique. Found duplicate rulePriority 1.",
    ),
    "tagged without a list": (
        policy(rule(tagStatus="tagged")),
        "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.",
    ),
    "tagged with both lists": (
        policy(rule(tagStatus="tagged", tagPrefixList=["a"], tagPatternList=["a*"])),
        "Can't specify both tagPrefixList and tagPatternList in the same rule.",
    ),
    "untagged with prefixes": (
        policy(rule(tagPrefixList=["a"])),
        "tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED, not tagStatus=UNTAGGED.",
    ),
    "any with patterns": (
        policy(rule(tagStatus="any", tagPatternList=["a*"])),
        "tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED, not tagStatus=ANY.",
    ),
    "empty prefix list": (
        policy(rule(tagStatus="tagged", tagPrefixList=[])),
        "tagPrefixList must contain at least one non-empty tag.",
    ),
    "five wildcards": (
        policy(rule(tagStatus="tagged", tagPatternList=["test*1*2*3*4*5*6"])),
        "Tag pattern 'test*1*2*3*4*5*6' has more than 4 wildcards (*). Specify at most 4 wildcards per tag pattern.",
    ),
    "two untagged rules": (
        policy(rule(1), rule(2, countType="sinceImagePushed", countUnit="days")),
        "Only one rule can select Untagged images per storage class.",
    ),
    "any rule not last": (
        policy(rule(1, tagStatus="any"), rule(2)),
        "Rule for tagStatus=ANY must have the lowest priority per storage class",
    ),
    "transition without target": (
        policy(rule(action={"type": "transition"})),
        "targetStorageClass is required when action type=TRANSITION.",
    ),
    "expire with target": (
        policy(rule(action={"type": "expire", "targetStorageClass": "archive"})),
        "targetStorageClass can only be specified when action type=TRANSITION.",
    ),
    "archive with a count": (
        policy(rule(storageClass="archive")),
        "countType=sinceImageTransitioned must be used with storageClass=ARCHIVE, and "
        "storageClass=ARCHIVE only with countType=sinceImageTransitioned.",
    ),
    "since transitioned on standard": (
        policy(rule(countType="sinceImageTransitioned", countUnit="days")),
        "countType=sinceImageTransitioned must be used with storageClass=ARCHIVE, "
        "and storageClass=ARCHIVE only with countType=sinceImageTransitioned.",
    ),
    "transition archived images": (
        policy(
            rule(
                storageClass="archive",
                countType="sinceImageTransitioned",
                countUnit="days",
                countNumber=100,
                action={"type": "transition", "targetStorageClass": "archive"},
            )
        ),
        "Images with storageClass=ARCHIVE can't be transitioned to storageClass=ARCHIVE.",
    ),
    "archived for less than 90 days": (
        policy(rule(storageClass="archive", countType="sinceImageTransitioned", countUnit="days", countNumber=30)),
        "Archived images can't be expired before the minimum storage duration of 90 days: countNumber must be "
        "at least 90 for storageClass=ARCHIVE.",
    ),
}


@pytest.mark.parametrize("text, reason", INVALID.values(), ids=INVALID.keys())
def test_invalid_policies_are_refused(ecr_client, repo, text, reason):
    assert refusal(ecr_client, text.ljust(100)) == reason
    with pytest.raises(ecr_client.exceptions.LifecyclePolicyNotFoundException):
        ecr_client.get_lifecycle_policy(repositoryName=repo)


@pytest.mark.parametrize("text, reason", list(INVALID.values())[:3], ids=list(INVALID)[:3])
def test_preview_of_an_inline_policy_validates_it_too(ecr_client, repo, text, reason):
    with pytest.raises(ClientError) as exc:
        ecr_client.start_lifecycle_policy_preview(repositoryName=repo, lifecyclePolicyText=text.ljust(100))
    assert exc.value.response["Error"]["Message"] == PREFIX + reason + "'"


def test_policy_text_length_limits_come_from_the_model(ecr_client, repo):
    text = policy(rule(description="x" * 31_000))
    with pytest.raises(ClientError) as exc:
        put(ecr_client, text)
    assert exc.value.response["Error"]["Message"] == (
        "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: "
        "'Member must have length less than or equal to 30720'"
    )


def test_invalid_policy_leaves_the_saved_one_in_place(ecr_client, repo):
    good = put(ecr_client, policy(rule()))["lifecyclePolicyText"]
    bad = copy.deepcopy(rule())
    bad["selection"]["countNumber"] = -1
    refusal(ecr_client, policy(bad))
    assert ecr_client.get_lifecycle_policy(repositoryName=repo)["lifecyclePolicyText"] == good
