"""The run's own time: the time that passed while the run ran, without the learner's pauses.

A run stands still at each stop until the learner moves on. The sample must not see those pauses:
a `get(timeout=1)`, a `countdown=2` and an `expires=1` all measure the run's own time. The clock
keeps the pauses twice: in the trace's clock (for what the learner reads: `pauses()`,
`paused_seconds()`) and in the real monotonic clock (for the waits and timers that must really
elapse: `now()`).
"""

from __future__ import annotations

import threading
import time

from .trace import Trace


class RunClock:
    """The pauses of one run, and the run's own time that follows from them (thread-safe)."""

    def __init__(self, trace: Trace) -> None:
        self._trace = trace
        self._lock = threading.Lock()
        self._pauses: list[tuple[float, float]] = []
        self._total = 0.0
        self._since: float | None = None
        self._real_total = 0.0
        self._real_since: float | None = None

    @property
    def paused(self) -> bool:
        """True while the run stands still for the learner."""
        with self._lock:
            return self._since is not None

    def pause(self) -> None:
        """The run stands still from now on (it is held at a stop for the learner)."""
        with self._lock:
            if self._since is None:
                self._since = self._trace.clock()
                self._real_since = time.monotonic()

    def resume(self) -> None:
        """The learner moved on: the run's own time goes on."""
        with self._lock:
            if self._since is None:
                return
            now = self._trace.clock()
            self._total += now - self._since
            start = self._trace.started_at
            self._pauses.append((self._since - start, now - start))
            self._since = None
            if self._real_since is not None:
                self._real_total += time.monotonic() - self._real_since
                self._real_since = None

    def pauses(self) -> tuple[tuple[float, float], ...]:
        """The intervals (seconds since the run started) during which the run stood still."""
        with self._lock:
            return tuple(self._pauses)

    def paused_seconds(self) -> float:
        """How long the run has stood still so far (trace clock)."""
        with self._lock:
            paused = self._total
            if self._since is not None:
                paused += self._trace.clock() - self._since
            return paused

    def paused_before(self, at: float) -> float:
        """How long the run had stood still before `at` (seconds since the start, trace clock),
        without reading the clock again."""
        with self._lock:
            start = self._trace.started_at
            paused = self._total
            if self._since is not None and at + start > self._since:
                paused += at + start - self._since
            return paused

    def real_paused(self) -> float:
        """How long the run has stood still so far, in real (monotonic) seconds."""
        with self._lock:
            paused = self._real_total
            if self._real_since is not None:
                paused += time.monotonic() - self._real_since
            return paused

    def now(self) -> float:
        """The run's own time, on the monotonic clock's scale: `time.monotonic()` minus every
        pause so far. It stands still while the run does; deadlines and ETAs compare with it."""
        return time.monotonic() - self.real_paused()
