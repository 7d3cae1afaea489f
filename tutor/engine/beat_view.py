"""What a snapshot shows of what waits outside the queues: tasks in a worker's timer, and each
entry of the run's celery beat services, as Celery keeps it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ledger import LedgerSnapshot


@dataclass(frozen=True)
class BeatEntryView:
    """One entry of a beat service's schedule, read from Celery's own `ScheduleEntry`."""

    service: str
    """The beat service that keeps it ("beat"; "beat-2" for a second one)."""
    name: str
    """The entry's name in beat_schedule."""
    task: str
    """The task it sends ("tasks.send_report")."""
    every: float
    """Its interval, in seconds of the run's own time."""
    schedule: str
    """Celery's schedule as Celery writes it ("<freq: 2.00 seconds>")."""
    total_run_count: int
    """How many times beat sent it so far."""
    last_run_at: str | None
    """When beat last sent it (ISO text, on the run's clock); None before the first time."""
    seconds_left: float | None
    """Run time left until it is due again (the learner's pauses do not count); None once the
    service stopped."""
    active: bool
    """Whether the service still runs (False once it was stopped)."""
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TimerEntryView:
    """A task waiting in a worker's timer for its countdown/ETA (outside any queue)."""

    task_id: str
    task_name: str
    worker: str
    eta: str
    """The message's ETA as Celery wrote it (ISO text)."""
    seconds_left: float
    """Run time left until it falls due (the learner's pauses do not count); 0 when due."""


def timer_views(ledger: LedgerSnapshot, now: float) -> tuple[TimerEntryView, ...]:
    """Every task waiting in a worker's timer (`now` on the run's clock), soonest first."""
    entries = []
    for task_id, eta in ledger.in_timer.items():
        record = ledger.task(task_id)
        due = None if record is None else record.timer_due
        entries.append(
            TimerEntryView(
                task_id=task_id,
                task_name="" if record is None else record.name,
                worker="" if record is None else record.timer_worker or "",
                eta=(record.eta if record is not None else None) or eta,
                seconds_left=0.0 if due is None else round(max(0.0, due - now), 3),
            )
        )
    return tuple(sorted(entries, key=lambda entry: entry.seconds_left))
