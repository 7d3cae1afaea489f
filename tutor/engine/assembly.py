"""Snapshot assembly: the real state of a run at one stop (queues, ledger, backend, workers, caller)
read into an immutable `Snapshot`. It reads; it never moves the run on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from celery.backends.base import DisabledBackend
from celery.worker import state as worker_state

from .app import iter_task_names
from .beat_view import timer_views
from .broker import BrokerStore
from .caller import Caller
from .conductor import Conductor
from .config import RunConfig
from .explain import explain_exception
from .ledger import Ledger, LedgerSnapshot
from .records import TaskRecord, plain
from .results import ResultStore
from .snapshot import (
    NOT_CONFIGURED,
    BackendView,
    MessageView,
    Snapshot,
    WorkerView,
    call_view,
    decode_meta,
    task_view,
)
from .stages import Stop, worker_of
from .trace import Trace
from .worker import InThreadWorker

if TYPE_CHECKING:
    from .beat import RunBeat

TASK_META_PREFIX = "celery-task-meta-"
"""How the key/value result backend names a task's stored meta."""


class SnapshotReader:
    """Reads one run's real objects into snapshots."""

    def __init__(
        self,
        *,
        config: RunConfig,
        app_ref: Callable[[], Any],
        broker: BrokerStore,
        results: ResultStore,
        ledger: Ledger,
        trace: Trace,
        conductor: Conductor,
        workers: Sequence[InThreadWorker],
        caller: Caller,
        beats: Sequence[RunBeat] = (),
    ) -> None:
        self.config = config
        self.app_settings: tuple[tuple[str, str, str], ...] = ()
        """A traced module's app settings (set when the run adopts that app)."""
        self._app_ref = app_ref
        self._broker = broker
        self._results = results
        self._ledger = ledger
        self._trace = trace
        self._conductor = conductor
        self._workers = workers
        self._caller = caller
        self._beats = beats

    def read(self, stop: Stop) -> Snapshot:
        """Read the real state now into the Snapshot of `stop`."""
        app = self._app_ref()
        assert app is not None, "the run has no app yet"
        waiting = self._broker.waiting()
        queue_names = set(waiting) | {q for w in self._workers for q in w.queues}
        queues = {
            name: tuple(MessageView.of(wire) for wire in waiting.get(name, []))
            for name in sorted(queue_names)
        }
        ledger = self._ledger.snapshot()
        backend = self._backend_view()
        metas = dict(backend.entries)
        tasks = tuple(
            task_view(
                record,
                self._task_state(app, record.key, record.direct),
                metas.get(f"{TASK_META_PREFIX}{record.key}"),
            )
            for record in ledger.tasks
        )
        return Snapshot(
            stop=stop,
            at=self._trace.now(),
            queues=queues,
            unacked=tuple(MessageView.of(wire) for wire in self._broker.unacked()),
            scheduled=dict(ledger.in_timer),
            tasks=tasks,
            calls=tuple(call_view(record) for record in ledger.calls),
            caller_done=self._caller.done,
            caller_variables=self._caller.variables(),
            workers=tuple(self._worker_view(worker, ledger) for worker in self._workers),
            backend=backend,
            events=self._trace.events(),
            pauses=self._conductor.clock.pauses(),
            task_names=tuple(iter_task_names(app)),
            timer=timer_views(ledger, self._conductor.clock.now()),
            app_settings=self.app_settings,
            beat=tuple(view for beat in self._beats for view in beat.entries()),
        )

    def _task_state(self, app: Any, key: str, direct: bool) -> str:
        if direct:
            return "not sent"
        backend = app.backend
        if isinstance(backend, DisabledBackend):
            return NOT_CONFIGURED
        try:
            return str(backend.get_task_meta(key).get("status", "PENDING"))
        except Exception as exc:
            return f"unreadable ({type(exc).__name__})"

    def _backend_view(self) -> BackendView:
        # an app that reads its settings from a project may have found no result backend there
        if not self.config.result_backend or isinstance(self._app_ref().backend, DisabledBackend):
            return BackendView(NOT_CONFIGURED, self.config.ignore_result, ())
        entries = []
        for key, value in self._results.items():
            text = key.decode("utf-8", "replace") if isinstance(key, bytes) else str(key)
            meta = decode_meta(value)
            if "raw" in meta:  # not JSON: the app's own result serializer (pickle, msgpack...)
                meta = self._decoded(value) or meta
            entries.append((text, meta))
        return BackendView("in-memory", self.config.ignore_result, tuple(entries))

    def _decoded(self, value: Any) -> dict[str, Any] | None:
        try:
            meta = self._app_ref().backend.decode(value)
        except Exception:
            return None
        return {str(k): plain(v) for k, v in meta.items()} if isinstance(meta, dict) else None

    def _worker_view(self, worker: InThreadWorker, ledger: LedgerSnapshot) -> WorkerView:
        key = ledger.busy_with.get(worker.name)
        if worker.crashed is not None:
            status = "crashed"
        elif not worker.alive or worker.stopped:
            status = "stopped"
        elif key is None:
            status = "idle"
        else:
            record = ledger.task(key)
            started = record is not None and record.executed_by is not None
            status = "executing" if started else "received"
        error = None if worker.crashed is None else explain_exception(worker.crashed)
        reserved, active = self._requests(worker, ledger)
        return WorkerView(
            name=worker.name,
            queues=tuple(worker.queues),
            thread=worker.name,
            status=status,
            task_key=key,
            error=error,
            reserved=reserved,
            active=active,
        )

    def _requests(
        self, worker: InThreadWorker, ledger: LedgerSnapshot
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(reserved, active) task ids of `worker`: received (prefetched) and not started yet;
        running in its pool now (Celery's active requests of this app and worker)."""
        if worker.stopped:  # a lost worker holds nothing (its abandoned thread does not count)
            return (), ()
        hostname, app = worker.controller.hostname, self._app_ref()
        running = [r for r in list(worker_state.active_requests) if r.app is app]
        active = {str(r.id) for r in running if r.hostname == hostname}
        busy = {str(r.id) for r in running} | set(ledger.in_timer)

        def waits(r: TaskRecord) -> bool:
            if r.received_by is None or worker_of(r.received_by) != worker.name:
                return False
            after = (r.started_at, r.finished_at)
            return r.key not in busy and all(t is None or t < (r.received_at or 0) for t in after)

        return (
            tuple(r.key for r in ledger.tasks if waits(r)),
            tuple(r.key for r in ledger.tasks if r.key in active),
        )
