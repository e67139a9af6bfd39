"""The one clock behind every timestamp fake_ecr produces.

Token expiry, ``imagePushedAt``, lifecycle ages and scan timings all read this clock, so a test
that freezes or advances it sees every time-dependent behaviour move together.
"""

from __future__ import annotations

import inspect
import math
import threading
import time
import weakref
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional, Union

from fake_ecr.errors import FakeECRError

Instant = Union[datetime, float, int]

# The times the clock may show. Every timestamp fake_ecr derives from the clock (a token's 12-hour
# expiry, a scan's next allowed day, replication delays) must stay a valid ``datetime`` in any local
# timezone, which is how botocore hands timestamps back, so the range stops a year short of
# ``datetime.max``. Nothing in ECR predates the Unix epoch.
EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)
_EARLIEST, _LATEST = EARLIEST.timestamp(), LATEST.timestamp()


class ClockRangeError(FakeECRError, ValueError):
    """A clock move outside the range the fake can turn into timestamps; the clock did not move."""


def _out_of_range(what: str, target: object) -> ClockRangeError:
    return ClockRangeError(
        f"fake_ecr clock: {what} would move the clock to {target}, outside the supported range "
        f"{EARLIEST.isoformat()} .. {LATEST.isoformat()}; the clock was not changed"
    )


def _checked(what: str, seconds: float, shown: object = None) -> float:
    if not _EARLIEST <= seconds <= _LATEST:  # also refuses NaN
        raise _out_of_range(what, shown if shown is not None else f"epoch {seconds!r}")
    return seconds


def _to_epoch(value: Instant, what: str) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("fake_ecr clock needs a timezone-aware datetime (e.g. tzinfo=timezone.utc)")
        return _checked(what, value.timestamp(), value.isoformat())
    try:
        return _checked(what, float(value))
    except OverflowError:
        raise _out_of_range(what, f"epoch {value!r}") from None


def _to_seconds(delta: timedelta | float | int) -> float:
    return delta.total_seconds() if isinstance(delta, timedelta) else float(delta)


# A jump of the running clock larger than this between two calls counts as time being moved.
JUMP = 60.0


class Clock:
    """Wall-clock time that tests can freeze, move and advance.

    Unfrozen, it follows real time (plus any offset from :meth:`advance`). Frozen, it stands
    still until advanced or set.
    """

    EARLIEST = EARLIEST  # the earliest time the clock shows (1970-01-01 UTC)
    LATEST = LATEST  # the latest (9999-01-01 UTC): derived timestamps stay valid datetimes

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frozen_at: float | None = None
        self._offset = 0.0
        self._listeners: list[Callable[[], Optional[Callable[[float], None]]]] = []
        self._last_seen: float | None = None

    def on_change(self, listener: Callable[[float], None]) -> None:
        """Call ``listener(new_time)`` whenever the clock is moved: by :meth:`advance` or
        :meth:`set`, or by a time library (time-machine, freezegun) that the fake notices.

        A bound method is held weakly: its object (the controller that owns this clock) would
        otherwise form a cycle with the clock, which only a full garbage collection frees.
        """
        if inspect.ismethod(listener):
            self._listeners.append(weakref.WeakMethod(listener))
        else:
            self._listeners.append(lambda: listener)

    def _tell(self, now: float) -> None:
        for ref in list(self._listeners):
            listener = ref()
            if listener is not None:
                listener(now)

    def _moved(self) -> None:
        now = self.time()
        self._last_seen = now
        self._tell(now)

    def observe(self) -> float:
        """The time, as :meth:`time`; and if the running clock jumped ahead by more than
        :data:`JUMP` seconds since it was last observed (a test moved time with time-machine or
        freezegun, which patch :func:`time.time`), the listeners hear it as a clock move. The
        serving core observes the clock at the start of every call."""
        frozen = self._frozen_at  # :meth:`time`, inline: every call observes the clock
        now = frozen if frozen is not None else time.time() + self._offset
        last, self._last_seen = self._last_seen, now
        if self._frozen_at is None and last is not None and now - last > JUMP:
            self._tell(now)
        return now

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
            self._frozen_at = self.time() if at is None else _to_epoch(at, "freeze()")

    def unfreeze(self) -> None:
        """Let the clock run again from where it stands."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None

    def set(self, at: Instant) -> None:
        """Move the clock to ``at`` (frozen or running, it keeps its mode)."""
        with self._lock:
            target = _to_epoch(at, "set()")
            if self._frozen_at is not None:
                self._frozen_at = target
            else:
                self._offset = target - time.time()
        self._moved()

    def advance(self, delta: timedelta | float | int = 0, **units: float) -> None:
        """Move the clock forward by ``delta`` (seconds or timedelta) or by keyword units.

        ``fake.clock.advance(days=31)`` ages every image by a month.
        """
        try:
            seconds = _to_seconds(delta) + timedelta(**units).total_seconds()
        except OverflowError:
            raise _out_of_range("advance()", f"{delta!r} {units!r} later") from None
        if seconds < 0:
            raise ValueError("fake_ecr clock only moves forward; use set() to go back")
        if math.isnan(seconds):
            raise _out_of_range("advance()", "NaN seconds later")
        with self._lock:
            _checked("advance()", self.time() + seconds)
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        self._moved()

    def __repr__(self) -> str:
        mode = "frozen" if self.frozen else "running"
        return f"<fake_ecr Clock {mode} at {self.now().isoformat()}>"
