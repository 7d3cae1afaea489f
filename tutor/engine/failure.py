"""What went wrong in a run, in one line: the first real failure a snapshot shows.

A lesson step that is never reached is explained by what really happened (a line of the sample
that raised, a message for a task no worker knows, a worker that crashed), not by the step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .snapshot import Snapshot, TaskView
from .trace import TraceEvent


@dataclass(frozen=True)
class Failure:
    """One real failure of a run."""

    text: str
    """One line: "line 7 raised NameError: name 'ad' is not defined"."""
    line: int | None
    """The sample's line concerned, when known."""
    error: str
    """The failure itself: "NameError: name 'ad' is not defined", "unknown task 'tasks.nope'"."""
    at: float
    """When it happened (seconds since the run started)."""


def first_failure(snapshot: Snapshot, filename: str) -> Failure | None:
    """The earliest failure the run did not mean to show (a line that raised, a rejected message,
    a crash); failing the task bodies come only when there is none of those."""
    unexpected = [*_call_failures(snapshot), *_event_failures(snapshot)]
    if unexpected:
        return min(unexpected, key=lambda failure: failure.at)
    bodies = [_body_failure(task, filename) for task in snapshot.tasks if task.exception]
    found = [failure for failure in bodies if failure is not None]
    return min(found, key=lambda failure: failure.at) if found else None


def _call_failures(snapshot: Snapshot) -> list[Failure]:
    return [
        Failure(
            f"line {call.line} raised {call.error}",
            call.line,
            call.error,
            call.finished_at if call.finished_at is not None else call.started_at,
        )
        for call in snapshot.calls
        if call.error
    ]


def _event_failures(snapshot: Snapshot) -> list[Failure]:
    tasks = {task.id: task for task in snapshot.tasks if task.id}
    found = []
    for event in snapshot.events:
        if event.name == "task_unknown":
            found.append(_unknown(event, tasks.get(event.task_id or "")))
        elif event.name == "task_rejected":
            found.append(Failure(event.summary, None, "message rejected", event.at))
        elif event.name == "crashed":
            text = f"{event.thread} crashed: {event.summary}"
            found.append(Failure(text, None, event.summary, event.at))
    return found


def _unknown(event: TraceEvent, task: TaskView | None) -> Failure:
    name = str(event.data.get("name") or (task.name if task else "?"))
    line = task.published_line if task else None
    sent = f"line {line} sent" if line is not None else "the run sent"
    return Failure(
        f"{sent} a message for the unknown task name '{name}', and {event.thread} rejected it "
        "(no task of that name is registered)",
        line,
        f"unknown task name '{name}'",
        event.at,
    )


def _body_failure(task: TaskView, filename: str) -> Failure | None:
    if task.exception is None or task.exception.startswith("retry requested"):
        return None
    lines = re.findall(rf'File "{re.escape(filename)}", line (\d+)', task.traceback or "")
    line = int(lines[-1]) if lines else None
    where = f" (line {line})" if line is not None else ""
    return Failure(
        f"the task body of {task.name}{where} raised {task.exception}",
        line,
        task.exception,
        task.finished_at if task.finished_at is not None else 0.0,
    )
