"""One boto3 client per service and Region per process, lent to each test with its own events.

Building a boto3 client costs milliseconds, more than most tests' calls, so the client fixtures
build one per process and lend it to every test. Nothing leaks between tests: state and recorded
calls live in each test's fake, and a test sees the client's event handlers as they were when
the client was built. A test that registers or unregisters a handler (a ``Stubber``, a
``before-call`` handler of its own) works on a private copy of the handler registry, made on its
first change and dropped when the test ends; a test that never changes them copies nothing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from typing import Any

from fake_ecr import FakeECR

_CLIENTS: dict[tuple[str, str], Any] = {}


def lend(fake: FakeECR, service: str, region: str) -> Iterator[Any]:
    """The process's client for ``service`` in ``region``, with handler changes undone afterwards."""
    client = _CLIENTS.get((service, region))
    if client is None:
        client = _CLIENTS[(service, region)] = fake.client(service, region=region)
    aliaser = client.meta.events  # botocore's EventAliaser, shared with the client's endpoint
    shared = aliaser._emitter
    aliaser._emitter = _TestEvents(shared)
    try:
        yield client
    finally:
        aliaser._emitter = shared


class _TestEvents:
    """A client's event handlers as one test sees them: the shared registry until the test
    changes it, then a copy of its own (botocore's emitter copies its handlers on ``copy``)."""

    def __init__(self, shared: Any) -> None:
        self._emitter = shared  # the shared registry, until the test's first change copies it
        self._copied = False
        self._copying = threading.Lock()  # threads of one test registering at once copy once

    def _writable(self) -> Any:
        with self._copying:
            if not self._copied:
                self._emitter = copy.copy(self._emitter)
                self._copied = True
            return self._emitter

    def emit(self, event_name: str, **kwargs: Any) -> Any:
        return self._emitter.emit(event_name, **kwargs)

    def emit_until_response(self, event_name: str, **kwargs: Any) -> Any:
        return self._emitter.emit_until_response(event_name, **kwargs)

    def register(self, *args: Any, **kwargs: Any) -> Any:
        return self._writable().register(*args, **kwargs)

    def register_first(self, *args: Any, **kwargs: Any) -> Any:
        return self._writable().register_first(*args, **kwargs)

    def register_last(self, *args: Any, **kwargs: Any) -> Any:
        return self._writable().register_last(*args, **kwargs)

    def unregister(self, *args: Any, **kwargs: Any) -> Any:
        return self._writable().unregister(*args, **kwargs)

    def __copy__(self) -> Any:
        return copy.copy(self._emitter)

    def __getattr__(self, name: str) -> Any:
        # Anything else botocore's emitter offers: treated as a change, to be safe.
        return getattr(self._writable(), name)
