"""A real celery beat service inside a run: Celery's own `Scheduler`, in a thread of its own.

The scheduler is the base `celery.beat.Scheduler`: it keeps its schedule in memory (no schedule
file in the learner's directory, unlike the `PersistentScheduler` `celery beat` uses by default).
Each service ticks on the run's own clock: the schedules' `nowfun` is the run's time, so the time
the learner spends reading a stop does not count, and a paused run piles up no beat messages. A
due entry is sent for real, through the run's broker, from the beat thread (before_task_publish
fires there, and the ledger says beat published it). Imported only by a run that has beat.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from celery.beat import Scheduler
from celery.schedules import schedule as every_schedule

from .beat_view import BeatEntryView
from .config import BeatSpec
from .errors import RunClosed, SampleError

TICK_SLICE = 0.05
"""Longest beat's thread waits between two ticks (so a resumed run or a stop is seen at once)."""

STOP_JOIN_TIMEOUT = 1.0


class BeatListener(Protocol):
    """What a beat service reports to (the run's BeatTap)."""

    def clock(self) -> float:
        """The run's own time (monotonic scale, the learner's pauses left out)."""

    def expect(self, services: int) -> None:
        """`services` beat services are about to start: the run is not finished while they run."""

    def started(self, service: str, schedule: str) -> None:
        """The service's thread starts (called in it)."""

    def due(self, service: str, entry: str, task: str, args: object, kwargs: object) -> None:
        """An entry fell due; returns when beat may send it (RunClosed when the run closed)."""

    def sent(self, service: str, count: int, last: bool) -> None:
        """Beat is done with its `count`th message; `last`: the service stops now."""

    def ended(self, service: str, error: BaseException | None) -> None:
        """The thread ends before the last message (the run closed, or `error`)."""


class RunScheduler(Scheduler):  # type: ignore[misc]
    """Celery's in-memory scheduler, reporting each due entry to its service before it sends."""

    tutor_service: RunBeat

    def reserve(self, entry: Any) -> Any:
        """Celery's reserve (the entry's next instance: last run now, one more run), on beat's
        turn."""
        self.tutor_service.due(entry)
        return super().reserve(entry)

    def apply_entry(self, entry: Any, producer: Any = None) -> None:
        """Celery's apply_entry (send the entry's task), then tell the service it was sent."""
        try:
            super().apply_entry(entry, producer=producer)
        finally:
            self.tutor_service.sent_one()


def run_now(clock: Callable[[], float]) -> Callable[[], datetime]:
    """A `nowfun` for Celery's schedules: today's UTC time when called first, then moving on with
    the run's own clock only."""
    epoch, zero = datetime.now(UTC), clock()
    return lambda: epoch + timedelta(seconds=clock() - zero)


def install_schedule(app: Any, spec: BeatSpec, now: Callable[[], datetime]) -> None:
    """Write the schedule into the app's real `beat_schedule` setting (each entry a Celery
    `schedule` counting the run's time). SampleError when an entry names no task of the sample."""
    known = sorted(name for name in app.tasks if not name.startswith("celery."))
    for entry in spec.schedule:
        if entry.task not in app.tasks:
            raise SampleError(
                f"beat entry '{entry.name}' sends {entry.task!r}, which the sample does not "
                f"define (it defines {', '.join(known) or 'no task'})"
            )
    app.conf.beat_schedule = {
        entry.name: {
            "task": entry.task,
            "schedule": every_schedule(entry.every, nowfun=now, app=app),
            "args": tuple(entry.args),
            "kwargs": dict(entry.kwargs),
        }
        for entry in spec.schedule
    }


class RunBeat:
    """One beat service of a run: Celery's scheduler ticking in its own thread until stopped."""

    def __init__(self, app: Any, spec: BeatSpec, name: str, listener: BeatListener) -> None:
        self.name = name
        self.spec = spec
        self.listener = listener
        self.sent = 0
        """Messages sent so far."""
        self.active = True
        self.beat_scheduler = RunScheduler(app, max_interval=1.0)
        self.beat_scheduler.tutor_service = self
        self._stop = threading.Event()
        self._counted = True  # the run expects this service (Run told the conductor)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    @property
    def thread(self) -> threading.Thread:
        """The service's thread."""
        return self._thread

    def start(self) -> None:
        """Start ticking."""
        self._thread.start()

    def due(self, entry: Any) -> None:
        """An entry fell due (in beat's thread): wait for the turn to send it."""
        self.listener.due(self.name, entry.name, entry.task, entry.args, entry.kwargs)

    def sent_one(self) -> None:
        """One message sent (or failed to be); after the last one, the service stops."""
        self.sent += 1
        last = self.sent >= self.spec.stop_after
        if last:
            self.active, self._counted = False, False
            self._stop.set()
        self.listener.sent(self.name, self.sent, last)

    def _loop(self) -> None:
        text = "; ".join(f"{e.name}: {e.task} every {e.every:g} s" for e in self.spec.schedule)
        self.listener.started(self.name, text)
        error: BaseException | None = None
        try:
            while not self._stop.is_set():
                wait = self.beat_scheduler.tick()
                self._stop.wait(max(0.0, min(wait, TICK_SLICE)))
        except RunClosed:
            pass
        except Exception as exc:  # beat itself failed: the run goes on without it
            error = exc
        finally:
            self.active = False
            with contextlib.suppress(Exception):  # the run's broker may be going away too
                self.beat_scheduler.close()
            if self._counted:
                self._counted = False
                self.listener.ended(self.name, error)

    def stop(self) -> None:
        """Stop the service and wait (briefly) for its thread to end."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(STOP_JOIN_TIMEOUT)

    def entries(self) -> tuple[BeatEntryView, ...]:
        """Each entry of the schedule as Celery keeps it now."""
        views = []
        schedule = dict(self.beat_scheduler.schedule)
        for spec in self.spec.schedule:
            entry = schedule.get(spec.name)
            if entry is None:
                continue
            left = None
            if self.active:
                remaining = entry.schedule.remaining_estimate(entry.last_run_at)
                left = round(max(0.0, remaining.total_seconds()), 3)
            count = int(entry.total_run_count)
            views.append(
                BeatEntryView(
                    service=self.name,
                    name=spec.name,
                    task=str(entry.task),
                    every=spec.every,
                    schedule=repr(entry.schedule),
                    total_run_count=count,
                    last_run_at=entry.last_run_at.isoformat() if count else None,
                    seconds_left=left,
                    active=self.active,
                    args=tuple(entry.args),
                    kwargs=dict(entry.kwargs),
                )
            )
        return tuple(views)


def start_beats(app: Any, spec: BeatSpec, listener: BeatListener) -> list[RunBeat]:
    """Install the schedule, then create and start the run's beat services ("beat", "beat-2"...).
    SampleError (nothing started) when an entry names no task of the sample."""
    install_schedule(app, spec, run_now(listener.clock))
    names = ["beat"] + [f"beat-{n}" for n in range(2, spec.services + 1)]
    beats = [RunBeat(app, spec, name, listener) for name in names]
    listener.expect(len(beats))
    for beat in beats:
        beat.start()
    return beats


def services_text(beats: list[RunBeat]) -> str:
    """The run's beat services in words: "beat runs the schedule" (or "2 beat services run...")."""
    many = len(beats) > 1
    return f"{len(beats)} beat services run the schedule" if many else "beat runs the schedule"
