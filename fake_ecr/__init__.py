"""fake_ecr: a fast, faithful, in-process fake of Amazon ECR and ECR Public for boto3 tests.

Importing this module installs an inert botocore hook; ``mock_ecr``/``FakeECR`` activate it.
"""

from __future__ import annotations

from fake_ecr.controller import (
    DEFAULT_ACCOUNT_ID,
    DEFAULT_REGION,
    FakeECR,
    LifecycleAction,
    current,
    mock_ecr,
    set_defaults,
)
from fake_ecr.core.clock import Clock, ClockRangeError
from fake_ecr.core.interception import attach, block_real_calls
from fake_ecr.core.interception import install as _install
from fake_ecr.core.recording import RecordedBlob, RecordedCall
from fake_ecr.errors import (
    FakeECRError,
    FakeECRInternalError,
    NoActiveFake,
    UnattributedCall,
    UnsupportedCallsMade,
    UnsupportedOperation,
)
from fake_ecr.image_builder import push_image
from fake_ecr.reports import implemented_operations

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_REGION",
    "Clock",
    "ClockRangeError",
    "FakeECR",
    "FakeECRError",
    "FakeECRInternalError",
    "LifecycleAction",
    "NoActiveFake",
    "RecordedBlob",
    "RecordedCall",
    "UnattributedCall",
    "UnsupportedCallsMade",
    "UnsupportedOperation",
    "attach",
    "block_real_calls",
    "current",
    "implemented_operations",
    "mock_ecr",
    "push_image",
    "set_defaults",
]

__version__ = "0.1.0"

_install()
