"""The one clock behind every timestamp fake_ecr produces.

Token expiry, ``imagePushedAt``, lifecycle ages and scan timings all read this clock, so a test
that freezes or advances it sees every time-dependent behaviour move together.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Union

Instant = Union[datetime, float, int]


def _to_epoch(value: Instant) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("fake_ecr clock needs a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
        return value.timestamp()
    return float(value)


def _to_seconds(delta: timedelta | float | int) -> float:
    return delta.total_seconds() if isinstance(delta, timedelta) else float(delta)


class Clock:
    """Wall-clock time that tests can freeze, move and advance.

    Unfrozen, it follows real time (plus any offset from :meth:`advance`). Frozen, it stands
    still until advanced or set.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: float | None = None
        self._offset = 0.0
        self._listeners: list[Callable[[float], None]] = []

    def on_change(self, listener: Callable[[float], None]) -> None:
        """Call ``listener(new_time)`` whenever :meth:`advance` or :meth:`set` moves the clock."""
        self._listeners.append(listener)

    def _moved(self) -> None:
        now = self.time()
        for listener in list(self._listeners):
            listener(now)

    def time(self) -> float:
        """Seconds since the epoch, like :func:`time.time`."""
        frozen = self._frozen_at
        if frozen is not None:
            return frozen
        return time.time() + self._offset

    def now(self) -> datetime:
        """The current time as a timezone-aware UTC datetime."""
        return datetime.fromtimestamp(self.time(), timezone.utc)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def freeze(self, at: Instant | None = None) -> None:
        """Stop the clock, at ``at`` or at the current time."""
        with self._lock:
            self._frozen_at = self.time() if at is None else _to_epoch(at)

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def set(self, at: Instant) -> None:
        """Move the clock to ``at`` (frozen or running, it keeps its mode)."""
        with self._lock:
            target = _to_epoch(at)
            if self._frozen_at is not None:
                self._frozen_at = target
            else:
                self._offset = target - time.time()
        self._moved()

    def advance(self, delta: timedelta | float | int = 0, **units: float) -> None:
        """Move the clock forward by ``delta`` (seconds or timedelta) or by keyword units.

        ``fake.clock.advance(days=31)`` ages every image by a month.
        """
        seconds = _to_seconds(delta) + timedelta(**units).total_seconds()
        if seconds < 0:
            raise ValueError("fake_ecr clock only moves forward; use set() to go back")
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._moved()

    def __repr__(self) -> str:
        mode = "frozen" if self.frozen else "running"
        return f"<fake_ecr Clock {mode} at {self.now().isoformat()}>"
