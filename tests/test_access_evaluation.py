"""The access-control engine on its own: AWS's documented examples, and properties of IAM's logic."""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fake_ecr.features.access_control.conditions import glob
from fake_ecr.features.access_control.engine import Request, evaluate
from fake_ecr.features.policies.documents import PolicyDocument, parse_document, parse_identity_policy

ECR_REPO_EXAMPLES = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html"
ECR_REGISTRY_EXAMPLES = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-examples.html"
ECR_IDENTITY_EXAMPLES = (
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html"
)
IAM_EVALUATION = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
IAM_CROSS_ACCOUNT = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html"
)
IAM_CONDITIONS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html"
IAM_ORG_ID = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid"

OWNER = "123456789012"
OTHER = "444455556666"
REPO = f"arn:aws:ecr:us-west-2:{OWNER}:repository/project-a/app"
PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
PUSH = PULL + ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]


def identity(*statements: dict[str, Any]) -> PolicyDocument:
    return parse_identity_policy({"Version": "2012-10-17", "Statement": list(statements)})


def resource(*statements: dict[str, Any]) -> PolicyDocument:
    text = json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    return parse_document(text, action_prefix="", allow_resource=True)


def decide(
    principal: str,
    action: str,
    res: str,
    *,
    ident: Optional[list[PolicyDocument]],
    repo_policy: Optional[PolicyDocument] = None,
    context: Optional[dict[str, Any]] = None,
) -> tuple[bool, str]:
    account = principal.split(":")[4] if principal.startswith("arn:") else None
    res_account = res.split(":")[4] if res != "*" else None
    request = Request(principal, account, action, res, res_account, context)
    decision = evaluate(request, ident, [("repository policy", repo_policy)] if repo_policy else [])
    return decision.allowed, decision.reason


USER = f"arn:aws:iam::{OWNER}:user/push-pull-user-1"
OTHER_ROLE = f"arn:aws:iam::{OTHER}:role/puller"

# (source, principal, action, resource, identity policies, repository/registry policy, context, allowed, reason)
EXAMPLES = [
    # "Allow an IAM user within your account": a repository policy naming the user grants push and pull.
    (
        ECR_REPO_EXAMPLES,
        USER,
        "ecr:PutImage",
        REPO,
        [],
        resource({"Sid": "AllowPushPull", "Effect": "Allow", "Principal": {"AWS": [USER]}, "Action": PUSH}),
        None,
        True,
        "",
    ),
    (
        ECR_REPO_EXAMPLES,
        USER,
        "ecr:DeleteRepository",
        REPO,
        [],
        resource({"Sid": "AllowPushPull", "Effect": "Allow", "Principal": {"AWS": [USER]}, "Action": PUSH}),
        None,
        False,
        "because no identity-based policy allows the ecr:DeleteRepository action",
    ),
    # "Allow another account": the account's root is named; its identities still need IAM permission.
    (
        ECR_REPO_EXAMPLES,
        OTHER_ROLE,
        "ecr:BatchGetImage",
        REPO,
        [identity({"Effect": "Allow", "Action": PULL, "Resource": "*"})],
        resource(
            {
                "Sid": "AllowCrossAccountPull",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": PULL,
            }
        ),
        None,
        True,
        "",
    ),
    (
        IAM_CROSS_ACCOUNT,
        OTHER_ROLE,
        "ecr:BatchGetImage",
        REPO,
        [],
        resource({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"}, "Action": PULL}),
        None,
        False,
        "because no identity-based policy allows the ecr:BatchGetImage action",
    ),
    (
        IAM_CROSS_ACCOUNT,
        OTHER_ROLE,
        "ecr:BatchGetImage",
        REPO,
        [identity({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"})],
        None,
        None,
        False,
        "because no resource-based policy allows the ecr:BatchGetImage action",
    ),
    # "Allow all AWS accounts to pull images" (Principal "*") still needs the caller's IAM permission.
    (
        ECR_REPO_EXAMPLES,
        OTHER_ROLE,
        "ecr:GetDownloadUrlForLayer",
        REPO,
        [identity({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"})],
        resource({"Sid": "AllowPull", "Effect": "Allow", "Principal": "*", "Action": PULL}),
        None,
        True,
        "",
    ),
    # A service principal with aws:SourceAccount / aws:SourceArn conditions (CodeBuild example).
    (
        ECR_REPO_EXAMPLES,
        "codebuild.amazonaws.com",
        "ecr:BatchGetImage",
        REPO,
        None,
        resource(
            {
                "Sid": "CodeBuildAccess",
                "Effect": "Allow",
                "Principal": {"Service": "codebuild.amazonaws.com"},
                "Action": PULL,
                "Condition": {
                    "ArnLike": {"aws:SourceArn": f"arn:aws:codebuild:us-west-2:{OWNER}:project/*"},
                    "StringEquals": {"aws:SourceAccount": OWNER},
                },
            }
        ),
        {"aws:SourceArn": f"arn:aws:codebuild:us-west-2:{OWNER}:project/build", "aws:SourceAccount": OWNER},
        True,
        "",
    ),
    (
        ECR_REPO_EXAMPLES,
        "codebuild.amazonaws.com",
        "ecr:BatchGetImage",
        REPO,
        None,
        resource(
            {
                "Effect": "Allow",
                "Principal": {"Service": "codebuild.amazonaws.com"},
                "Action": PULL,
                "Condition": {"StringEquals": {"aws:SourceAccount": OWNER}},
            }
        ),
        {"aws:SourceAccount": OTHER},
        False,
        "because no resource-based policy allows the ecr:BatchGetImage action",
    ),
    # "Accessing one Amazon ECR repository": GetAuthorizationToken on *, the rest on the repository.
    (
        ECR_IDENTITY_EXAMPLES,
        USER,
        "ecr:GetAuthorizationToken",
        "*",
        [
            identity(
                {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                {
                    "Effect": "Allow",
                    "Action": PUSH,
                    "Resource": f"arn:aws:ecr:us-west-2:{OWNER}:repository/project-a/*",
                },
            )
        ],
        None,
        None,
        True,
        "",
    ),
    (
        ECR_IDENTITY_EXAMPLES,
        USER,
        "ecr:PutImage",
        f"arn:aws:ecr:us-west-2:{OWNER}:repository/project-b/app",
        [
            identity(
                {"Effect": "Allow", "Action": PUSH, "Resource": f"arn:aws:ecr:us-west-2:{OWNER}:repository/project-a/*"}
            )
        ],
        None,
        None,
        False,
        "because no identity-based policy allows the ecr:PutImage action",
    ),
    # Registry policy for cross-account replication (Resource names the destination's repositories).
    (
        ECR_REGISTRY_EXAMPLES,
        f"arn:aws:iam::{OTHER}:root",
        "ecr:ReplicateImage",
        REPO,
        None,
        resource(
            {
                "Sid": "ReplicationAccessCrossAccount",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                "Resource": f"arn:aws:ecr:us-west-2:{OWNER}:repository/*",
            }
        ),
        None,
        True,
        "",
    ),
    (
        ECR_REGISTRY_EXAMPLES,
        f"arn:aws:iam::{OTHER}:root",
        "ecr:ReplicateImage",
        "arn:aws:ecr:eu-west-1:123456789012:repository/x",
        None,
        resource(
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
                "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                "Resource": f"arn:aws:ecr:us-west-2:{OWNER}:repository/*",
            }
        ),
        None,
        False,
        "because no resource-based policy allows the ecr:ReplicateImage action",
    ),
    # An explicit deny overrides any allow.
    (
        IAM_EVALUATION,
        USER,
        "ecr:BatchGetImage",
        REPO,
        [identity({"Effect": "Allow", "Action": "*", "Resource": "*"})],
        resource({"Effect": "Deny", "Principal": "*", "Action": "ecr:*"}),
        None,
        False,
        "with an explicit deny in a resource-based policy",
    ),
    (
        IAM_EVALUATION,
        USER,
        "ecr:BatchGetImage",
        REPO,
        [
            identity(
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Action": "ecr:BatchGet*", "Resource": "*"},
            )
        ],
        None,
        None,
        False,
        "with an explicit deny in an identity-based policy",
    ),
    # aws:PrincipalOrgID: allow every principal of an organization.
    (
        IAM_ORG_ID,
        OTHER_ROLE,
        "ecr:BatchGetImage",
        REPO,
        [identity({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"})],
        resource(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": PULL,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}},
            }
        ),
        {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
        True,
        "",
    ),
    (
        IAM_ORG_ID,
        OTHER_ROLE,
        "ecr:BatchGetImage",
        REPO,
        [identity({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"})],
        resource(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": PULL,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}},
            }
        ),
        None,
        False,
        "because no resource-based policy allows the ecr:BatchGetImage action",
    ),
    # Negated operators match when the key is absent; ...IfExists too; Null tests presence.
    (
        IAM_CONDITIONS,
        USER,
        "ecr:ListImages",
        REPO,
        [
            identity(
                {
                    "Effect": "Allow",
                    "Action": "ecr:*",
                    "Resource": "*",
                    "Condition": {"StringNotEquals": {"aws:RequestTag/env": "prod"}},
                }
            )
        ],
        None,
        None,
        True,
        "",
    ),
    (
        IAM_CONDITIONS,
        USER,
        "ecr:ListImages",
        REPO,
        [
            identity(
                {
                    "Effect": "Allow",
                    "Action": "ecr:*",
                    "Resource": "*",
                    "Condition": {"StringEqualsIfExists": {"aws:RequestTag/env": "prod"}},
                }
            )
        ],
        None,
        None,
        True,
        "",
    ),
    (
        IAM_CONDITIONS,
        USER,
        "ecr:ListImages",
        REPO,
        [
            identity(
                {
                    "Effect": "Allow",
                    "Action": "ecr:*",
                    "Resource": "*",
                    "Condition": {"Null": {"aws:RequestTag/env": "false"}},
                }
            )
        ],
        None,
        None,
        False,
        "because no identity-based policy allows the ecr:ListImages action",
    ),
    (
        IAM_CONDITIONS,
        USER,
        "ecr:TagResource",
        REPO,
        [
            identity(
                {
                    "Effect": "Allow",
                    "Action": "ecr:TagResource",
                    "Resource": "*",
                    "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}},
                }
            )
        ],
        None,
        {"aws:TagKeys": ["team", "owner"]},
        False,
        "because no identity-based policy allows the ecr:TagResource action",
    ),
    (
        IAM_CONDITIONS,
        USER,
        "ecr:TagResource",
        REPO,
        [
            identity(
                {
                    "Effect": "Allow",
                    "Action": "ecr:TagResource",
                    "Resource": "*",
                    "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": ["te*"]}},
                }
            )
        ],
        None,
        {"aws:TagKeys": ["team", "owner"]},
        True,
        "",
    ),
]


@pytest.mark.parametrize(
    "source,principal,action,res,ident,repo_policy,context,allowed,reason",
    EXAMPLES,
    ids=[f"{i}-{e[0].rsplit('/', 1)[1][:30]}" for i, e in enumerate(EXAMPLES)],
)
def test_documented_examples(source, principal, action, res, ident, repo_policy, context, allowed, reason):
    assert decide(principal, action, res, ident=ident, repo_policy=repo_policy, context=context) == (allowed, reason)


@pytest.mark.parametrize(
    "pattern,value,expected",
    [
        ("ecr:*", "ecr:BatchGetImage", True),
        ("ecr:Batch?etImage", "ecr:BatchGetImage", True),
        ("ecr:*Image", "ecr:BatchGetImage", True),
        ("ecr:*Layer*", "ecr:BatchGetImage", False),
        ("a*b*c", "aXbYc", True),
        ("a*b*c", "aXbY", False),
    ],
)
def test_iam_wildcards(pattern, value, expected):
    assert glob(pattern, value) is expected


# -- properties ------------------------------------------------------------------------------------

ACTIONS = ["ecr:BatchGetImage", "ecr:PutImage", "ecr:ListImages", "ecr:GetAuthorizationToken"]
PATTERNS = ["*", "ecr:*", "ecr:Batch*", "ecr:Put*", "ecr:ListImages", "ecr:*Image"]
RESOURCES = ["*", REPO, f"arn:aws:ecr:*:{OWNER}:repository/*", f"arn:aws:ecr:us-west-2:{OTHER}:repository/*"]
PRINCIPALS = ["*", OWNER, OTHER, f"arn:aws:iam::{OTHER}:root", OTHER_ROLE, USER]
CALLERS = [USER, OTHER_ROLE, f"arn:aws:sts::{OTHER}:assumed-role/puller/s1", f"arn:aws:iam::{OTHER}:root"]

effects = st.sampled_from(["Allow", "Deny"])
action_element = st.tuples(
    st.sampled_from(["Action", "NotAction"]), st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2)
)
conditions = st.sampled_from(
    [None, {"StringEquals": {"aws:PrincipalAccount": OTHER}}, {"Bool": {"aws:SecureTransport": "true"}}]
)


@st.composite
def identity_statement(draw: Any) -> dict[str, Any]:
    key, actions = draw(action_element)
    statement = {
        "Effect": draw(effects),
        key: actions,
        draw(st.sampled_from(["Resource", "NotResource"])): draw(
            st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2)
        ),
    }
    condition = draw(conditions)
    if condition:
        statement["Condition"] = condition
    return statement


@st.composite
def resource_statement(draw: Any) -> dict[str, Any]:
    key, actions = draw(action_element)
    principals = draw(st.lists(st.sampled_from(PRINCIPALS), min_size=1, max_size=2))
    principal: Any = "*" if "*" in principals else {"AWS": principals}
    statement = {"Effect": draw(effects), key: actions, draw(st.sampled_from(["Principal", "NotPrincipal"])): principal}
    condition = draw(conditions)
    if condition:
        statement["Condition"] = condition
    return statement


scenarios = st.tuples(
    st.sampled_from(CALLERS),
    st.sampled_from(ACTIONS),
    st.sampled_from([REPO, "*"]),
    st.lists(identity_statement(), max_size=3),
    st.lists(resource_statement(), max_size=3),
)


def _run(caller: str, action: str, res: str, ident: list[dict[str, Any]], res_statements: list[dict[str, Any]]) -> bool:
    account = caller.split(":")[4]
    context = {"aws:PrincipalAccount": account, "aws:SecureTransport": "true"}
    request = Request(caller, account, action, res, OWNER if res != "*" else None, context)
    identity_docs = [identity(*ident)] if ident else []
    resource_docs = [("repository policy", resource(*res_statements))] if res_statements else []
    return evaluate(request, identity_docs, resource_docs).allowed


@settings(max_examples=150, deadline=None)
@given(scenarios, st.booleans(), st.data())
def test_adding_an_explicit_deny_never_widens_access(scenario, in_identity, data):
    caller, action, res, ident, res_statements = scenario
    before = _run(caller, action, res, ident, res_statements)
    if in_identity:
        extra = data.draw(identity_statement())
        extra["Effect"] = "Deny"
        after = _run(caller, action, res, ident + [extra], res_statements)
    else:
        extra = data.draw(resource_statement())
        extra["Effect"] = "Deny"
        after = _run(caller, action, res, ident, res_statements + [extra])
    assert not (after and not before)


@settings(max_examples=150, deadline=None)
@given(scenarios, st.booleans())
def test_a_star_allow_never_narrows_access(scenario, in_identity):
    caller, action, res, ident, res_statements = scenario
    before = _run(caller, action, res, ident, res_statements)
    if in_identity:
        after = _run(caller, action, res, ident + [{"Effect": "Allow", "Action": "*", "Resource": "*"}], res_statements)
    else:
        after = _run(
            caller, action, res, ident, res_statements + [{"Effect": "Allow", "Principal": "*", "Action": "*"}]
        )
    assert not (before and not after)
