"""The timer tap: hears the workers' timers, where countdown/ETA tasks wait outside the queue."""

from __future__ import annotations

import threading
from typing import Any

from .. import stdin
from ..stages import Stage
from .base import TapContext


class TimerTap:
    """A `TimerListener`: records timer entries and marks the SCHEDULED stop."""

    def __init__(self, context: TapContext) -> None:
        self.context = context

    def timer_started(self, timer: Any) -> None:
        """A worker's timer thread starts: name it after its worker."""
        worker = getattr(type(timer), "worker_name", "worker")
        self.context.trace.name_thread(threading.get_ident(), f"{worker}-timer")
        threading.current_thread().name = f"{worker}-timer"
        stdin.claim_thread()
        app = self.context.app
        if app is not None:
            app.set_current()

    def clock(self) -> float:
        """The run's own time, which timers compare ETAs with (the learner's pauses left out)."""
        return self.context.conductor.clock.now()

    def scheduled(self, timer: Any, request: Any, eta: Any) -> float:
        """A task waits in a worker's timer for its countdown/ETA. Returns when it falls due on
        the run clock: its countdown counts the run's own time from its publish."""
        task_id = str(getattr(request, "id", ""))
        eta_text = str(getattr(request, "eta", "") or eta)
        due = float(eta) if isinstance(eta, (int, float)) else self.clock()
        record = self.context.ledger.get(task_id)
        if record is not None:
            due -= record.paused_at_publish
        worker = str(getattr(type(timer), "worker_name", "worker"))
        self.context.ledger.update(task_id, timer_due=due, timer_worker=worker)
        self.context.ledger.waits_in_timer(task_id, eta_text)
        self.context.conductor.expect(1)
        self.context.trace.record(
            "timer",
            "scheduled",
            task_id=task_id,
            summary=f"the task waits in the worker's timer until {eta_text}, not in the queue",
            data={"eta": eta_text},
        )
        self.context.conductor.mark(
            Stage.SCHEDULED,
            task_id=task_id,
            task_name=getattr(request, "name", None),
            detail=f"the task waits in the worker's timer until {eta_text}",
        )
        return due

    def fired(self, request: Any) -> None:
        """The timer fired a task entry: its ETA came."""
        task_id = str(getattr(request, "id", ""))
        self.context.conductor.take_turn()  # waits for its turn: nothing else moves
        self.context.conductor.expect(-1)
        self.context.ledger.left_timer(task_id)
        self.context.ledger.update(task_id, timer_due=None)
        self.context.trace.record("timer", "fired", task_id=task_id, summary="the countdown ended")

    def fire_done(self, request: Any) -> None:
        """The timer thread finished the fired entry."""
        self.context.conductor.end_work()

    def stop_wait(self, timer: Any) -> float:
        """How long a stopping timer waits for its thread: not at all while that thread runs a task
        body (the run lets go of it), else up to a second."""
        ident = getattr(timer, "ident", None)
        return 0.0 if ident is not None and self.context.conductor.runs_sample(ident) else 1.0
