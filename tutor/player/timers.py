"""The workers' timers as a lesson reads them: which messages wait for their ETA, and how long.

The engine's timer view (`Snapshot.timer`) gives each waiting message with its worker, its ETA and
the seconds left in the run's own time (the learner's pauses do not count). A message the
snapshot lists only in `Snapshot.scheduled` (task id → ETA text) is shown too, without seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.snapshot import Snapshot


@dataclass(frozen=True)
class TimerEntry:
    """One message waiting in a worker's timer."""

    task_id: str
    eta: str
    """When it is due, as the engine wrote it."""
    seconds_left: float | None = None
    """Seconds of the run's own time until it is due (None: not known)."""
    worker: str | None = None
    """The worker whose timer holds it (None: not known)."""


def timer_entries(snapshot: Snapshot) -> list[TimerEntry]:
    """Every message waiting in a worker's timer, the soonest first."""
    entries = {
        task_id: TimerEntry(task_id, str(eta)) for task_id, eta in snapshot.scheduled.items()
    }
    for item in snapshot.timer:
        entries[item.task_id] = TimerEntry(item.task_id, item.eta, item.seconds_left, item.worker)
    return sorted(entries.values(), key=lambda e: (e.seconds_left is None, e.seconds_left, e.eta))
