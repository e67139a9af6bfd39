"""Which operations of each service fake_ecr implements, measured against botocore's model."""

from __future__ import annotations

from ._service_models import SERVICES, operation_names
from .handlers import implemented


def implemented_operations(service: str = "ecr") -> list[str]:
    """The implemented operations of ``service``, sorted."""
    return implemented(service)


def coverage_report() -> str:
    """A text table: per service, implemented/total and the operations still missing."""
    lines = []
    for service in SERVICES:
        every = operation_names(service)
        done = set(implemented(service))
        missing = [op for op in every if op not in done]
        lines.append(f"{service}: {len(done)} of {len(every)} operations implemented")
        for op in every:
            lines.append(f"  [{'x' if op in done else ' '}] {op}")
        if not missing:
            lines.append("  (complete)")
    return "\n".join(lines)
