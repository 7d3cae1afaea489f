"""The ledger: what a run knows of each task and each call, kept under one lock.

The taps write to it as events come in; snapshot assembly reads it through `snapshot()`, which
returns copies taken under the lock, so nobody outside reaches into the lock or sees a half-made
update.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from .records import CallRecord, TaskRecord


@dataclass(frozen=True)
class LedgerSnapshot:
    """A consistent copy of the ledger at one moment (records are copies, safe to read)."""

    tasks: tuple[TaskRecord, ...]
    """Every task seen, in the order first seen."""
    calls: tuple[CallRecord, ...]
    """Every statement the caller started, in order."""
    in_timer: dict[str, str]
    """Task id → ETA text, for tasks waiting in a worker's timer."""
    busy_with: dict[str, str | None]
    """Worker name → the key of the task it holds (None when idle)."""

    def task(self, key: str) -> TaskRecord | None:
        """The record of the task with this key, if seen."""
        return next((record for record in self.tasks if record.key == key), None)


class Ledger:
    """Task records, call records, timer entries and worker occupation of one run (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._tasks: dict[str, TaskRecord] = {}
        self._calls: list[CallRecord] = []
        self._in_timer: dict[str, str] = {}
        self._busy_with: dict[str, str | None] = {}

    # ------------------------------------------------------------------ tasks
    def update(self, key: str, name: str = "", **fields: Any) -> TaskRecord:
        """Create or update the record of task `key`; return a copy of it after the update."""
        with self._lock:
            record = self._tasks.get(key)
            if record is None:
                record = self._tasks[key] = TaskRecord(key=key, name=name)
            elif name and not record.name:
                record.name = name
            _assign(record, fields)
            return copy.copy(record)

    def get(self, key: str) -> TaskRecord | None:
        """A copy of the record of task `key`, if seen."""
        with self._lock:
            record = self._tasks.get(key)
            return None if record is None else copy.copy(record)

    # ------------------------------------------------------------------ calls
    def add_call(self, record: CallRecord) -> None:
        """The caller starts a statement."""
        with self._lock:
            self._calls.append(record)

    def update_call(self, record: CallRecord, **fields: Any) -> None:
        """Fill in what a statement did (value, error, times)."""
        with self._lock:
            _assign(record, fields)

    def add_wait(self, seconds: float) -> None:
        """The caller's current statement waited `seconds` (run time) for a result."""
        with self._lock:
            for record in reversed(self._calls):
                if record.finished_at is None:
                    record.waited_seconds += seconds
                    return

    def at_commit(self, waiting: bool) -> None:
        """The caller's current statement waits at a transaction's COMMIT (True) or no longer."""
        with self._lock:
            for record in reversed(self._calls):
                if record.finished_at is None:
                    record.at_commit = waiting
                    return

    # ------------------------------------------------------------------ timers
    def waits_in_timer(self, task_id: str, eta: str) -> None:
        """A task waits in a worker's timer until `eta`."""
        with self._lock:
            self._in_timer[task_id] = eta

    def left_timer(self, task_id: str) -> None:
        """The timer fired the task's entry."""
        with self._lock:
            self._in_timer.pop(task_id, None)

    # ------------------------------------------------------------------ workers
    def worker_joined(self, worker: str) -> None:
        """A worker's thread started; it holds no task."""
        with self._lock:
            self._busy_with[worker] = None

    def worker_holds(self, worker: str, key: str, *, only_known: bool = False) -> None:
        """`worker` holds task `key` now (with only_known: only if the worker is known)."""
        with self._lock:
            if not only_known or worker in self._busy_with:
                self._busy_with[worker] = key

    def worker_released(self, worker: str, key: str | None) -> None:
        """`worker` is done with task `key` (nothing changes if it holds another one)."""
        with self._lock:
            if self._busy_with.get(worker) == key:
                self._busy_with[worker] = None

    # ------------------------------------------------------------------ reading
    def sent_keys(self) -> list[str]:
        """The ids of the task messages sent so far (direct calls left out), oldest first."""
        with self._lock:
            return [key for key, record in self._tasks.items() if not record.direct]

    def snapshot(self) -> LedgerSnapshot:
        """A consistent copy of everything in the ledger now."""
        with self._lock:
            return LedgerSnapshot(
                tasks=tuple(copy.copy(record) for record in self._tasks.values()),
                calls=tuple(copy.copy(record) for record in self._calls),
                in_timer=dict(self._in_timer),
                busy_with=dict(self._busy_with),
            )


def _assign(record: TaskRecord | CallRecord, fields: dict[str, Any]) -> None:
    """Set existing fields of a record (a misspelt field name raises, never adds an attribute)."""
    for attribute, value in fields.items():
        if not hasattr(record, attribute):
            raise AttributeError(f"{type(record).__name__} has no field {attribute!r}")
        setattr(record, attribute, value)
