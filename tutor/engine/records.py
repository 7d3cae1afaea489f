"""What the run remembers about each task and each call the caller made, as the events come in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON_SCALARS = (int, float, str, bool, type(None))


def plain(value: Any, depth: int = 0) -> Any:
    """A JSON-like copy of `value` (tuples become lists, as on the wire); others: their repr."""
    if isinstance(value, JSON_SCALARS):
        return value
    if depth < 4 and isinstance(value, (list, tuple)):
        return [plain(item, depth + 1) for item in value]
    if depth < 4 and isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {key: plain(item, depth + 1) for key, item in value.items()}
    return repr(value)


@dataclass
class TaskRecord:
    """Everything seen of one task message (or one direct call of a task) so far."""

    key: str
    """The task id, or "direct-N" for the N-th direct call (which has no id)."""
    name: str
    direct: bool = False
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    queue: str | None = None
    eta: str | None = None
    retries: int = 0
    published_by: str | None = None
    published_at: float | None = None
    published_line: int | None = None
    """The sample's line that published the message, when a line of the sample did."""
    received_by: str | None = None
    received_at: float | None = None
    executed_by: str | None = None
    started_at: float | None = None
    finished_at: float | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    """The message's args bound to the task's parameter names (x=4, y=6)."""
    local_values: dict[str, Any] = field(default_factory=dict)
    returned: bool = False
    return_value: Any = None
    exception: str | None = None
    traceback: str | None = None
    """The traceback as plain text (the lines of `traceback_lines`)."""
    exception_type: str | None = None
    """The class name of what the body raised ("ZeroDivisionError"; "Retry" for a retry)."""
    traceback_lines: tuple[str, ...] = ()
    """The traceback, the sample's own frames only, one plain line each."""
    raised: bool = False
    """True once the body raised an exception (a retry request is not counted)."""
    outcome: str | None = None
    """"success", "failure", "retry" or "revoked" once the worker reported it."""
    paused_at_publish: float = 0.0
    """How long (real seconds) the run had stood still when the message was last published:
    its countdown, ETA and expiry count the run's own time from there."""
    timer_due: float | None = None
    """While it waits in a worker's timer: when it falls due, on the run clock's scale."""
    timer_worker: str | None = None
    """The worker whose timer holds it (while it waits there)."""
    publishes: int = 0
    """How many times this id was published (1, then one more for each retry)."""


@dataclass
class CallRecord:
    """One statement the caller ran: when, how long it worked, and what it got back."""

    index: int
    line: int
    source: str
    thread: str
    started_at: float
    finished_at: float | None = None
    paused_seconds: float = 0.0
    value: Any = None
    value_type: str | None = None
    error: str | None = None
    waited_seconds: float = 0.0
    """Run time the statement spent blocked waiting for a result (get(), wait(), join...) or
    at a COMMIT held for the workers (`commit_gate`)."""
    at_commit: bool = False
    """True while the statement waits at a transaction's COMMIT for the workers to go first."""

    @property
    def work_seconds(self) -> float | None:
        """Wall time of the statement minus the time the run stood still for the learner."""
        if self.finished_at is None:
            return None
        return max(0.0, self.finished_at - self.started_at - self.paused_seconds)
