"""The one way a thread worker's failure becomes words on screen.

Engine work runs in Textual thread workers that simply return their result or raise. Each widget
that starts such workers has a single `Worker.StateChanged` handler; it calls `outcome()` and acts
on the result or on the failure text, so there is one error path, not one per worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.worker import Worker, WorkerState


@dataclass(frozen=True)
class Outcome:
    """How a worker ended: its result, or why it failed (in plain words)."""

    result: Any = None
    failure: str | None = None


def outcome(event: Worker.StateChanged) -> Outcome | None:
    """The end of a worker, or None while it runs, when it was cancelled, or when the run it
    worked on was closed under it (leaving a screen closes its run: nothing to report).

    It reads the state the event carries, not the worker's state now: a RUNNING event handled
    after the worker already ended must not report the end a second time."""
    from ..engine.errors import RunClosed

    worker = event.worker
    if event.state is WorkerState.SUCCESS:
        return Outcome(result=worker.result)
    if event.state is not WorkerState.ERROR or worker.error is None:
        return None
    error = worker.error
    if isinstance(error, RunClosed):
        return None
    return Outcome(failure=describe(error))


def describe(error: BaseException) -> str:
    """A failure in one line: the tutor's own errors (engine, lesson, content) speak for
    themselves; anything else is named by its type."""
    from ..content.errors import ContentError
    from ..engine.errors import EngineError
    from ..player.lesson_run import LessonMismatch

    if isinstance(error, (EngineError, LessonMismatch, ContentError)):
        return str(error)
    return f"{type(error).__name__}: {error}"
