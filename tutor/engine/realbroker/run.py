"""A real-broker run: the sample on a Redis server, its workers real `celery worker` processes.

    with RealRun.start(RunConfig(code=SOURCE, broker="redis://127.0.0.1:6379/0")) as run:
        while run.advance().stage is not Stage.FINISHED:
            ...

The same `RunLike` as the in-memory `Run`, with the same conductor, ledger, trace and caller (the
learner's main app runs in a thread of the tutor), so the player and the screens do not know which
engine runs. What differs: messages wait in Redis lists, each worker is a process group of its
own (held at its gates through Redis, see `bootstrap`), and every snapshot reads Redis itself.
"""

from __future__ import annotations

import gc
import json
import linecache
import tempfile
import uuid
from typing import Any

from celery import signals

from .. import stdin
from ..app import iter_task_names
from ..caller import Caller
from ..config import RunConfig
from ..errors import EngineError, RunStalled, SampleError
from ..guard import Guard
from ..recorder import RunRecorder
from ..run import _LIVE
from ..sample import SampleProgram
from ..snapshot import Snapshot
from ..stages import CALLER_THREAD, Stage, Stop
from ..stepping import Stepping
from . import keys
from .book import QueueBook
from .early_read import EarlyRead
from .proxy import WorkerProxy
from .reading import redelivered, shown_url
from .redelivery import watch_redelivery
from .reports import ReportListener
from .server import give_back_database, is_private, redis_client, take_database
from .setup import build_app, check_empty, visibility_timeout, worker_options, write_sample
from .snapshots import read_early, read_snapshot
from .workers import WorkerProcess

READY_TIMEOUT = 15.0
"""Longest the run waits for its worker processes to say they are ready."""
JOIN_TIMEOUT = 0.5
"""Longest close() waits for each of the tutor's own threads of the run."""
CONTROL_ATTEMPTS = 5
"""How many times a remote-control command is sent before the run stops waiting for an answer."""


class RealRun(Stepping):
    """One run on a real Redis broker, held at every stage until `advance()` moves it on."""

    def __init__(self, config: RunConfig) -> None:
        if not config.broker:
            raise EngineError("a real-broker run needs a broker URL")
        self.config = config
        self.url, self._database = take_database(config.broker)
        self.program = SampleProgram.parse(config.code, config.filename)
        lines = config.code.splitlines(keepends=True)
        linecache.cache[config.filename] = (len(config.code), None, lines, config.filename)
        self.app: Any = None
        self.recorder = RunRecorder(
            lambda: self.app, filename=config.filename, max_messages=config.max_messages
        )
        self.trace = self.recorder.trace
        self.conductor = self.recorder.conductor
        self.ledger = self.recorder.ledger
        self.guard = Guard(filename=config.filename, trace=self.trace, app_ref=lambda: self.app)
        self.conductor.describe_stall = self._stalled
        self.run_id = uuid.uuid4().hex[:12]
        self.client = redis_client(self.url)
        self.book = QueueBook()
        self.workers: list[WorkerProcess] = []
        self.proxies: list[WorkerProxy] = []
        self.snapshots: list[Snapshot] = []
        self.caller = Caller(
            self.program,
            module=config.module,
            filename=config.filename,
            default_queue=config.default_queue,
            trace=self.trace,
            conductor=self.conductor,
            ledger=self.ledger,
        )
        self._folder = tempfile.TemporaryDirectory(prefix="tutor-sample-")
        self._settled: dict[int, Snapshot] = {}
        self.conductor.on_settled = self._read_settled
        self._closed = False
        self._stdin_taken = False
        self._listener = ReportListener(self.client, keys.reports_key(self.run_id))
        self.early_read = EarlyRead(self.client)
        _LIVE.add(self)  # type: ignore[arg-type]  # quitting closes every live run

    # ------------------------------------------------------------------ life cycle
    @classmethod
    def start(cls, config: RunConfig) -> RealRun:
        """Define the sample's tasks, start the worker processes and the caller."""
        run = cls(config)
        try:
            run._start()
        except BaseException:
            run.close()
            raise
        return run

    def _start(self) -> None:
        stdin.run_started()
        self._stdin_taken = True
        self.app = app = build_app(self.config, self.url, self.recorder.task_tap)
        signals.after_task_publish.connect(
            self._on_published, weak=False, dispatch_uid=f"tutor-real-{self.run_id}"
        )
        app.finalize(auto=True)
        self.caller.define(app, self.config.stage_timeout)
        names = list(iter_task_names(app))
        if not names:
            raise SampleError(
                f"{self.config.filename}: the sample defines no task "
                "(decorate a function with @shared_task or @app.task)"
            )
        check_empty(self.client, self.config, self.url)
        write_sample(self.config, self.program, self._folder.name)
        options = worker_options(self.config)
        for spec in self.config.workers:
            self.workers.append(
                WorkerProcess(
                    spec,
                    run_id=self.run_id,
                    url=self.url,
                    sample_dir=self._folder.name,
                    module=self.config.module,
                    options=options,
                )
            )
        self._listener.start(self.workers)
        self._wait_ready()
        for worker in self.workers:
            proxy = WorkerProxy(
                worker,
                context=self.recorder.context,
                book=self.book,
                client=self.client,
                run_id=self.run_id,
                add_consumer=self._add_consumer,
                published=self._gate,
                acks_late=self.config.acks_late,
                read_early=self._read_early,
            )
            self.proxies.append(proxy)
            proxy.start()
        self.conductor.delivery.on_grant = self._wake_proxies
        listening = "; ".join(
            f"{w.name} ({w.hostname}, pid {w.pid}) listens on {', '.join(w.queues)}"
            for w in self.workers
        )
        self.conductor.mark(
            Stage.DEFINED,
            detail=f"registered {', '.join(names)} on Redis; {listening or 'no worker is running'}",
            line=self.program.definition_lines[0] or None,
            thread=CALLER_THREAD,
        )
        self.caller.start()

    def _stalled(self, busy: list[int], stage: Stage | None, limit: float) -> RunStalled:
        """Why the run did not reach its next stop: Redis gone away (the workers cannot report),
        else what the guard sees (a sample running past the limit, a worker that went quiet)."""
        try:
            self.client.ping()
        except Exception as exc:  # redis-py's connection errors
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return RunStalled(
                f"the Redis broker at {shown_url(self.url)} stopped answering ({reason}); "
                "start it again, then restart the lesson",
                stage=None if stage is None else stage.value,
                limit=limit,
            )
        return self.guard.stalled(busy, stage, limit)

    def _read_early(self, token: int) -> None:
        read_early(self, token)

    def _wake_proxies(self) -> None:
        """A message was granted (or who may take one changed): the idle proxies look now."""
        for proxy in self.proxies:
            proxy.wake()

    def _wait_ready(self) -> None:
        for worker in self.workers:
            if not worker.ready.wait(READY_TIMEOUT) or not worker.alive:
                said = " / ".join(list(worker.log)[-2:]) or "no output"
                raise EngineError(f"the worker process {worker.name} did not start ({said})")

    def _add_consumer(self, queue: str, hostname: str) -> None:
        self._control("add_consumer", queue, hostname)

    def _control(self, command: str, queue: str, hostname: str) -> None:
        """Celery's `add_consumer`/`cancel_consumer` remote control, sent again until the worker
        answers (a broadcast reaches only a worker already listening on its mailbox)."""
        control = self.app.control
        send = control.add_consumer if command == "add_consumer" else control.cancel_consumer
        for _ in range(CONTROL_ATTEMPTS):
            if self.conductor.closing:
                return
            if send(queue, destination=[hostname], reply=True, limit=1, timeout=1):
                return

    def _on_published(
        self, sender: Any = None, body: Any = None, headers: Any = None, **kw: Any
    ) -> None:
        if not self.trace.owns_current_thread() or self.conductor.closing:
            return
        self._gate(str(kw.get("routing_key") or ""), dict(headers or {}), body)

    def _gate(self, queue: str, headers: dict[str, Any], body: Any) -> None:
        """A message was published (by the caller, or by a task in a worker process): it waits
        in its Redis list until its QUEUED stop is granted."""
        queue = queue or self.config.default_queue
        message = {"headers": headers, "body": json.dumps(body), "properties": {}}
        self.book.add(queue, str(headers.get("id")))
        self.recorder.broker_tap.before_put(queue, message)

    def _gate_envelope(self, queue: str, envelope: dict[str, Any]) -> None:
        """A message found back in a queue's list (redelivered by Redis): gate it."""
        self.book.add(queue, str((envelope.get("headers") or {}).get("id")))
        message = {**envelope, "redelivered": redelivered(envelope)}
        self.recorder.broker_tap.before_put(queue, message)

    def close(self) -> None:
        """Stop every worker process and the run's threads, remove the run's keys. Idempotent."""
        if self._closed:
            return
        self._closed = True
        _LIVE.discard(self)  # type: ignore[arg-type]
        stuck = self.guard.cut_off(self.conductor.close(), self.conductor.runs_sample)
        for worker in self.workers:
            worker.stop()
        for proxy in self.proxies:
            proxy.wake()  # it waits on its worker's list: it sees the close at once
        self._listener.stop()
        signals.after_task_publish.disconnect(dispatch_uid=f"tutor-real-{self.run_id}")
        for proxy in self.proxies:
            proxy.thread.join(JOIN_TIMEOUT)
        if self.caller.thread_ident not in stuck:
            self.caller.join(JOIN_TIMEOUT)
        self._listener.join(JOIN_TIMEOUT)
        self.caller.namespace.clear()  # its AsyncResults let go of Redis while it still runs
        gc.collect()
        self.early_read.close()
        self._forget_keys()
        give_back_database(self._database)
        if self.app is not None:
            self.app.close()
        self._folder.cleanup()
        linecache.cache.pop(self.config.filename, None)
        if self._stdin_taken:
            stdin.run_closed()

    def _forget_keys(self) -> None:
        try:
            if is_private(self.url):
                self.client.flushdb()  # the tutor's own server: the next run starts empty
            else:
                found = list(self.client.scan_iter(match=keys.run_keys_pattern(self.run_id)))
                if found:
                    self.client.delete(*found)
            self.client.close()
        except Exception:  # the broker is gone: nothing to clean there
            pass

    def stop_worker(self, name: str) -> None:
        """Kill one worker process group now (`kill -9`: what a crashed machine does)."""
        for worker in self.workers:
            if worker.name == name and worker.alive and not self._closed:
                worker.stop()
                self.trace.record(
                    "worker",
                    "stopped",
                    summary=f"{name} (pid {worker.pid}) and its pool were killed (SIGKILL)",
                )
                timeout = visibility_timeout(self.config)
                if self.config.acks_late and timeout is not None:
                    watch_redelivery(
                        conductor=self.conductor,
                        trace=self.trace,
                        client=self.client,
                        book=self.book,
                        proxies=self.proxies,
                        queues=worker.queues,
                        visibility_timeout=timeout,
                        restore_queue=f"tutor-run-{self.run_id}-restore",
                        control=self._control,
                        gate=self._gate_envelope,
                    )

    def snapshot(self, stop: Stop) -> Snapshot:
        """Read the real state now (Redis, the workers, the caller) into a Snapshot."""
        return read_snapshot(self, stop)
