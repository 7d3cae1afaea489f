"""The beat tap: hears the run's celery beat services (their thread, each due entry, their end)."""

from __future__ import annotations

import threading

from .. import stdin
from ..errors import RunClosed
from .base import TapContext, args_text


class BeatTap:
    """A `BeatListener`: names beat's thread, gives it its turn to send, records what it sends."""

    def __init__(self, context: TapContext) -> None:
        self.context = context

    def clock(self) -> float:
        """The run's own time, which beat's schedule counts (the learner's pauses left out)."""
        return self.context.conductor.clock.now()

    def expect(self, services: int) -> None:
        """`services` beat services are about to start: the run does not finish while they run,
        and its clock stands still until the first advance (time spent before the learner's
        first move is no run time: beat's first send comes one interval into the run)."""
        self.context.conductor.expect(services)
        self.context.conductor.clock.pause()

    def started(self, service: str, schedule: str) -> None:
        """A beat service's thread starts (in that thread)."""
        self.context.trace.name_thread(threading.get_ident(), service)
        stdin.claim_thread()
        app = self.context.app
        if app is not None:
            app.set_current()
        self.context.trace.record("beat", "started", summary=f"{service} started: {schedule}")

    def due(self, service: str, entry: str, task: str, args: object, kwargs: object) -> None:
        """An entry fell due: wait for beat's turn (never during a pause; a task body running
        meanwhile does not delay it), then beat is busy sending. RunClosed once the run closes."""
        conductor = self.context.conductor
        conductor.take_turn(beside_sample=True)
        if conductor.closing:
            conductor.end_work()
            raise RunClosed("the run closed before beat sent its message")
        self.context.trace.record(
            "beat",
            "due",
            summary=f"{service}: entry '{entry}' is due; it sends {task}{args_text(args, kwargs)}",
            data={"entry": entry, "task": task},
        )

    def sent(self, service: str, count: int, last: bool) -> None:
        """Beat is done sending its `count`th message (`last`: the service stops after it)."""
        conductor = self.context.conductor
        if last:
            conductor.expect(-1)
            self.context.trace.record(
                "beat", "stopped", summary=f"{service} was stopped after sending {count} messages"
            )
        conductor.end_work()

    def ended(self, service: str, error: BaseException | None) -> None:
        """A beat service's thread ends before its last message (the run closes, or it failed)."""
        self.context.conductor.expect(-1)
        if error is not None and not self.context.conductor.closing:
            text = f"{type(error).__name__}: {error}"
            self.context.trace.record("beat", "crashed", summary=f"{service} crashed: {text}")
