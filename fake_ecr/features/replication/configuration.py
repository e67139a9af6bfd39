"""A registry's replication configuration: ECR's rules for accepting one, and which rules apply.

The botocore model already checks the shapes (rule count, destination fields, filter length and
pattern, ``PREFIX_MATCH``); this module adds the semantic rules from the ECR user guide: at most
25 unique destinations across all rules, no destination equal to the source registry, no
destination in another AWS partition, and a rule must name at least one destination.
"""

from __future__ import annotations

from typing import Any

from fake_ecr.aws.partitions import partition_of
from fake_ecr.errors import invalid_parameter
from fake_ecr.model import Registry

MAX_UNIQUE_DESTINATIONS = 25

Destination = tuple[str, str]  # (region, registryId)


def _refuse(constraint: str) -> Exception:
    return invalid_parameter("replicationConfiguration", constraint)


def _check_destination(source: Registry, destination: dict[str, str]) -> None:
    region, registry_id = destination["region"], destination["registryId"]
    if region == source.region and registry_id == source.registry_id:
        raise _refuse("Replication destination cannot be the same as the source registry")
    here, there = partition_of(source.region), partition_of(region)
    if here is not None and there is not None and here != there:
        raise _refuse(
            f"Replication destination region '{region}' is in another partition than the source "
            f"region '{source.region}'; cross-partition replication is not supported"
        )


def normalised_rules(source: Registry, configuration: dict[str, Any]) -> list[dict[str, Any]]:
    """The rules of a PutReplicationConfiguration request, checked, as ECR stores and returns them."""
    rules: list[dict[str, Any]] = []
    unique: set[Destination] = set()
    for rule in configuration["rules"]:
        if not rule["destinations"]:
            raise _refuse("A replication rule must have at least one destination")
        for destination in rule["destinations"]:
            _check_destination(source, destination)
            unique.add((destination["region"], destination["registryId"]))
        stored: dict[str, Any] = {
            "destinations": [{"region": d["region"], "registryId": d["registryId"]} for d in rule["destinations"]]
        }
        if rule.get("repositoryFilters") is not None:
            stored["repositoryFilters"] = [
                {"filter": f["filter"], "filterType": f["filterType"]} for f in rule["repositoryFilters"]
            ]
        if rule.get("deleteReplication") is not None:
            stored["deleteReplication"] = {"enabled": bool(rule["deleteReplication"]["enabled"])}
        rules.append(stored)
    if len(unique) > MAX_UNIQUE_DESTINATIONS:
        raise _refuse(
            f"A replication configuration may contain at most {MAX_UNIQUE_DESTINATIONS} unique "
            f"destinations across all rules, found {len(unique)}"
        )
    return rules


def rule_applies(rule: dict[str, Any], repository_name: str) -> bool:
    """A rule without filters applies to every repository; otherwise a PREFIX_MATCH must match."""
    filters = rule.get("repositoryFilters")
    if not filters:
        return True
    return any(repository_name.startswith(f["filter"]) for f in filters)


class ReplicationConfiguration:
    """Registry state: the replication rules PutReplicationConfiguration stored, as normalised."""

    def __init__(self) -> None:
        self.rules: list[dict[str, Any]] = []


def rules_of(registry: Registry) -> list[dict[str, Any]]:
    """The registry's replication rules (empty until configured)."""
    return registry.state(ReplicationConfiguration).rules


def destinations_for(source: Registry, repository_name: str, *, deletions: bool = False) -> list[Destination]:
    """The unique destinations, in configuration order, that a push to ``repository_name`` goes to
    (with ``deletions``: those of the rules that also replicate deletions)."""
    found: dict[Destination, None] = {}
    for rule in rules_of(source):
        if deletions and not (rule.get("deleteReplication") or {}).get("enabled"):
            continue
        if rule_applies(rule, repository_name):
            for destination in rule["destinations"]:
                found[(destination["region"], destination["registryId"])] = None
    return list(found)
