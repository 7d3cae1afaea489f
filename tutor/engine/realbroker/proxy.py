"""A worker process's stand-in in the tutor: a thread that mirrors its stages to the conductor.

The conductor holds threads of the tutor's own process. For a worker process, its proxy thread
does what an in-thread worker would: it takes a granted message (by adding the worker's consumer
back, Celery's `add_consumer` remote control; the worker cancels it again once it took one
message), then, for each stage the worker's pool process reports, it parks at that stage in the
conductor and, once the learner moves on, opens the process's gate in Redis.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..errors import RunClosed
from ..records import plain
from ..stages import Stage
from ..taps.base import TapContext, args_text
from . import keys
from .book import QueueBook
from .outcome_waits import LOGGED_OUTCOMES, await_ack, await_log
from .workers import WorkerProcess

IDLE_WAIT = 0.25
"""Longest an idle proxy waits on its worker's report list before looking for a granted message
again (a grant and the run's close wake it at once: see `keys.WAKE`)."""
SERVE_WAIT = 0.05
"""Longest a busy proxy waits for its worker's next report before looking at the run again."""
_OUTCOMES = {"SUCCESS": "success", "FAILURE": "failure", "RETRY": "retry", "REVOKED": "revoked"}


class WorkerProxy:
    """The thread that stands for one worker process in the run."""

    def __init__(
        self,
        worker: WorkerProcess,
        *,
        context: TapContext,
        book: QueueBook,
        client: Any,
        run_id: str,
        add_consumer: Callable[[str, str], None],
        published: Callable[[str, dict[str, Any], Any], None],
        acks_late: bool = False,
        read_early: Callable[[int], None] | None = None,
    ) -> None:
        self._published = published
        self._read_early = read_early
        """Sends the next snapshot's read of Redis (given the conductor's moves; see
        `early_read`)."""
        self.worker = worker
        self.acks_late = acks_late
        self.reports_key = keys.reports_key(run_id, worker.name)
        """The Redis list the worker pushes its reports to (this proxy pops it)."""
        self.reports_seen = 0
        """How many reports of the worker this proxy has taken up so far."""
        self._in_timer: str | None = None
        self._stored_state: str | None = None
        """The state the last task's outcome was stored with (see `await_log`)."""
        self._early: dict[str, Any] | None = None
        """A report popped while idle, to serve first."""
        self._context = context
        self._book = book
        self._client = client
        self._run_id = run_id
        self._add_consumer = add_consumer
        self.thread = threading.Thread(target=self._main, name=worker.name, daemon=True)

    def wake(self) -> None:
        """Wake the proxy if it waits on its worker's list (a message was granted, the run
        closes); a broker gone away is left for the run to notice."""
        with contextlib.suppress(Exception):  # redis-py's: it looks again within IDLE_WAIT
            self._client.rpush(self.reports_key, keys.WAKE)

    def _pop(self, timeout: float) -> dict[str, Any] | None:
        """The worker's next report, waiting up to `timeout` s (None: none, or a wake-up). A
        broker gone away is no report: the run stalls and its next snapshot says why."""
        try:
            popped = self._client.blpop([self.reports_key], timeout=timeout)
        except Exception:  # redis-py's connection errors
            time.sleep(timeout)
            return None
        if popped is None:
            return None
        report: dict[str, Any] = json.loads(popped[1])
        return None if report.get("kind") == "wake" else report

    def start(self) -> None:
        """Start mirroring the worker."""
        self.thread.start()

    # ------------------------------------------------------------------ in the proxy's thread
    def _main(self) -> None:
        context, me = self._context, threading.get_ident()
        context.trace.name_thread(me, self.worker.name)
        context.ledger.worker_joined(self.worker.name)
        for name in self.worker.queues:
            context.conductor.consume(name, me)
        try:
            while not context.conductor.closing and self.worker.alive:
                taken = self._take()
                if taken is None:
                    continue
                self._serve()
        except RunClosed:
            pass
        finally:
            context.conductor.stop_consuming(me)
            if not context.conductor.closing and not self.worker.stopped:
                context.trace.record(
                    "worker", "crashed", summary=f"{self.worker.name}'s process ended on its own"
                )

    def _take(self) -> str | None:
        """Take the next message granted to one of the worker's queues, if any (else wait a bit)."""
        conductor = self._context.conductor
        for name in self.worker.queues:
            task_id = self._book.head(name)
            if task_id is not None and conductor.may_take(task_id):
                conductor.took(task_id)
                self._book.remove(task_id)
                self._add_consumer(name, self.worker.hostname or self.worker.name)
                return task_id
        self._early = self._pop(IDLE_WAIT)
        if self._early is None:
            return None
        self._context.conductor.begin_work()  # a report with no message granted: serve it
        return ""

    def _next(self) -> dict[str, Any]:
        report, self._early = self._early, None
        while report is None:
            if self._context.conductor.closing:
                raise RunClosed("run closed")
            if not self.worker.alive:
                raise RunClosed(f"{self.worker.name} is gone")
            report = self._pop(SERVE_WAIT)
        self.reports_seen += 1
        return report

    def _serve(self) -> None:
        """Mirror the worker's stages until its pool process is done with the message."""
        context = self._context
        while True:
            report = self._next()
            kind = report.get("kind")
            if kind == "taken":
                context.trace.record(
                    "broker",
                    "get",
                    task_id=report.get("task_id"),
                    summary=f"{self.worker.hostname} took the message off the Redis list "
                    "(and cancelled its consumer: one message per grant)",
                )
                if report.get("eta"):
                    self._scheduled(report)
            elif kind == "published":
                self._published(
                    str(report.get("queue")), dict(report.get("headers") or {}), report.get("body")
                )
            elif kind == "stage":
                if self._in_timer == report.get("task_id"):
                    self._in_timer = None
                    context.ledger.left_timer(str(report.get("task_id")))
                    context.conductor.take_turn()  # its turn: nothing else moves
                    context.conductor.expect(-1)
                if report.get("stage") == Stage.STORED.value:
                    self._stored_state = str(report.get("state"))
                self._maybe_read_early()
                self._stage(report)  # its gate opens as the learner moves on (`_open_gate`)
            elif kind == "idle":
                if self.acks_late:
                    await_ack(self._client, self.worker, str(report.get("task_id")))
                if self._stored_state in LOGGED_OUTCOMES:
                    await_log(self.worker, str(report.get("task_id")))
                context.ledger.worker_released(self.worker.name, report.get("task_id"))
                context.conductor.end_work()
                return

    def _maybe_read_early(self) -> None:
        """This proxy is about to park at a stop; when no other thread of the run moves, that
        stop settles the run and Redis holds now what its snapshot will read: send that read."""
        if self._read_early is not None:
            token = self._context.conductor.quiet_token()
            if token is not None:
                self._read_early(token)

    def _scheduled(self, report: dict[str, Any]) -> None:
        """The worker took a countdown/ETA message: it waits in the worker's timer (outside the
        queue) until it is due; meanwhile this proxy is idle and the run not finished."""
        context, name = self._context, self.worker.name
        task_id, eta = str(report.get("task_id")), str(report.get("eta"))
        self._in_timer = task_id
        clock = context.conductor.clock
        try:
            due = clock.now() + (datetime.fromisoformat(eta) - datetime.now(UTC)).total_seconds()
        except (ValueError, TypeError):
            due = None
        context.ledger.update(
            task_id,
            str(report.get("task_name") or ""),
            received_by=name,
            received_at=context.trace.now(),
            timer_due=due,
            timer_worker=name,
        )
        context.ledger.waits_in_timer(task_id, eta)
        context.conductor.expect(1)
        context.conductor.mark(
            Stage.SCHEDULED,
            thread=f"{name}-timer",
            task_id=task_id,
            task_name=report.get("task_name"),
            detail=f"{name} took the message off the Redis list; it waits in {name}'s timer "
            f"until {eta}, outside the queue",
        )
        context.conductor.end_work()

    def _open_gate(self, gate: str) -> Callable[[], None]:
        """What lets the pool process waiting at `gate` go on: pushed by the thread that grants
        the stop, the moment it grants it (this proxy's own thread wakes up meanwhile). A broker
        gone away leaves the process waiting: the run stalls and says so, as for any report."""

        def open_gate() -> None:
            with contextlib.suppress(Exception):  # redis-py's connection errors
                self._client.rpush(gate, keys.GO)

        return open_gate

    def _stage(self, report: dict[str, Any]) -> None:
        """Record one stage a pool process reached, and hold it until the learner moves on."""
        context, name = self._context, self.worker.name
        ledger, trace = context.ledger, context.trace
        task_id, task_name = str(report["task_id"]), str(report.get("task_name") or "")
        pid, stage = int(report["pid"]), Stage(report["stage"])
        if int(report.get("ppid") or 0) == self.worker.pid:  # a pool process, not the worker
            self.worker.saw_pool_process(pid)
        where = f"{name}'s pool process (pid {pid})"
        if stage is Stage.RECEIVED:  # a redelivered message starts afresh in this worker
            ledger.update(
                task_id,
                task_name,
                received_by=name,
                received_at=trace.now(),
                executed_by=None,
                started_at=None,
                finished_at=None,
                returned=False,
            )
            ledger.worker_holds(name, task_id)
            again = " (redelivered: a lost worker never acknowledged it)"
            detail = (
                f"{name} ({self.worker.hostname}, pid {self.worker.pid}) took the message off "
                f"the Redis list{again if report.get('redelivered') else ''}; {where} is about "
                "to run it"
            )
        elif stage is Stage.EXECUTING:
            args, kwargs = report.get("args") or [], report.get("kwargs") or {}
            bound = context.bind(task_name, args, kwargs)
            ledger.update(task_id, task_name, executed_by=name, local_values=bound)
            detail = f"{task_name}{args_text(args, kwargs)} is running in {where}"
        elif stage is Stage.RETURNED:
            value = plain(report.get("value"))
            ledger.update(task_id, returned=True, return_value=value, finished_at=trace.now())
            detail = f"the body returned {value!r} in {where}; nothing is stored yet"
        elif stage is Stage.RAISED:
            lines = tuple(report.get("traceback_lines") or ())
            ledger.update(
                task_id,
                exception=report.get("exception"),
                exception_type=report.get("exception_type"),
                traceback_lines=lines,
                traceback="\n".join(lines),
                raised=not report.get("retry"),
                finished_at=trace.now(),
            )
            detail = f"the body raised {report.get('exception')} in {where}"
        elif report.get("state") == "REVOKED":
            ledger.update(task_id, outcome="revoked")
            why = "it expired while it waited" if report.get("expired") else "it was revoked"
            detail = f"{name} (pid {pid}) did not run {task_name}: {why}"
        else:
            state = str(report.get("state"))
            ledger.update(task_id, outcome=_OUTCOMES.get(state, state.lower()))
            detail = f"{where} finished with state {state}; the worker wrote its outcome"
        trace.record("task", stage.value, task_id=task_id, summary=detail)
        gate = keys.gate_key(self._run_id, pid)
        context.conductor.hold(
            stage, self._open_gate(gate), task_id=task_id, task_name=task_name, detail=detail
        )
        if stage is Stage.EXECUTING:
            ledger.update(task_id, started_at=trace.now())
