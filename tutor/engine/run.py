"""A run: one isolated, real Celery app with in-thread workers, moved one stop at a time.

    with Run.start(RunConfig(code=SOURCE)) as run:
        while run.advance().stage is not Stage.FINISHED:
            ...

Each run owns its app, its broker store (queues and bindings), its result store and its signal
receivers, so runs never see each other's messages or results, and closing one leaves no thread
behind, even while a thread is held inside a task.
"""

from __future__ import annotations

import linecache
import logging
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from celery import _state
from celery.backends.base import DisabledBackend
from celery.result import _set_task_join_will_block

from .app import ResultStore, RunApp, build_app, iter_task_names
from .broker import BrokerStore, forget_pools
from .errors import RunClosed, SampleError
from .explain import explain_exception
from .recorder import RunRecorder
from .records import CallRecord, plain
from .sample import SampleProgram
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
from .stages import CALLER_THREAD, Stage, Stop
from .timer import RunTimer
from .worker import InThreadWorker

_TASK_META_PREFIX = "celery-task-meta-"
_DEFINITIONS_LOCK = threading.Lock()

# Celery and kombu log from the workers' threads; with no handler, Python would print to stderr,
# which is where a terminal UI draws. Each run's recorder catches what matters for the trace.
for _name in ("celery", "kombu"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


@dataclass(frozen=True)
class WorkerSpec:
    """One worker of a run: its name and the queues it consumes."""

    name: str = "worker-1"
    queues: tuple[str, ...] = ("celery",)


@dataclass(frozen=True)
class RunConfig:
    """Everything that makes a run: the sample code and how its Celery app is set up."""

    code: str
    """The sample program, exactly as the learner reads it."""
    filename: str = "<sample>"
    """Where the code comes from, for error messages and tracebacks."""
    result_backend: bool = True
    """Whether the app has a result backend (in memory); False reproduces "not configured"."""
    ignore_result: bool = False
    """Whether every task ignores its result (task_ignore_result)."""
    workers: tuple[WorkerSpec, ...] = field(default_factory=lambda: (WorkerSpec(),))
    """The in-thread workers; none means messages just wait in their queue."""
    default_queue: str = "celery"
    """The queue tasks go to unless routed elsewhere."""
    module: str = "tasks"
    """The module name the sample's tasks are registered under (task names like tasks.add)."""
    advance_timeout: float = 30.0
    """Longest `advance()` waits for the run to reach its next stop."""


class Run:
    """One real Celery run, held at every stage until `advance()` moves it on."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.program = SampleProgram.parse(config.code, config.filename)
        # tracebacks of the sample (a task that raises) show its real lines
        lines = config.code.splitlines(keepends=True)
        linecache.cache[config.filename] = (len(config.code), None, lines, config.filename)
        self.recorder = RunRecorder(lambda: self.app)
        self.trace = self.recorder.trace
        self.conductor = self.recorder.conductor
        self.broker = BrokerStore(self.recorder)
        self.results = ResultStore()
        self.app: RunApp | None = None
        self.workers: list[InThreadWorker] = []
        self.snapshots: list[Snapshot] = []
        self.namespace: dict[str, Any] = {"__name__": config.module}
        self._definition_names: set[str] = set()
        self._caller: threading.Thread | None = None
        self._caller_ready = threading.Event()
        self._caller_done = False
        self._closed = False

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def start(cls, config: RunConfig) -> Run:
        """Create the app, run the sample's definitions, start the workers and the caller."""
        run = cls(config)
        try:
            run._start()
        except BaseException:
            run.close()
            raise
        return run

    def _start(self) -> None:
        app = build_app(
            name=f"tutor-run-{self.recorder.run_number}",
            broker_store=self.broker,
            results=self.results,
            hooks=self.recorder,
            result_backend=self.config.result_backend,
            ignore_result=self.config.ignore_result,
            default_queue=self.config.default_queue,
        )
        self.app = app
        self.recorder.connect()
        app.finalize(auto=True)
        self._run_definitions()
        for spec in self.config.workers:
            self._start_worker(spec)
        _set_task_join_will_block(False)
        names = ", ".join(iter_task_names(app)) or "no task"
        listening = "; ".join(f"{w.name} listens on {', '.join(w.queues)}" for w in self.workers)
        self.conductor.mark(
            Stage.DEFINED,
            detail=f"registered {names}; {listening or 'no worker is running'}",
            line=self.program.definition_lines[0] or None,
            thread=CALLER_THREAD,
        )
        self._caller = threading.Thread(target=self._caller_main, name=CALLER_THREAD, daemon=True)
        self._caller.start()
        self._caller_ready.wait(5.0)

    def _run_definitions(self) -> None:
        before = set(_state._on_app_finalizers)
        # shared_task() registers its task into every live app: hide the other runs' apps.
        with _DEFINITIONS_LOCK:
            others = [app for app in list(_state._apps) if app is not self.app]
            for app in others:
                _state._apps.discard(app)
            try:
                self._exec_definitions(before)
            finally:
                for app in others:
                    _state._apps.add(app)
        self._definition_names = set(self.namespace)

    def _exec_definitions(self, before: set[Any]) -> None:
        try:
            exec(self.program.definitions, self.namespace)
        except Exception as exc:
            raise SampleError(
                f"{self.config.filename}: the sample's definitions raised "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        finally:
            # shared_task() also registers its task into every *later* app; keep later runs clean.
            for finalizer in set(_state._on_app_finalizers) - before:
                _state._on_app_finalizers.discard(finalizer)

    def _start_worker(self, spec: WorkerSpec) -> None:
        assert self.app is not None
        timer_cls = type(
            "RunTimer", (RunTimer,), {"listener": self.recorder, "worker_name": spec.name}
        )

        def on_thread_start(worker: InThreadWorker) -> None:
            ident = threading.get_ident()
            self.trace.name_thread(ident, worker.name)
            self.recorder.worker_busy_with[worker.name] = None
            for queue in worker.queues:
                self.conductor.consume(queue, ident)

        def on_thread_exit(worker: InThreadWorker) -> None:
            self.conductor.stop_consuming(threading.get_ident())
            if worker.crashed is not None and not self.conductor.closing:
                self.trace.record("worker", "crashed", summary=explain_exception(worker.crashed))

        worker = InThreadWorker(
            self.app,
            name=spec.name,
            queues=list(spec.queues),
            timer_cls=timer_cls,
            on_thread_start=on_thread_start,
            on_thread_exit=on_thread_exit,
        )
        self.workers.append(worker)
        worker.start()

    def _caller_main(self) -> None:
        assert self.app is not None
        ident = threading.get_ident()
        self.trace.name_thread(ident, CALLER_THREAD)
        self.app.set_current()
        self.conductor.begin_work()
        self._warm_up_caller()
        self._caller_ready.set()
        try:
            for index, statement in enumerate(self.program.calls, start=1):
                self.conductor.hold(
                    Stage.CALLING,
                    line=statement.line,
                    detail=f"the main app runs line {statement.line}: {statement.source}",
                )
                self._call(index, statement)
        except RunClosed:
            pass
        finally:
            self._caller_done = True
            self.trace.record("caller", "done", summary="the main app has no more statements")
            self.conductor.end_work()

    def _warm_up_caller(self) -> None:
        """Pay the once-per-thread set-up a long-running app has already paid before its first
        delay() (result backend instance, thread oid, producer connection), so the lesson's
        timings show what delay() itself costs."""
        assert self.app is not None
        _ = self.app.backend, self.app.thread_oid
        with self.app.producer_or_acquire() as producer:
            queue = self.app.amqp.queues.get(self.config.default_queue)
            if queue is not None:
                queue.bind(producer.channel).declare()

    def _call(self, index: int, statement: Any) -> None:
        record = CallRecord(
            index=index,
            line=statement.line,
            source=statement.source,
            thread=CALLER_THREAD,
            started_at=self.trace.now(),
        )
        paused_before = self.conductor.paused_seconds()
        self.recorder.calls.append(record)
        self.trace.record("caller", "call", summary=f"line {statement.line}: {statement.source}")
        try:
            if statement.is_expression:
                value = eval(statement.code, self.namespace)
            else:
                exec(statement.code, self.namespace)
                value = None
        except RunClosed:
            raise
        except Exception as exc:
            record.error = explain_exception(exc)
            record.value_type = type(exc).__name__
        else:
            record.value = plain(value)
            record.value_type = type(value).__name__ if statement.is_expression else None
        record.finished_at = self.trace.now()
        record.paused_seconds = self.conductor.paused_seconds() - paused_before
        work_ms = (record.work_seconds or 0.0) * 1000
        outcome = f"raised {record.error}" if record.error else f"returned {record.value!r}"
        self.trace.record(
            "caller",
            "call-returned",
            summary=f"line {statement.line} {outcome} after {work_ms:.1f} ms of work",
            data={"line": statement.line, "work_ms": work_ms, "error": record.error},
        )

    def close(self) -> None:
        """Release every held thread, stop the workers and forget the run's state. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.conductor.close()
        for worker in self.workers:
            worker.stop()
        if self._caller is not None:
            self._caller.join(2.0)
        self.recorder.disconnect()
        if self.app is not None:
            self.app.close()
            if _state.default_app is self.app:
                _state.set_default_app(None)
            _state._apps.discard(self.app)
        forget_pools(self.broker)
        self.broker.clear()
        self.results.clear()
        linecache.cache.pop(self.config.filename, None)

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ moving on
    @property
    def finished(self) -> bool:
        """True once the run reached its FINISHED stop."""
        return bool(self.snapshots) and self.snapshots[-1].stage is Stage.FINISHED

    def advance(self) -> Snapshot:
        """Let the current stage go on; return the snapshot of the next stop."""
        stop = self.conductor.advance(self.config.advance_timeout)
        if self.snapshots and self.snapshots[-1].stop == stop:
            return self.snapshots[-1]
        snapshot = self.snapshot(stop)
        self.snapshots.append(snapshot)
        return snapshot

    def advance_to(self, *stages: Stage) -> Snapshot:
        """Advance until one of `stages` (or FINISHED) is reached."""
        while True:
            snapshot = self.advance()
            if snapshot.stage in stages or snapshot.stage is Stage.FINISHED:
                return snapshot

    def run_to_end(self) -> list[Snapshot]:
        """Advance through every stop; return all snapshots of the run."""
        while not self.finished:
            self.advance()
        return list(self.snapshots)

    def stop_worker(self, name: str) -> None:
        """Stop one worker now (a "what if the worker is down" experiment)."""
        for worker in self.workers:
            if worker.name == name:
                worker.stop()
                self.trace.record("worker", "stopped", summary=f"{name} was stopped")

    # ------------------------------------------------------------------ looking
    def snapshot(self, stop: Stop) -> Snapshot:
        """Read the real state now (queues, worker, backend, caller) into a Snapshot."""
        assert self.app is not None
        waiting = self.broker.waiting()
        queue_names = set(waiting) | {q for w in self.workers for q in w.queues}
        queues = {
            name: tuple(MessageView.of(wire) for wire in waiting.get(name, []))
            for name in sorted(queue_names)
        }
        with self.recorder._lock:
            records = list(self.recorder.tasks.values())
            busy_with = dict(self.recorder.worker_busy_with)
            scheduled = dict(self.recorder.in_timer)
        backend = self._backend_view()
        metas = dict(backend.entries)
        tasks = tuple(
            task_view(
                record,
                self._task_state(record.key, record.direct),
                metas.get(f"{_TASK_META_PREFIX}{record.key}"),
            )
            for record in records
        )
        variables = {
            name: plain(value)
            for name, value in self.namespace.items()
            if name not in self._definition_names and not name.startswith("__")
        }
        return Snapshot(
            stop=stop,
            at=self.trace.now(),
            queues=queues,
            unacked=tuple(MessageView.of(wire) for wire in self.broker.unacked()),
            scheduled=scheduled,
            tasks=tasks,
            calls=tuple(call_view(record) for record in list(self.recorder.calls)),
            caller_done=self._caller_done,
            caller_variables=variables,
            workers=tuple(self._worker_view(worker, busy_with, records) for worker in self.workers),
            backend=backend,
            events=self.trace.events(),
            pauses=self.conductor.pauses(),
            task_names=tuple(iter_task_names(self.app)),
        )

    def _task_state(self, key: str, direct: bool) -> str:
        assert self.app is not None
        if direct:
            return "not sent"
        backend = self.app.backend
        if isinstance(backend, DisabledBackend):
            return NOT_CONFIGURED
        try:
            return str(backend.get_task_meta(key).get("status", "PENDING"))
        except Exception as exc:
            return f"unreadable ({type(exc).__name__})"

    def _backend_view(self) -> BackendView:
        assert self.app is not None
        if not self.config.result_backend:
            return BackendView(NOT_CONFIGURED, self.config.ignore_result, ())
        entries = []
        for key, value in self.results.items():
            text = key.decode("utf-8", "replace") if isinstance(key, bytes) else str(key)
            entries.append((text, decode_meta(value)))
        return BackendView("in-memory", self.config.ignore_result, tuple(entries))

    def _worker_view(
        self, worker: InThreadWorker, busy_with: dict[str, str | None], records: list[Any]
    ) -> WorkerView:
        key = busy_with.get(worker.name)
        if worker.crashed is not None:
            status = "crashed"
        elif not worker.alive:
            status = "stopped"
        elif key is None:
            status = "idle"
        else:
            record = next((r for r in records if r.key == key), None)
            started = record is not None and record.executed_by is not None
            status = "executing" if started else "received"
        error = None if worker.crashed is None else explain_exception(worker.crashed)
        return WorkerView(
            name=worker.name,
            queues=tuple(worker.queues),
            thread=worker.name,
            status=status,
            task_key=key,
            error=error,
        )
