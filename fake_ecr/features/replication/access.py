"""Whether a destination registry's policy lets a source account replicate into it.

ECR's registry policy grants another account ``ecr:ReplicateImage`` (and ``ecr:CreateRepository``)
on repositories of the registry (user guide, "Private registry permissions"). Replication runs as
the source account's service-linked role; the decision is the access-control engine's (explicit
deny wins, the registry policy must allow; with no policy nothing is allowed), with the
``aws:SourceAccount`` and ``aws:PrincipalAccount`` condition keys of the source account.
"""

from __future__ import annotations

from fake_ecr.aws.partitions import arn
from fake_ecr.features.access_control.engine import Request, evaluate
from fake_ecr.features.policies.stored import registry_policy
from fake_ecr.model import Registry

# The service-linked role replication runs as in the source account.
_REPLICATION_ROLE = "role/aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication"


def allows(registry: Registry, account_id: str, action: str, resource: str) -> bool:
    """Whether ``registry``'s policy allows ``account_id`` to perform ``action`` on ``resource``."""
    policy = registry_policy(registry)
    if policy is None:
        return False
    role = arn("iam", registry.region, account_id, _REPLICATION_ROLE, regional=False)
    context = {"aws:SourceAccount": account_id, "aws:PrincipalAccount": account_id}
    request = Request(role, account_id, action, resource, registry.registry_id, context)
    return evaluate(request, None, [("registry policy", policy.document)]).allowed
