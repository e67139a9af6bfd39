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
    """One feature function subscribed to one hook."""

    __slots__ = ("hook", "function")

    def __init__(self, hook: Hook[Any], function: Callable[..., Any]) -> None:
        self.hook = hook
        self.function = function


def on(hook: Hook[Any], function: Callable[..., Any]) -> Subscription:
    """``function`` subscribed to ``hook`` (typed by the hook's declaration)."""
    return Subscription(hook, function)


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
        self._subscribers: dict[Hook[Any], list[Callable[..., Any]]] = {}
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
                self._subscribers.setdefault(subscription.hook, []).append(subscription.function)
        # What calls read: the subscribers of each hook, in run order (see ``fake_ecr.core.call``).
        self.by_hook: dict[Hook[Any], tuple[Callable[..., Any], ...]] = {
            hook: tuple(found) for hook, found in self._subscribers.items()
        }

    def handler(self, service: str, operation: str) -> Optional[Handler]:
        return self.handlers.get((service, operation))

    def subscribers(self, hook: Hook[Any]) -> tuple[Callable[..., Any], ...]:
        """The functions subscribed to ``hook``, in feature order."""
        return self.by_hook.get(hook, ())

    def implemented(self, service: str) -> list[str]:
        """Names of the implemented operations of ``service``, sorted."""
        return sorted(op for svc, op in self.handlers if svc == service)

    def table(self) -> list[tuple[str, str, str, str]]:
        """(hook, kind, feature, subscriber) rows in run order, for docs and tests."""
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
                    )
                )
        order = {hook.name: index for index, hook in enumerate(ALL)}
        return sorted(rows, key=lambda row: order.get(row[0], len(order)))
