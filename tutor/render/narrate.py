"""Narration: each stop of the real run as one plain sentence (for screen readers and logs)."""

from __future__ import annotations

from ..engine import Snapshot, Stage
from .canvas import canvas_lines


def sentence(snapshot: Snapshot) -> str:
    """One sentence: when, in which thread, what happened, and the queue and task state."""
    stop = snapshot.stop
    task = snapshot.task_by_id(stop.task_id) if stop.task_id else None
    at_ms = snapshot.active_time(snapshot.at) * 1000
    where = "" if stop.thread in ("-", "") else f" in {stop.thread}"
    facts = [f"queue depth {snapshot.depth}"]
    if task is not None:
        facts.append(f"task {task.short_id} state {task.state}")
    if snapshot.stage is Stage.FINISHED and snapshot.task is not None:
        facts.append(f"task state {snapshot.task.state}")
    detail = stop.detail.rstrip(".") or str(stop.stage)
    return f"At {at_ms:.1f} ms, {stop.stage}{where}: {detail}; {', '.join(facts)}."


def canvas_narration(previous: Snapshot | None, snapshot: Snapshot) -> list[str]:
    """The canvas graph's text form where it changed since the previous stop: the whole of it the
    first time it appears, then only its lines that are new (one line per node and edge)."""
    now = canvas_lines(snapshot)
    before = canvas_lines(previous)
    if now == before:
        return []
    if not before:
        return ["Canvas graph:", *(f"  {line}" for line in now)]
    seen = set(before)
    return ["Canvas graph changed:", *(f"  {line}" for line in now if line not in seen)]
