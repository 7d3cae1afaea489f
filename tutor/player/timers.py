"""The workers' timers as a lesson reads them: which messages wait for their ETA, and how long.

Today the snapshot says only which task ids wait and until when (`Snapshot.scheduled`, task id →
ETA text). When the engine also gives a timer view with the seconds left (`Snapshot.timer` or
`Snapshot.timers`: entries with `task_id`, `eta` and `seconds_left`, and optionally `worker`),
those are used as well; nothing here needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..engine.snapshot import Snapshot


@dataclass(frozen=True)
class TimerEntry:
    """One message waiting in a worker's timer."""

    task_id: str
    eta: str
    """When it is due, as the engine wrote it."""
    seconds_left: float | None = None
    """Seconds until it is due (None: the engine does not say)."""
    worker: str | None = None
    """The worker whose timer holds it (None: the engine does not say)."""


def _engine_view(snapshot: Snapshot) -> Iterable[object] | None:
    for name in ("timer", "timers"):
        view = getattr(snapshot, name, None)
        if view is None:
            continue
        entries = getattr(view, "entries", view)
        if isinstance(entries, dict):
            entries = entries.values()
        if isinstance(entries, Iterable) and not isinstance(entries, str | bytes):
            return entries
    return None


def timer_entries(snapshot: Snapshot) -> list[TimerEntry]:
    """Every message waiting in a worker's timer, the soonest first."""
    entries = {
        task_id: TimerEntry(task_id, str(eta)) for task_id, eta in snapshot.scheduled.items()
    }
    for item in _engine_view(snapshot) or ():
        task_id = str(getattr(item, "task_id", "") or "")
        if not task_id:
            continue
        left = getattr(item, "seconds_left", None)
        entries[task_id] = TimerEntry(
            task_id,
            str(getattr(item, "eta", None) or entries.get(task_id, TimerEntry("", "")).eta),
            float(left) if isinstance(left, int | float) else None,
            getattr(item, "worker", None),
        )
    return sorted(entries.values(), key=lambda e: (e.seconds_left is None, e.seconds_left, e.eta))
