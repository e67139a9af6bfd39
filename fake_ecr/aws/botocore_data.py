"""One botocore data loader for the whole package (a loader lists every service on disk once)."""

from __future__ import annotations

import functools

import botocore.loaders


@functools.cache
def loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()
