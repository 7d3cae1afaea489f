"""The values a lesson's {placeholders} may use, read from one snapshot of the real run."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.crossref import task_matches
from ..engine import BeatEntryView, Snapshot, Stage, TaskView
from .timers import timer_entries


class _Undefined:
    """The value of something the run has not produced yet."""

    def __repr__(self) -> str:
        return "undefined"

    def __str__(self) -> str:
        return "undefined"


UNDEFINED: Any = _Undefined()
"""Stands for a value the run has not produced yet (shown as "undefined")."""


class MissingValue(LookupError):
    """A placeholder names something the run has not produced yet."""


@dataclass(frozen=True)
class Fields:
    """Attribute access over a mapping, for placeholders like {queue.depth}."""

    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _task_fields(task: TaskView | None) -> Any:
    if task is None:
        return UNDEFINED
    return Fields(
        {
            "id": task.id or "direct call",
            "short_id": task.short_id,
            "name": task.name,
            "args": list(task.args),
            "kwargs": dict(task.kwargs),
            "queue": task.queue or "none",
            "state": task.state,
            "arguments": dict(task.arguments),
            "locals": dict(task.locals) if task.started_at is not None else {},
            "return_value": task.return_value if task.returned else UNDEFINED,
            "exception": task.exception or UNDEFINED,
            "executed_by": task.executed_by or UNDEFINED,
            "received_by": task.received_by or UNDEFINED,
            "published_by": task.published_by or UNDEFINED,
            "runtime_ms": UNDEFINED if task.runtime_ms is None else task.runtime_ms,
            "stored": task.stored if task.stored is not None else UNDEFINED,
            "direct": task.direct,
            "retries": task.retries,
            "eta": task.eta or UNDEFINED,
            "traceback": task.traceback.strip("\n") if task.traceback else UNDEFINED,
        }
    )


def main_task(snapshot: Snapshot, name: str | None = None) -> TaskView | None:
    """The task a step speaks of: with `name` ("tasks.divide" or "divide"), the newest task of
    that name; else the first one sent as a message, else the first one called."""
    if name is not None:
        return next((t for t in reversed(snapshot.tasks) if task_matches(name, t.name)), None)
    for task in snapshot.tasks:
        if not task.direct:
            return task
    return snapshot.tasks[0] if snapshot.tasks else None


def _queues(snapshot: Snapshot) -> dict[str, Fields]:
    names = list(snapshot.queues)
    names += [q for worker in snapshot.workers for q in worker.queues if q not in names]
    return {name: Fields({"name": name, "depth": snapshot.queue_depth(name)}) for name in names}


def _timer(snapshot: Snapshot) -> Fields:
    entries = timer_entries(snapshot)
    soonest = entries[0] if entries else None
    return Fields(
        {
            "count": len(entries),
            "next_eta": soonest.eta if soonest else UNDEFINED,
            "seconds_left": UNDEFINED
            if soonest is None or soonest.seconds_left is None
            else soonest.seconds_left,
        }
    )


def _beat(entry: BeatEntryView) -> Fields:
    return Fields(
        {
            "name": entry.name,
            "service": entry.service,
            "task": entry.task,
            "every": entry.every,
            "sent": entry.total_run_count,
            "seconds_left": UNDEFINED if entry.seconds_left is None else entry.seconds_left,
            "status": "running" if entry.active else "stopped",
        }
    )


COMMIT_WAIT_STATUS = "about to COMMIT, waiting for the workers"
"""{caller.status} while the main app's COMMIT lets the workers go first (a Django run)."""


def build_context(snapshot: Snapshot, task_name: str | None = None) -> dict[str, Any]:
    """Everything a placeholder may name, from one snapshot (values not produced yet: UNDEFINED).

    `task_name` chooses the task {task.*} means (see `main_task`)."""
    task = main_task(snapshot, task_name)
    calls = [
        Fields(
            {
                "line": call.line,
                "source": call.source,
                "thread": call.thread,
                "work_ms": UNDEFINED if call.work_ms is None else call.work_ms,
                "waited_ms": call.waited_ms,
                "at_commit": call.at_commit,
                "value": call.value if call.done and call.value_type else UNDEFINED,
                "value_type": call.value_type or UNDEFINED,
                "error": call.error or UNDEFINED,
                "done": call.done,
            }
        )
        for call in snapshot.calls
    ]
    queue_name = (task.queue if task and task.queue else None) or next(
        iter(snapshot.queues), "celery"
    )
    workers = [
        Fields(
            {"name": w.name, "status": w.status, "thread": w.thread, "queues": ", ".join(w.queues)}
        )
        for w in snapshot.workers
    ]
    beats = [_beat(entry) for entry in snapshot.beat]
    caller_status = "finished" if snapshot.caller_done else "running"
    if snapshot.stage is Stage.CALLING:
        caller_status = "about to run a line"
    elif snapshot.calls and snapshot.calls[-1].at_commit:
        caller_status = COMMIT_WAIT_STATUS
    return {
        "task": _task_fields(task),
        "tasks": [_task_fields(t) for t in snapshot.tasks],
        "call": calls[-1] if calls else UNDEFINED,
        "calls": calls,
        "queue": Fields({"name": queue_name, "depth": snapshot.queue_depth(queue_name)}),
        "queues": _queues(snapshot),
        "timer": _timer(snapshot),
        "beat": beats[0] if beats else UNDEFINED,
        "beats": beats,
        "depth": snapshot.depth,
        "worker": workers[0] if workers else UNDEFINED,
        "workers": workers,
        "stop": Fields(
            {
                "stage": str(snapshot.stage),
                "thread": snapshot.stop.thread,
                "detail": snapshot.stop.detail,
                "line": snapshot.stop.line or UNDEFINED,
            }
        ),
        "backend": Fields(
            {
                "kind": snapshot.backend.kind,
                "configured": snapshot.backend.configured,
                "entries": len(snapshot.backend.entries),
                "ignore_result": snapshot.backend.ignore_result,
            }
        ),
        "task_names": ", ".join(snapshot.task_names) or "none",
        "caller": Fields({"status": caller_status, "variables": dict(snapshot.caller_variables)}),
        "elapsed_ms": snapshot.active_time(snapshot.at) * 1000,  # the learner's pauses left out
    }


class _Formatter(string.Formatter):
    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        try:
            value, used = super().get_field(field_name, args, kwargs)
        except (LookupError, AttributeError, TypeError) as exc:
            raise MissingValue(field_name) from exc
        if value is UNDEFINED:
            raise MissingValue(field_name)
        return value, used


_FORMATTER = _Formatter()


def fill(template: str, context: Mapping[str, Any] | None, missing: str = "…") -> str:
    """The template with its placeholders filled; `missing` when any value is not there yet."""
    if context is None:
        return missing if _has_placeholders(template) else template
    try:
        return _FORMATTER.vformat(template, (), context)
    except MissingValue:
        return missing
    except (ValueError, TypeError):
        return missing


def _has_placeholders(template: str) -> bool:
    return any(name is not None for _, name, _, _ in string.Formatter().parse(template))
