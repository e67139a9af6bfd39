"""The botocore service models of ``ecr`` and ``ecr-public``: the single source of truth.

Operation names, input and output shapes, constraints and modeled errors all come from the
models that the installed botocore ships, so fake_ecr follows botocore upgrades by itself.
"""

from __future__ import annotations

import functools

from botocore.model import OperationModel, ServiceModel

from fake_ecr.aws.botocore_data import service_data

SERVICES = ("ecr", "ecr-public")


@functools.cache
def service_model(service: str) -> ServiceModel:
    """The installed botocore model of ``service`` (``"ecr"`` or ``"ecr-public"``)."""
    if service not in SERVICES:
        raise ValueError(f"fake_ecr serves {SERVICES}, not {service!r}")
    return ServiceModel(service_data(service), service_name=service)


def operation_model(service: str, operation: str) -> OperationModel:
    return service_model(service).operation_model(operation)


def operation_names(service: str) -> list[str]:
    return list(service_model(service).operation_names)
