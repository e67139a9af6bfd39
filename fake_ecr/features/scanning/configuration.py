"""Registry scanning configuration: scan type, rules, and which rule governs a repository.

ECR keeps one scanning configuration per registry (account and region). Without one, the
registry uses BASIC scanning with no rules, so only repositories whose own (deprecated)
``scanOnPush`` flag is set are scanned on push; every other image needs StartImageScan.
"""

from __future__ import annotations

import copy
from typing import Any, Optional

from fake_ecr.errors import invalid_parameter
from fake_ecr.model import Registry, Repository
from fake_ecr.model.wildcards import matches

BASIC = "BASIC"
ENHANCED = "ENHANCED"
SCAN_ON_PUSH = "SCAN_ON_PUSH"
CONTINUOUS_SCAN = "CONTINUOUS_SCAN"
MANUAL = "MANUAL"


# Frequencies each scan type accepts (API_RegistryScanningRule: ENHANCED supports CONTINUOUS_SCAN
# and SCAN_ON_PUSH; BASIC supports SCAN_ON_PUSH, MANUAL being what unmatched repositories get).
_FREQUENCIES = {
    BASIC: (SCAN_ON_PUSH, MANUAL),
    ENHANCED: (SCAN_ON_PUSH, CONTINUOUS_SCAN),
}


class ScanningConfiguration:
    """Registry state: the configuration PutRegistryScanningConfiguration stored, if any."""

    def __init__(self) -> None:
        self.config: Optional[dict[str, Any]] = None


def configuration(registry: Registry) -> dict[str, Any]:
    """The registry's configuration: ``{"scanType", "rules"}`` (BASIC with no rules by default)."""
    stored = registry.state(ScanningConfiguration).config
    return stored if stored is not None else {"scanType": BASIC, "rules": []}


def scan_type(registry: Registry) -> str:
    return str(configuration(registry)["scanType"])


def put_configuration(registry: Registry, scan_type: Optional[str], rules: Optional[list[Any]]) -> dict[str, Any]:
    """Validate and store a new configuration; return it as the API shows it."""
    kind = scan_type or BASIC
    new_rules = copy.deepcopy(rules or [])
    seen: set[str] = set()
    for rule in new_rules:
        frequency = rule["scanFrequency"]
        if frequency not in _FREQUENCIES[kind]:
            raise invalid_parameter("rules", f"Scan frequency '{frequency}' is not supported for scan type '{kind}'")
        if frequency in seen:
            raise invalid_parameter("rules", f"Duplicate scan frequency '{frequency}' in scanning rules")
        seen.add(frequency)
    config = {"scanType": kind, "rules": new_rules}
    registry.state(ScanningConfiguration).config = config
    return copy.deepcopy(config)


def filter_matches(pattern: str, repository_name: str) -> bool:
    """ECR's scanning filter: without ``*`` it matches names that contain it; with ``*`` the whole name."""
    if "*" not in pattern:
        return pattern in repository_name
    return matches(pattern, repository_name)


class AppliedRule:
    """How a repository is scanned: its frequency, whether it scans on push, the filters that matched."""

    __slots__ = ("frequency", "scan_on_push", "filters")

    def __init__(self, frequency: str, scan_on_push: bool, filters: list[dict[str, str]]) -> None:
        self.frequency = frequency
        self.scan_on_push = scan_on_push
        self.filters = filters


def applied_rule(registry: Registry, repo: Repository) -> AppliedRule:
    """The rule that governs ``repo``; continuous scanning wins over scan on push (user guide)."""
    matched: dict[str, list[dict[str, str]]] = {}
    for rule in configuration(registry)["rules"]:
        hits = [dict(f) for f in rule["repositoryFilters"] if filter_matches(f["filter"], repo.name)]
        if hits:
            matched[rule["scanFrequency"]] = hits
    for frequency in (CONTINUOUS_SCAN, SCAN_ON_PUSH):
        if frequency in matched:
            return AppliedRule(frequency, True, matched[frequency])
    if repo.scan_on_push and scan_type(registry) == BASIC:
        # The repository-level flag still applies under basic scanning.
        return AppliedRule(SCAN_ON_PUSH, True, [])
    return AppliedRule(MANUAL, False, [])
