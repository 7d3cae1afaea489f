"""The trace: every real event of a run, with a monotonic time and the thread it happened in."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TraceEvent:
    """One real event: a Celery signal, a broker put/get/ack, a worker log line or a caller step."""

    seq: int
    """Order of the event in the run, from 1."""
    at: float
    """Seconds since the run started (time.monotonic based)."""
    thread: str
    """Name of the thread the event happened in."""
    source: str
    """Who reported it: "signal", "broker", "timer", "beat", "caller", "worker" or "log"."""
    name: str
    """The event's own name, e.g. "before_task_publish", "put", "ack", "call-returned"."""
    task_id: str | None = None
    """The task id the event concerns, when there is one."""
    summary: str = ""
    """One line a learner can read."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """Extra facts (queue name, args, duration...): plain, JSON-like values only."""
    run_at: float | None = None
    """Seconds of the run's own time since it started (`at` without the learner's pauses)."""


CLOCK: Callable[[], float] = time.monotonic
"""Where traces read the time (replaceable where a display must not vary, as in UI snapshots)."""


class Trace:
    """A thread-safe, append-only list of the run's events."""

    def __init__(self, thread_names: Mapping[int, str] | None = None) -> None:
        self.clock = CLOCK
        self._events: list[TraceEvent] = []
        self._lock = threading.Lock()
        self._start = self.clock()
        self._names: dict[int, str] = dict(thread_names or {})
        self._threads: dict[int, threading.Thread] = {}
        """The thread each named ident was when named: an ident is reused once its thread ends,
        and a new thread of another run alive at the same time must not pass for this run's."""
        self.paused_before: Callable[[float], float] | None = None
        """How long the run had stood still before a time (set by the run's clock)."""

    @property
    def started_at(self) -> float:
        """The clock's time when the run started; event times are relative to it."""
        return self._start

    def name_thread(self, ident: int, name: str) -> None:
        """Give a thread the name events will show for it."""
        thread = next((t for t in threading.enumerate() if t.ident == ident), None)
        with self._lock:
            self._names[ident] = name
            if thread is not None:
                self._threads[ident] = thread

    def _known(self, ident: int) -> str | None:
        """(Lock held.) The name given to `ident`, unless that was another thread's ident."""
        thread = self._threads.get(ident)
        current = ident == threading.get_ident()
        if thread is not None and current and thread is not threading.current_thread():
            return None
        return self._names.get(ident)

    def thread_name(self, ident: int | None = None) -> str:
        """The name shown for a thread (the current one by default)."""
        if ident is None:
            ident = threading.get_ident()
        with self._lock:
            known = self._known(ident)
        return known or threading.current_thread().name

    def owns_current_thread(self) -> bool:
        """True when the calling thread belongs to this run."""
        with self._lock:
            return self._known(threading.get_ident()) is not None

    def now(self) -> float:
        """Seconds since the run started."""
        return self.clock() - self._start

    def record(
        self,
        source: str,
        name: str,
        *,
        task_id: str | None = None,
        summary: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> TraceEvent:
        """Append one event that happens now, in the calling thread."""
        thread = self.thread_name()
        paused_before = self.paused_before
        with self._lock:
            at = self.clock() - self._start
            run_at = None if paused_before is None else max(0.0, at - paused_before(at))
            event = TraceEvent(
                seq=len(self._events) + 1,
                at=at,
                run_at=run_at,
                thread=thread,
                source=source,
                name=name,
                task_id=task_id,
                summary=summary,
                data=dict(data or {}),
            )
            self._events.append(event)
        return event

    def events(self) -> tuple[TraceEvent, ...]:
        """Every event so far, oldest first."""
        with self._lock:
            return tuple(self._events)

    def __len__(self) -> int:
        with self._lock:
            return len(self._events)
