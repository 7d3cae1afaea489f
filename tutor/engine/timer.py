"""A worker timer that stops at once and tells the run about tasks waiting for their ETA.

Celery's thread timer sleeps with `time.sleep` and its `stop()` cannot wake it, so a worker that
ever used a countdown takes a second to stop. This one waits on its condition instead, and a stop
notifies it. Its entries fall due by the run's own clock: a countdown of 2 s fires after 2 s of
the run, however long the learner paused meanwhile. Entries that carry a task request (countdown,
ETA, retry) are reported to the run, so the run knows a task waits in the timer, not the queue.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from celery.utils import timer2

from .. import compat
from .errors import CutOff


class TimerListener(Protocol):
    """What a RunTimer reports to (the run)."""

    def timer_started(self, timer: RunTimer) -> None:
        """The timer thread started (in that thread)."""

    def clock(self) -> float:
        """The time entries fall due by (the run's own time, on the monotonic scale)."""

    def scheduled(self, timer: RunTimer, request: Any, eta: float) -> float:
        """A task request is about to wait in the timer until `eta` (monotonic, as Celery gave
        it); returns when it falls due on `clock()`'s scale."""

    def fired(self, request: Any) -> None:
        """The timer fired the request's entry, in the timer thread."""

    def fire_done(self, request: Any) -> None:
        """The fired entry returned; the timer thread is idle again."""

    def stop_wait(self, timer: RunTimer) -> float:
        """How long stop() may wait for the timer's thread (0 while it runs a task body the run
        let go of)."""


class RunTimer(timer2.Timer):  # type: ignore[misc]
    """Celery's thread timer, promptly stoppable, reporting task entries to its listener."""

    listener: ClassVar[TimerListener | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stopping = threading.Event()

    def run(self) -> None:
        """Apply entries as they fall due; wait on the condition (not sleep) in between."""
        if self.listener is not None:
            self.listener.timer_started(self)
        compat.timer_begin(self, None if self.listener is None else self.listener.clock)
        condition = compat.timer_condition(self)
        try:
            while not self._stopping.is_set():
                delay = compat.timer_next(self)
                if delay and not self._stopping.is_set():
                    with condition:
                        condition.wait(delay)
        except CutOff:  # the run closed while a task body ran here, and let go of this thread
            pass

    def stop(self) -> None:
        """Stop the thread now, without waiting for the next entry to fall due."""
        self._stopping.set()
        condition = compat.timer_condition(self)
        with condition:
            condition.notify_all()
        wait = 1.0 if self.listener is None else self.listener.stop_wait(self)
        if self.is_alive() and wait > 0:
            self.join(wait)
        compat.timer_ended(self)

    def cancel(self, tref: Any) -> None:
        """Cancel an entry of this timer's. A closing Celery consumer cancels the entries of every
        scheduled request in the process (Celery keeps them in one process-wide set): another
        run's countdown, waiting in that run's own timer, is not this timer's to cancel."""
        if any(scheduled.entry is tref for scheduled in self.queue):
            super().cancel(tref)

    def call_at(
        self,
        eta: float,
        fun: Callable[..., Any],
        args: Any = (),
        kwargs: Any = None,
        priority: int = 0,
    ) -> Any:
        """Schedule `fun` at `eta`; a task request's entry is reported to the listener."""
        listener = self.listener
        request = args[0] if args else None
        if listener is None or not hasattr(request, "eta"):
            return super().call_at(eta, fun, args, kwargs, priority)

        def fire(*fire_args: Any, **fire_kwargs: Any) -> Any:
            listener.fired(request)
            try:
                return fun(*fire_args, **fire_kwargs)
            finally:
                listener.fire_done(request)

        fire.__name__ = getattr(fun, "__name__", "fire")
        due = listener.scheduled(self, request, eta)
        return super().call_at(due, fire, args, kwargs, priority)
