"""Narration: each stop of the real run as one plain sentence (for screen readers and logs)."""

from __future__ import annotations

from ..engine import Snapshot, Stage


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
