"""ECR lifecycle policies: rule validation, the evaluation engine, previews and real expiry."""

from __future__ import annotations

from fake_ecr.features.lifecycle.engine import Outcome, evaluate
from fake_ecr.features.lifecycle.rules import LifecyclePolicy, Rule, parse_lifecycle_policy

__all__ = ["LifecyclePolicy", "Outcome", "Rule", "evaluate", "parse_lifecycle_policy"]
