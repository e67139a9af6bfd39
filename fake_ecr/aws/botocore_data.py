"""One botocore data loader for the whole package (a loader lists every service on disk once)."""

from __future__ import annotations

import functools
import os
from typing import Any

import botocore.loaders
from botocore.exceptions import DataNotFoundError


@functools.cache
def loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def service_data(service: str, type_name: str = "service-2") -> Any:
    """A service's latest model, as ``Loader.load_service_model`` returns it (extras applied).

    Without listing every service on disk first, as ``load_service_model`` does to check the name
    (about 10 ms, a process's first fake paid it): fake_ecr asks only for the services it serves.
    """
    data_loader = loader()
    version = data_loader.determine_latest_version(service, type_name)
    model = data_loader.load_data(os.path.join(service, version, type_name))
    extras = []
    for extras_type in data_loader.extras_types:
        try:
            extras.append(data_loader.load_data(os.path.join(service, version, f"{type_name}.{extras_type}-extras")))
        except DataNotFoundError:
            pass
    botocore.loaders.ExtrasProcessor().process(model, extras)
    return model
