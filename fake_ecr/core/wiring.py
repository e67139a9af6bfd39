"""Feature wiring: an explicit list of features turned into one operation table and hook lists.

A ``Feature`` declares what a capability adds: its handlers (operation tables) and its hook
subscriptions. ``Wiring`` is built once from an ordered list of features (``fake_ecr.features``
holds the list) when a fake starts, never by a call; the serving core dispatches on it. A test
can build a ``Wiring`` of a few features to serve a smaller fake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Callable, Optional

from fake_ecr.core.hook_kinds import Hook
from fake_ecr.core.hooks import ALL
from fake_ecr.core.operations import Handler, OperationKey, OperationTable


class Subscription:
    """One feature function subscribed to one hook, for every call or only for some."""

    __slots__ = ("hook", "function", "services", "operations")

    def __init__(
        self,
        hook: Hook[Any],
        function: Callable[..., Any],
        services: Optional[frozenset[str]] = None,
        operations: Optional[frozenset[str]] = None,
    ) -> None:
        self.hook = hook
        self.function = function
        self.services = services  # None: calls of every service
        self.operations = operations  # None: calls of every operation

    def concerns(self, service: str, operation: str) -> bool:
        """Whether a call of ``service``'s ``operation`` runs this subscriber."""
        return (self.services is None or service in self.services) and (
            self.operations is None or operation in self.operations
        )

    def scope(self) -> str:
        """The calls this subscriber runs for, in words (the hook table in the docs)."""
        if self.services is None and self.operations is None:
            return "any call"
        parts = [" ".join(sorted(self.services))] if self.services is not None else []
        if self.operations is not None:
            parts.append(", ".join(sorted(self.operations)))
        return ": ".join(parts)


def on(
    hook: Hook[Any],
    function: Callable[..., Any],
    *,
    services: Optional[Iterable[str]] = None,
    operations: Optional[Iterable[str]] = None,
) -> Subscription:
    """``function`` subscribed to ``hook`` (typed by the hook's declaration). With ``services``
    or ``operations``, only calls of those run it: the wiring leaves it out of every other call's
    hooks, so a call does not pay a function call to learn that a feature has nothing to do."""
    return Subscription(
        hook,
        function,
        frozenset(services) if services is not None else None,
        frozenset(operations) if operations is not None else None,
    )


class Feature:
    """One capability of the fake: a name, a line of docs, its handlers and its subscriptions."""

    def __init__(
        self,
        name: str,
        doc: str,
        *,
        operations: Sequence[OperationTable] = (),
        subscriptions: Sequence[Subscription] = (),
    ) -> None:
        self.name = name
        self.doc = doc
        self.operations = tuple(operations)
        self.subscriptions = tuple(subscriptions)

    def __repr__(self) -> str:
        return f"<Feature {self.name}>"


class Wiring:
    """The operation table and the hook subscribers of a list of features, in that order."""

    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = tuple(features)
        self.handlers: dict[OperationKey, Handler] = {}
        self._subscriptions: dict[Hook[Any], list[Subscription]] = {}
        # The hooks of each (service, operation) a call was made for, worked out on its first call.
        self._hooks_by_call: dict[tuple[str, str], dict[Hook[Any], tuple[Callable[..., Any], ...]]] = {}
        self._owners: dict[OperationKey, str] = {}
        for feature in self.features:
            for table in feature.operations:
                for key, handler in table.items():
                    if key in self.handlers:
                        raise RuntimeError(
                            f"fake_ecr: {key[0]}.{key[1]} is served by both {self._owners[key]} and {feature.name}"
                        )
                    self.handlers[key] = handler
                    self._owners[key] = feature.name
            for subscription in feature.subscriptions:
                self._subscriptions.setdefault(subscription.hook, []).append(subscription)
        # Every subscriber of each hook, in run order (a call reads its own: :meth:`hooks_for`).
        self.by_hook: dict[Hook[Any], tuple[Callable[..., Any], ...]] = {
            hook: tuple(s.function for s in found) for hook, found in self._subscriptions.items()
        }

    def handler(self, service: str, operation: str) -> Optional[Handler]:
        return self.handlers.get((service, operation))

    def subscribers(self, hook: Hook[Any]) -> tuple[Callable[..., Any], ...]:
        """The functions subscribed to ``hook``, in feature order."""
        return self.by_hook.get(hook, ())

    def hooks_for(self, service: str, operation: str) -> dict[Hook[Any], tuple[Callable[..., Any], ...]]:
        """The subscribers a call of ``service``'s ``operation`` runs, by hook (hooks it runs
        none of absent). Made once per (service, operation); two threads that make it at once
        make equal tables, and either one is kept."""
        table = self._hooks_by_call.get((service, operation))
        if table is None:
            table = {}
            for hook, subscriptions in self._subscriptions.items():
                found = tuple(s.function for s in subscriptions if s.concerns(service, operation))
                if found:
                    table[hook] = found
            self._hooks_by_call[(service, operation)] = table
        return table

    def implemented(self, service: str) -> list[str]:
        """Names of the implemented operations of ``service``, sorted."""
        return sorted(op for svc, op in self.handlers if svc == service)

    def table(self) -> list[tuple[str, str, str, str, str]]:
        """(hook, kind, feature, subscriber, calls) rows in run order, for docs and tests."""
        rows = []
        for feature in self.features:
            for subscription in feature.subscriptions:
                function = subscription.function
                rows.append(
                    (
                        subscription.hook.name,
                        subscription.hook.kind,
                        feature.name,
                        f"{function.__module__}.{function.__qualname__}",
                        subscription.scope(),
                    )
                )
        order = {hook.name: index for index, hook in enumerate(ALL)}
        return sorted(rows, key=lambda row: order.get(row[0], len(order)))
