"""Snapshots: a run at one stop, read from the real objects (queues, workers, result backend).

A snapshot is immutable and holds only plain values, so the UI can keep every snapshot of a run
and step back through them without touching Celery again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .beat_view import BeatEntryView
from .beat_view import TimerEntryView as TimerEntryView  # re-exported: part of a Snapshot
from .broker_view import BrokerView as BrokerView  # re-exported: part of a Snapshot
from .records import CallRecord, TaskRecord, plain
from .stages import Stage, Stop
from .trace import TraceEvent
from .wire import WireMessage

NOT_CONFIGURED = "not configured"


@dataclass(frozen=True)
class MessageView(WireMessage):
    """A task message as it sits in a queue or in a worker's hands, with plain values only.

    The same fields as the `WireMessage` it is made from (id, task, args, kwargs, headers,
    properties, queue, and eta, retries and short_id read from them), copied as JSON-like values
    so a snapshot can keep it.
    """

    @classmethod
    def of(cls, wire: WireMessage) -> MessageView:
        """The view of a decoded wire message."""
        return cls(
            id=wire.id,
            task=wire.task,
            args=tuple(plain(list(wire.args))),
            kwargs=plain(dict(wire.kwargs)),
            headers={key: plain(value) for key, value in wire.headers.items()},
            properties=plain(dict(wire.properties)),
            queue=wire.queue,
            redelivered=wire.redelivered,
        )


@dataclass(frozen=True)
class TaskView:
    """One task: what the message said, where it ran, what it returned, and what is stored."""

    key: str
    id: str | None
    name: str
    direct: bool
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    queue: str | None
    state: str
    """The state the result backend reports now (PENDING means unknown), or "not configured"."""
    arguments: dict[str, Any]
    """The message's arguments by parameter name, known from the moment it is sent."""
    locals: dict[str, Any]
    """The task body's arguments as it received them (empty until it starts)."""
    returned: bool
    return_value: Any
    exception: str | None
    traceback: str | None
    executed_by: str | None
    received_by: str | None
    published_by: str | None
    published_at: float | None
    published_line: int | None
    """The sample's line that published the message (None: not a line of the sample)."""
    started_at: float | None
    finished_at: float | None
    eta: str | None
    retries: int
    stored: dict[str, Any] | None
    """The meta the backend holds for this task (status, result, traceback...), if any."""
    traceback_lines: tuple[str, ...] = ()
    """The traceback, one plain line each, with the sample's own frames only."""
    exception_type: str | None = None
    """The class name of what the body raised ("ZeroDivisionError"; "Retry" for a retry)."""
    raised: bool = False
    """True when the body ran and raised an exception (a retry request is not counted): "raised
    X", as against "never ran" (`started_at` None, nothing raised)."""
    outcome: str | None = None
    """What the worker reported last: "success", "failure", "retry" or "revoked" (None: nothing
    yet, e.g. still queued, or never run)."""
    publishes: int = 0
    """How many times a message with this id was published (1, plus one per retry)."""

    @property
    def short_id(self) -> str:
        """The first 8 characters of the id ("direct call" when there is no message)."""
        return self.id[:8] if self.id else "direct call"

    @property
    def runtime_ms(self) -> float | None:
        """How long the body ran, in milliseconds (time held for the learner included)."""
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at) * 1000


@dataclass(frozen=True)
class CallView:
    """One statement the caller (the main app) ran."""

    index: int
    line: int
    source: str
    thread: str
    started_at: float
    finished_at: float | None
    work_ms: float | None
    """How long the caller was busy in the statement, without the time held for the learner."""
    value: Any
    value_type: str | None
    error: str | None
    waited_ms: float = 0.0
    """Run time the statement spent blocked waiting for a result (get(), wait()...) or at a
    COMMIT held for the workers, in ms."""
    at_commit: bool = False
    """True while the statement waits at a transaction's COMMIT: the tutor lets the workers go
    first with the messages it published inside the transaction (a fast worker)."""

    @property
    def done(self) -> bool:
        """True once the statement finished."""
        return self.finished_at is not None


@dataclass(frozen=True)
class WorkerView:
    """One worker: its queues, its thread and what it is doing."""

    name: str
    queues: tuple[str, ...]
    thread: str
    status: str
    """ "idle", "received", "executing", "stopped" or "crashed"."""
    task_key: str | None
    error: str | None = None
    reserved: tuple[str, ...] = ()
    """Ids of the tasks it received (prefetched) and has not started: not acknowledged yet
    (unless the message was acknowledged early), still PENDING."""
    active: tuple[str, ...] = ()
    """Ids of the tasks whose body its pool runs now."""
    hostname: str | None = None
    """Real broker mode only (else None/empty): its node name (`worker-1@host`), its process's
    `pid`, the `pool_pid` of the pool process that ran its latest body, its latest `log` lines."""
    pid: int | None = None
    pool_pid: int | None = None
    log: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackendView:
    """The result backend: which kind, and every meta it stores."""

    kind: str
    """ "in-memory" or "not configured"."""
    ignore_result: bool
    entries: tuple[tuple[str, dict[str, Any]], ...]
    """(key, meta) pairs, e.g. ("celery-task-meta-<id>", {"status": "SUCCESS", ...})."""

    @property
    def configured(self) -> bool:
        """Whether there is a result backend at all."""
        return self.kind != NOT_CONFIGURED


@dataclass(frozen=True)
class Snapshot:
    """The whole run at one stop."""

    stop: Stop
    at: float
    """Seconds since the run started."""
    queues: dict[str, tuple[MessageView, ...]]
    unacked: tuple[MessageView, ...]
    scheduled: dict[str, str]
    """Task id → ETA, for tasks waiting in a worker's timer."""
    tasks: tuple[TaskView, ...]
    calls: tuple[CallView, ...]
    caller_done: bool
    caller_variables: dict[str, Any]
    workers: tuple[WorkerView, ...]
    backend: BackendView
    events: tuple[TraceEvent, ...]
    """Every trace event up to this stop, oldest first."""
    pauses: tuple[tuple[float, float], ...]
    """Intervals (seconds since the start) when the run stood still for the learner."""
    task_names: tuple[str, ...] = field(default=())
    timer: tuple[TimerEntryView, ...] = field(default=())
    """Every task waiting in a worker's timer, soonest first."""
    app_settings: tuple[tuple[str, str, str], ...] = field(default=())
    """A traced module's own app: (setting, value, "kept" or "replaced") for each setting its
    file made; empty for a lesson's sample."""
    beat: tuple[BeatEntryView, ...] = field(default=())
    """Every entry of the run's beat services (none without beat)."""
    broker: BrokerView | None = None
    """The real broker server's state (None for the in-memory broker)."""

    def active_time(self, at: float) -> float:
        """`at` (seconds since the start) minus the pauses before it: time the run really ran."""
        paused = 0.0
        for start, end in self.pauses:
            if start >= at:
                break
            paused += min(end, at) - start
        return at - paused

    @property
    def stage(self) -> Stage:
        """The stage of the stop."""
        return self.stop.stage

    @property
    def depth(self) -> int:
        """How many messages wait in all queues together."""
        return sum(len(messages) for messages in self.queues.values())

    def queue_depth(self, name: str) -> int:
        """How many messages wait in one queue."""
        return len(self.queues.get(name, ()))

    @property
    def task(self) -> TaskView | None:
        """The first task of the run (by publish or call order), if any yet."""
        return self.tasks[0] if self.tasks else None

    def task_by_id(self, task_id: str) -> TaskView | None:
        """The task with this id, if seen."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        return None


def task_view(record: TaskRecord, state: str, stored: dict[str, Any] | None) -> TaskView:
    """The immutable view of a task record, with the state and meta read from the backend."""
    return TaskView(
        key=record.key,
        id=None if record.direct else record.key,
        name=record.name,
        direct=record.direct,
        args=tuple(record.args),
        kwargs=dict(record.kwargs),
        queue=record.queue,
        state=state,
        arguments=dict(record.arguments),
        locals=dict(record.local_values),
        returned=record.returned,
        return_value=record.return_value,
        exception=record.exception,
        traceback=record.traceback,
        executed_by=record.executed_by,
        received_by=record.received_by,
        published_by=record.published_by,
        published_at=record.published_at,
        published_line=record.published_line,
        started_at=record.started_at,
        finished_at=record.finished_at,
        eta=record.eta,
        retries=record.retries,
        stored=stored,
        traceback_lines=tuple(record.traceback_lines),
        exception_type=record.exception_type,
        raised=record.raised,
        outcome=record.outcome,
        publishes=record.publishes,
    )


def call_view(record: CallRecord) -> CallView:
    """The immutable view of a call record."""
    work = record.work_seconds
    return CallView(
        index=record.index,
        line=record.line,
        source=record.source,
        thread=record.thread,
        started_at=record.started_at,
        finished_at=record.finished_at,
        work_ms=None if work is None else work * 1000,
        value=record.value,
        value_type=record.value_type,
        error=record.error,
        waited_ms=record.waited_seconds * 1000,
        at_commit=record.at_commit,
    )


def decode_meta(value: Any) -> dict[str, Any]:
    """Decode a stored meta value (JSON text) into a dict; anything else is shown as its repr."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            return {"raw": value}
        return decoded if isinstance(decoded, dict) else {"value": plain(decoded)}
    return {"value": plain(value)}
