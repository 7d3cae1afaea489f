"""Snapshots of a real-broker run: Redis read as it is (without consuming), with the ledger, the
worker processes and the caller, into the same `Snapshot` the in-memory engine gives."""

from __future__ import annotations

from typing import TYPE_CHECKING

import redis

from ..app import iter_task_names
from ..beat_view import timer_views
from ..ledger import LedgerSnapshot
from ..snapshot import (
    NOT_CONFIGURED,
    BackendView,
    MessageView,
    Snapshot,
    WorkerView,
    call_view,
    task_view,
)
from ..stages import Stop
from . import reading
from .server import BrokerUnavailable
from .workers import WorkerProcess

if TYPE_CHECKING:
    from .run import RealRun

LOG_SHOWN = 12
"""How many of a worker's latest log lines a snapshot keeps."""
BACKEND_KIND = "Redis"


def shown_queues(run: RealRun) -> list[str]:
    """The queues a snapshot shows: the workers', the ones messages were sent to, the default."""
    names = {q for w in run.workers for q in w.queues} | set(run.book.names())
    return sorted(names | {run.config.default_queue})


def stored_ids(run: RealRun, ledger: LedgerSnapshot | None = None) -> list[str]:
    """The task ids whose stored outcome a snapshot reads (none without a result backend)."""
    if not run.config.result_backend:
        return []
    if ledger is None:
        return run.ledger.sent_keys()
    return [record.key for record in ledger.tasks if not record.direct]


def read_early(run: RealRun, token: int) -> None:
    """Send the next snapshot's read of Redis now (see `early_read`)."""
    run.early_read.send(token, shown_queues(run), stored_ids(run))


def read_snapshot(run: RealRun, stop: Stop) -> Snapshot:
    """Read Redis, the ledger, the workers and the caller now into the Snapshot of `stop` (what
    the tutor holds first: a read sent early is meanwhile on its way back)."""
    client, config = run.client, run.config
    ledger = run.ledger.snapshot()
    queue_names, ids = shown_queues(run), stored_ids(run, ledger)
    at, events, pauses = run.trace.now(), run.trace.events(), run.conductor.clock.pauses()
    calls = tuple(call_view(record) for record in ledger.calls)
    workers = tuple(worker_view(worker, ledger) for worker in run.workers)
    caller_done, caller_variables = run.caller.done, run.caller.variables()
    timer = timer_views(ledger, run.conductor.clock.now())
    try:
        read = run.early_read.take(run.conductor.moves, queue_names, ids)
        read = read or reading.read_state(client, queue_names, ids)
    except (redis.RedisError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BrokerUnavailable(
            f"the Redis broker at {reading.shown_url(run.url)} stopped answering ({reason}); "
            "start it again, then restart the lesson"
        ) from None
    queues = {
        name: tuple(MessageView.of(wire) for wire in read.waiting[name]) for name in queue_names
    }
    metas = read.metas
    tasks = []
    for record in ledger.tasks:
        meta = metas.get(f"{reading.TASK_META_PREFIX}{record.key}")
        if record.direct:
            state = "not sent"
        elif not config.result_backend:
            state = NOT_CONFIGURED
        else:
            state = str((meta or {}).get("status", "PENDING"))
        tasks.append(task_view(record, state, meta))
    backend = BackendView(
        BACKEND_KIND if config.result_backend else NOT_CONFIGURED,
        config.ignore_result,
        tuple(metas.items()),
    )
    return Snapshot(
        stop=stop,
        at=at,
        queues=queues,
        unacked=tuple(MessageView.of(wire) for wire in read.unacked),
        scheduled=dict(ledger.in_timer),
        tasks=tuple(tasks),
        calls=calls,
        caller_done=caller_done,
        caller_variables=caller_variables,
        workers=workers,
        backend=backend,
        events=events,
        pauses=pauses,
        task_names=tuple(iter_task_names(run.app)),
        timer=timer,
        broker=reading.broker_view(run.url, read),
    )


def worker_view(worker: WorkerProcess, ledger: LedgerSnapshot) -> WorkerView:
    """A worker process as it is now: alive or not, what it holds, its PIDs and its log."""
    key = ledger.busy_with.get(worker.name)
    error = None
    if worker.stopped:
        status = "stopped"
    elif not worker.alive:
        status, error = "crashed", f"the worker process ended (exit status {worker.process.poll()})"
    elif key is None:
        status = "idle"
    else:
        record = ledger.task(key)
        started = record is not None and record.executed_by is not None
        status = "executing" if started else "received"
    active = (key,) if status == "executing" and key is not None else ()
    return WorkerView(
        name=worker.name,
        queues=worker.queues,
        thread=worker.name,
        status=status,
        task_key=None if worker.stopped else key,
        error=error,
        active=active,
        hostname=worker.hostname,
        pid=worker.pid,
        pool_pid=worker.pool_pid,
        log=tuple(list(worker.log)[-LOG_SHOWN:]),
    )
