"""The service models fake_ecr loads are exactly what botocore's own loader returns (an internal:
fake_ecr reads them without botocore's listing of every service on disk)."""

from __future__ import annotations

import botocore.loaders
import pytest

from fake_ecr.aws.botocore_data import service_data  # internal, see the module docstring


@pytest.mark.parametrize("service", ["ecr", "ecr-public"])
@pytest.mark.parametrize("type_name", ["service-2", "paginators-1"])
def test_service_data_is_what_botocores_loader_returns(service, type_name):
    expected = botocore.loaders.create_loader().load_service_model(service, type_name)
    assert service_data(service, type_name) == expected
