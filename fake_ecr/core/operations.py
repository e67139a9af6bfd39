"""The operation table: which function serves each (service, operation).

Each module in this package serves one resource group and registers its handlers with
``@operation``. The modules are discovered automatically, so adding a feature means adding a
module, with no central list to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, Tuple

if TYPE_CHECKING:
    from fake_ecr.core.serving import Call

Handler = Callable[["Call", Dict[str, Any]], Dict[str, Any]]

HANDLERS: dict[Tuple[str, str], Handler] = {}

_loaded = False
_load_lock = threading.Lock()


def operation(service: str, name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``service``'s operation ``name``."""

    def register(func: Handler) -> Handler:
        key = (service, name)
        if key in HANDLERS:
            raise RuntimeError(f"fake_ecr: two handlers for {service}.{name}")
        HANDLERS[key] = func
        return func

    return register


def load_all() -> dict[Tuple[str, str], Handler]:
    """Import every handler module once and return the full table."""
    global _loaded
    if not _loaded:
        with _load_lock:
            if not _loaded:
                import fake_ecr.features as features

                for module in pkgutil.walk_packages(features.__path__, "fake_ecr.features."):
                    importlib.import_module(module.name)
                _loaded = True
    return HANDLERS


def implemented(service: str) -> list[str]:
    """Names of the implemented operations of ``service``, sorted."""
    return sorted(op for svc, op in load_all() if svc == service)
