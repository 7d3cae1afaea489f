"""The main app's COMMIT, held for the workers: the race a fast worker wins, shown every time.

A view that publishes a message inside a database transaction races the workers: the message is
in the queue before the transaction commits. On a real server a fast worker takes it while the
view still has work left in its block, and its queries do not see the uncommitted rows. The tutor
plays that interleaving every time: when the main app (the caller thread) is about to COMMIT, it
first waits, as it does in get() (the run goes on one stop at a time, the learner stepping
through the workers' stops), until every task message it published inside the open transaction
was dealt with by a worker: the task finished, or it waits in a worker's timer, or no live worker
consumes its queue. A short limit of the run's own time (COMMIT_WAIT_LIMIT) ends the wait in any
case. Then it commits for real. A rollback waits for nothing.

The trace shows both ends: "commit-waiting" (the main app is about to COMMIT and waits) and
"commit" (the real COMMIT happened, with its time); while it waits, its statement is `at_commit`.
This module knows no database: the project's connection calls `opened()` when a transaction
opens and enters `committing()` around its real commit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .app import POLL_INTERVAL
from .errors import RunClosed
from .ledger import LedgerSnapshot
from .records import TaskRecord
from .stages import CALLER_THREAD
from .taps.base import TapContext

COMMIT_WAIT_LIMIT = 2.0
"""Longest the main app's COMMIT waits for the workers, in seconds of the run's own time."""


class CommitGate:
    """Holds the main app's COMMIT until the workers dealt with what it published meanwhile."""

    def __init__(
        self,
        context: TapContext,
        consumes: Callable[[str], bool],
        limit: float = COMMIT_WAIT_LIMIT,
    ) -> None:
        self._context = context
        self._consumes = consumes
        """Whether a live worker consumes a queue now."""
        self.limit = limit

    def opened(self) -> float:
        """The run's time now (trace scale): a transaction that opens now owns the messages
        published from here on."""
        return self._context.trace.now()

    @contextmanager
    def committing(self, opened_at: float | None) -> Iterator[None]:
        """Around the real COMMIT of the transaction opened at `opened_at`: in the main app,
        first wait for the workers (see the module), then record the commit."""
        context = self._context
        if context.trace.thread_name() != CALLER_THREAD or not context.trace.owns_current_thread():
            yield
            return
        keys = self._published_since(opened_at)
        waited, timed_out = self._wait_for_workers(keys) if keys else (0.0, False)
        yield
        said = f" after waiting {waited * 1000:.0f} ms of run time" if keys else ""
        said += f" (the {self.limit:g} s limit ran out)" if timed_out else ""
        context.trace.record(
            "caller",
            "commit",
            summary=f"COMMIT{said}: the transaction's rows are visible to every connection now",
            data={"messages": len(keys), "waited_ms": waited * 1000, "timed_out": timed_out},
        )

    def _published_since(self, opened_at: float | None) -> list[str]:
        """Ids of the task messages the main app published since `opened_at`."""
        if opened_at is None:
            return []
        return [
            record.key
            for record in self._context.ledger.snapshot().tasks
            if not record.direct
            and record.published_by == CALLER_THREAD
            and record.published_at is not None
            and record.published_at >= opened_at
        ]

    def _dealt_with(self, record: TaskRecord | None, ledger: LedgerSnapshot) -> bool:
        if record is None or record.queue is None or not self._consumes(record.queue):
            return True
        if record.key in ledger.in_timer:  # it runs at its ETA, not now
            return True
        return record.outcome is not None and record.key not in ledger.busy_with.values()

    def _wait_for_workers(self, keys: list[str]) -> tuple[float, bool]:
        """Wait (as a caller in get() does) until a worker dealt with every message of `keys`,
        or the limit ran out. Returns (run seconds waited, whether the limit ran out)."""
        context = self._context
        conductor, clock = context.conductor, context.conductor.clock

        def ready() -> bool:
            ledger = context.ledger.snapshot()
            return all(self._dealt_with(ledger.task(key), ledger) for key in keys)

        if ready():
            return 0.0, False
        messages = f"{len(keys)} message{'s' if len(keys) > 1 else ''}"
        context.trace.record(
            "caller",
            "commit-waiting",
            summary=f"the main app is about to COMMIT; it lets the workers go first with the "
            f"{messages} it published inside the transaction (a fast worker; at most "
            f"{self.limit:g} s)",
            data={"task_ids": list(keys), "limit": self.limit},
        )
        context.ledger.at_commit(True)
        started = clock.now()
        deadline = started + self.limit
        try:
            with conductor.waiting(ready, deadline):
                while not ready() and clock.now() < deadline:
                    if conductor.closing:
                        raise RunClosed("run closed while the main app waited at its COMMIT")
                    time.sleep(POLL_INTERVAL)
        finally:
            context.ledger.at_commit(False)
        waited = clock.now() - started
        context.ledger.add_wait(waited)
        return waited, not ready()
