"""ECR's ``WILDCARD`` filters: ``*`` matches any run of characters, everything else is literal.

Used by tag-mutability exclusions, lifecycle ``tagPatternList`` and scanning/signing repository
filters, so it lives in one place.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from re import Pattern


@functools.lru_cache(maxsize=1024)
def compile_wildcard(pattern: str) -> Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def matches(pattern: str, value: str) -> bool:
    """Whether ``value`` as a whole matches the wildcard ``pattern``."""
    return compile_wildcard(pattern).fullmatch(value) is not None


def matches_any(patterns: Iterable[str], value: str) -> bool:
    return any(matches(p, value) for p in patterns)
