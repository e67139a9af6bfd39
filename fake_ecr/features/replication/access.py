"""Whether a destination registry's policy lets a source account replicate into it.

ECR's registry policy grants another account ``ecr:ReplicateImage`` (and ``ecr:CreateRepository``)
on repositories of the registry (user guide, "Private registry permissions"). The evaluation is
IAM's: an explicit Deny wins, otherwise an Allow is needed; with no policy nothing is allowed.
``Condition`` blocks are not evaluated (a statement with conditions is taken to apply).
"""

from __future__ import annotations

from typing import Optional

from fake_ecr.features.policies.documents import Principals, Statement
from fake_ecr.features.policies.stored import registry_policy
from fake_ecr.model import Registry
from fake_ecr.model.wildcards import matches_any
from fake_ecr.aws.partitions import arn

# The service-linked role replication runs as in the source account.
_REPLICATION_ROLE = "role/aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication"


def _names_account(principals: Optional[Principals], account_id: str, region: str) -> bool:
    if principals is None:
        return False
    if principals == "*":
        return True
    assert isinstance(principals, dict)
    accepted = {"*", account_id, arn("iam", region, account_id, "root", regional=False),
                arn("iam", region, account_id, _REPLICATION_ROLE, regional=False)}
    return any(p in accepted for p in principals.get("AWS", ()))


def _applies(statement: Statement, account_id: str, region: str, action: str, resource: str) -> bool:
    if not statement.covers_action(action):
        return False
    if statement.principals is not None and not _names_account(statement.principals, account_id, region):
        return False
    if statement.not_principals is not None and _names_account(statement.not_principals, account_id, region):
        return False
    if statement.resources and not matches_any(statement.resources, resource):
        return False
    if statement.not_resources and matches_any(statement.not_resources, resource):
        return False
    return True


def allows(registry: Registry, account_id: str, action: str, resource: str) -> bool:
    """Whether ``registry``'s policy allows ``account_id`` to perform ``action`` on ``resource``."""
    policy = registry_policy(registry)
    if policy is None:
        return False
    applying = [s for s in policy.document.statements if _applies(s, account_id, registry.region, action, resource)]
    if any(s.effect == "Deny" for s in applying):
        return False
    return any(s.effect == "Allow" for s in applying)
