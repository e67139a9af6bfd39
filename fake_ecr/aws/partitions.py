"""AWS partitions: the ARN prefix and DNS suffix of a Region, from the partition data botocore ships.

``cn-north-1`` is in partition ``aws-cn``, so its repository ARNs start ``arn:aws-cn:ecr:`` and its
registry is ``<account>.dkr.ecr.cn-north-1.amazonaws.com.cn``; GovCloud (``aws-us-gov``) keeps the
``amazonaws.com`` suffix, the ISO partitions have their own. Every ARN and ``dkr.ecr`` host fake_ecr
builds comes from here. ECR Public lives in ``aws`` only (``us-east-1``) and does not use this.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple, Optional

from fake_ecr.aws.botocore_data import loader

DEFAULT_PARTITION = "aws"


class Partition(NamedTuple):
    name: str
    dns_suffix: str
    region_regex: re.Pattern[str]
    regions: frozenset[str]


@functools.lru_cache(maxsize=1)
def _partitions() -> tuple[Partition, ...]:
    data = loader().load_data("endpoints")
    return tuple(
        Partition(p["partition"], p["dnsSuffix"], re.compile(p["regionRegex"]), frozenset(p.get("regions", ())))
        for p in data["partitions"]
    )


@functools.lru_cache(maxsize=256)
def _find(region: str) -> Optional[Partition]:
    partitions = _partitions()
    for partition in partitions:
        if region in partition.regions:
            return partition
    for partition in partitions:
        if partition.region_regex.match(region):
            return partition
    return None


def partition_of(region: str) -> Optional[str]:
    """The partition of ``region`` (``aws``, ``aws-cn``, ``aws-us-gov``, ...), or None if unknown."""
    found = _find(region)
    return found.name if found is not None else None


@functools.lru_cache(maxsize=256)  # every new repository asks, for its ARN
def partition(region: str) -> str:
    """The partition of ``region``; a Region botocore does not know is taken to be in ``aws``."""
    return partition_of(region) or DEFAULT_PARTITION


@functools.lru_cache(maxsize=256)  # every new repository asks, for its URI
def dns_suffix(region: str) -> str:
    """The DNS suffix of ``region``'s partition (``amazonaws.com``, ``amazonaws.com.cn``, ...)."""
    found = _find(region)
    return found.dns_suffix if found is not None else "amazonaws.com"


def arn(service: str, region: str, account_id: str, resource: str, *, regional: bool = True) -> str:
    """``arn:<partition>:<service>:<region>:<account>:<resource>`` for a resource in ``region``.

    With ``regional=False`` (IAM) the Region field stays empty but still picks the partition.
    """
    return f"arn:{partition(region)}:{service}:{region if regional else ''}:{account_id}:{resource}"


def registry_host(registry_id: str, region: str) -> str:
    """The registry's Docker endpoint host: ``<account>.dkr.ecr.<region>.<dns suffix>``."""
    return f"{registry_id}.dkr.ecr.{region}.{dns_suffix(region)}"
