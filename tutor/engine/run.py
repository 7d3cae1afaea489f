"""A run: one isolated, real Celery app with in-thread workers, moved one stop at a time.

    with Run.start(RunConfig(code=SOURCE)) as run:
        while run.advance().stage is not Stage.FINISHED:
            ...

Each run owns its app, its broker store (queues and bindings), its result store and its signal
receivers, so runs never see each other's messages or results, and closing one leaves no thread
behind, even while a thread is held inside a task.

This module is the run's life cycle (start, advance, close); the caller thread lives in `caller`,
snapshot assembly in `assembly`, the listening in `recorder` and its taps.
"""

from __future__ import annotations

import linecache
import threading
import weakref
from contextlib import nullcontext
from functools import partial
from typing import TYPE_CHECKING

from .. import compat
from . import stdin
from .adopt import Adoption, SiblingImports, take_over
from .app import RunApp, build_app, iter_task_names
from .assembly import SnapshotReader
from .broker import BrokerStore, forget_pools
from .caller import Caller
from .commit_gate import CommitGate
from .config import RunConfig, WorkerSpec
from .errors import SampleError
from .guard import Guard
from .project import project_for
from .recorder import RunRecorder
from .results import ResultStore
from .sample import SampleProgram
from .snapshot import Snapshot
from .stages import CALLER_THREAD, Stage, Stop
from .stepping import Stepping
from .taps.log import quiet_celery_loggers
from .worker import InThreadWorker
from .worker_start import build_worker

if TYPE_CHECKING:
    from .beat import RunBeat

__all__ = ["Run", "RunConfig", "WorkerSpec", "close_all"]

CALLER_JOIN_TIMEOUT = 2.0
"""Longest close() waits for the released caller thread to end."""

_LIVE: weakref.WeakSet[Run] = weakref.WeakSet()
"""Every run started and not closed yet, so that quitting can close them all at once."""


def close_all() -> int:
    """Close every live run of this process (quitting: the lesson's, a variant's, a quiz's).
    Returns how many were closed."""
    live = list(_LIVE)
    for run in live:
        run.close()
    return len(live)


class Run(Stepping):
    """One real Celery run, held at every stage until `advance()` moves it on."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.program = SampleProgram.parse(config.code, config.filename, module=config.traced)
        # tracebacks of the sample (a task that raises) show its real lines
        lines = config.code.splitlines(keepends=True)
        linecache.cache[config.filename] = (len(config.code), None, lines, config.filename)
        self.app: RunApp | None = None
        self.project = project_for(config, lambda: self.caller.namespace)
        """The Django project around the app (config.django), else None."""
        scope = nullcontext if self.project is None else self.project.thread_scope
        self.recorder = RunRecorder(
            lambda: self.app,
            filename=config.filename,
            max_messages=config.max_messages,
            sample_scope=scope,
        )
        self.trace = self.recorder.trace
        self.conductor = self.recorder.conductor
        if self.project is not None:
            self.project.hold_commits(CommitGate(self.recorder.context, self._consumed))
        self.guard = Guard(filename=config.filename, trace=self.trace, app_ref=lambda: self.app)
        self.conductor.describe_stall = self.guard.stalled
        self.ledger = self.recorder.ledger
        self.broker = BrokerStore(self.recorder.broker_tap)
        self.conductor.delivery.on_grant = self.broker.wake  # a granted message: take it now
        self.results = ResultStore()
        self.workers: list[InThreadWorker] = []
        self.beats: list[RunBeat] = []
        self.snapshots: list[Snapshot] = []
        self.caller = Caller(
            self.program,
            module=config.module,
            filename=config.filename,
            default_queue=config.default_queue,
            trace=self.trace,
            conductor=self.conductor,
            ledger=self.ledger,
            thread_scope=scope,
        )
        self.reader = SnapshotReader(
            config=config,
            app_ref=lambda: self.app,
            broker=self.broker,
            results=self.results,
            ledger=self.ledger,
            trace=self.trace,
            conductor=self.conductor,
            workers=self.workers,
            caller=self.caller,
            beats=self.beats,
        )
        self._settled: dict[int, Snapshot] = {}
        self.conductor.on_settled = self._read_settled
        self.siblings = SiblingImports(config.search_path)
        self.adoption: Adoption | None = None
        """What adopting the module's own Celery app did (a traced run whose module has one)."""
        self._closed = False
        self._stdin_taken = False
        _LIVE.add(self)

    @property
    def namespace(self) -> dict[str, object]:
        """The sample's globals (its definitions and the variables its calls set)."""
        return self.caller.namespace

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
        quiet_celery_loggers()
        stdin.run_started()
        self._stdin_taken = True
        options = {} if self.project is None else self.project.start()
        with compat.APPS_LOCK:  # no other run's shared_task finalizers join this app
            app = build_app(
                name=f"tutor-run-{self.recorder.run_number}",
                broker_store=self.broker,
                results=self.results,
                hooks=self.recorder.task_tap,
                result_backend=self.config.result_backend,
                ignore_result=self.config.ignore_result,
                default_queue=self.config.default_queue,
                acks_late=self.config.acks_late,
                reject_on_worker_lost=self.config.reject_on_worker_lost,
                **options,
            )
            self.app = app
            self.recorder.connect()
            app.finalize(auto=True)
        self.siblings.enter()
        adopt = partial(take_over, self) if self.config.traced else None
        with nullcontext() if self.project is None else self.project.definitions(app):
            app = self.caller.define(app, self.config.stage_timeout, adopt) or app
        if not any(iter_task_names(app)):
            raise SampleError(
                f"{self.config.filename}: the sample defines no task "
                "(decorate a function with @shared_task or @app.task)"
            )
        for spec in self.config.workers:
            self._start_worker(spec)
        compat.allow_result_join()
        names = ", ".join(iter_task_names(app))
        listening = "; ".join(f"{w.name} listens on {', '.join(w.queues)}" for w in self.workers)
        if self.adoption is not None:
            listening += f"; {self.adoption.describe()}"
        if self.config.beat is not None:
            from .beat import services_text, start_beats  # celery.beat loads only for beat

            self.beats.extend(start_beats(app, self.config.beat, self.recorder.beat_tap))
            listening += f"; {services_text(self.beats)}"
        self.conductor.mark(
            Stage.DEFINED,
            detail=f"registered {names}; {listening or 'no worker is running'}",
            line=self.program.definition_lines[0] or None,
            thread=CALLER_THREAD,
        )
        self.caller.start()

    def _consumed(self, queue: str) -> bool:
        """Whether a live worker of the run consumes `queue` now."""
        return any(
            queue in w.queues and w.alive and not w.stopped and w.crashed is None
            for w in list(self.workers)
        )

    def _start_worker(self, spec: WorkerSpec) -> None:
        assert self.app is not None
        worker = build_worker(self.app, spec, self.recorder)
        self.workers.append(worker)
        worker.start()

    def close(self) -> None:
        """Release every held thread, stop the workers and forget the run's state. Idempotent."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)
        stuck = self.guard.cut_off(self.conductor.close(), self.conductor.runs_sample)
        for beat in self.beats:
            beat.stop()
        for worker in self.workers:
            worker.stop(join=False)
        self.broker.wake()  # a worker waiting on its queues sees its stop now, not in 250 ms
        for worker in self.workers:
            if worker.thread_ident not in stuck:
                worker.join()
        if self.caller.thread_ident not in stuck:
            self.caller.join(CALLER_JOIN_TIMEOUT)
        self.recorder.disconnect()
        if self.app is not None:
            self.app.close()
            compat.forget_app(self.app)
        if self.project is not None:
            self.project.close()
        forget_pools(self.broker)
        self.broker.clear()
        self.results.clear()
        linecache.cache.pop(self.config.filename, None)
        self.siblings.leave()
        if self._stdin_taken:
            stdin.run_closed()

    def stop_worker(self, name: str) -> None:
        """Stop one worker now, for real, even while it is held inside a task (a "what if the
        worker is lost" experiment): its connection closes, so the broker restores the messages
        it took and did not acknowledge (acks_late); a message acknowledged before its body ran
        is gone. A thread held in a task of that worker goes no further."""
        for worker in self.workers:
            if worker.name == name and worker.alive and not worker.stopped and not self._closed:
                self.recorder.context.lost.add(name)
                me, was = threading.get_ident(), self.trace.thread_name()
                self.trace.name_thread(me, "broker")  # it puts the unacknowledged messages back
                try:
                    worker.lose()
                    self.broker.wake()  # its drain ends now: the stop is seen at once
                finally:
                    self.trace.name_thread(me, was)
                if worker.thread_ident is not None:
                    self.conductor.stop_consuming(worker.thread_ident)
                self.trace.record("worker", "stopped", summary=f"{name} was stopped")

    def snapshot(self, stop: Stop) -> Snapshot:
        """Read the real state now (queues, workers, backend, caller) into a Snapshot."""
        return self.reader.read(stop)
