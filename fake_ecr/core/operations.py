"""Operation tables: which function serves each (service, operation).

Each handler module keeps its own small table and fills it with a decorator::

    operations = OperationTable()

    @operations.serves("ecr", "PutImageTagMutability")
    def put_image_tag_mutability(call: Call, params: dict[str, Any]) -> dict[str, Any]: ...

A feature lists its handler modules' tables in its ``Feature`` declaration, and
``fake_ecr.core.wiring.Wiring`` merges the tables of every feature into the one table the serving
core dispatches on (refusing two handlers for one operation).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable

from fake_ecr.core.service_models import operation_names

if TYPE_CHECKING:
    from fake_ecr.core.call import Call

Handler = Callable[["Call", dict[str, Any]], dict[str, Any]]
OperationKey = tuple[str, str]


class OperationTable:
    """The handlers of one module, keyed by (service, operation name)."""

    def __init__(self) -> None:
        self._handlers: dict[OperationKey, Handler] = {}
        self._if_modeled: set[OperationKey] = set()

    def serves(self, service: str, name: str, *, if_modeled: bool = False) -> Callable[[Handler], Handler]:
        """Register the decorated function as the handler of ``service``'s operation ``name``.

        ``if_modeled``: serve it only where the installed botocore models the operation (newer
        operations, such as replication backfills, exist only in recent botocore releases).
        """

        def register(func: Handler) -> Handler:
            key = (service, name)
            if key in self._handlers:
                raise RuntimeError(f"fake_ecr: two handlers for {service}.{name}")
            self._handlers[key] = func
            if if_modeled:
                self._if_modeled.add(key)
            return func

        return register

    def items(self) -> Iterator[tuple[OperationKey, Handler]]:
        """The (key, handler) pairs to serve with the installed botocore."""
        for key, handler in self._handlers.items():
            if key in self._if_modeled and key[1] not in operation_names(key[0]):
                continue
            yield key, handler

    def __len__(self) -> int:
        return len(self._handlers)
