"""The caller: the learner's "main app", running the sample's statements in a thread of its own.

It runs the sample's definitions once (before any worker starts, so the workers know the tasks),
then, in its thread, each call statement, held at CALLING before each one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from .. import compat
from . import stdin
from .conductor import Conductor
from .errors import CutOff, RunClosed, RunStalled, SampleError
from .explain import explain_exception
from .guard import interrupt
from .ledger import Ledger
from .records import CallRecord, plain
from .sample import SampleProgram, Statement
from .stages import CALLER_THREAD, Stage
from .trace import Trace
from .where import exception_text, raised_at, running_in

READY_TIMEOUT = 5.0
"""Longest the run waits for the caller's thread to be ready for its first statement."""


class Caller:
    """The sample's namespace and the thread that runs its statements one stop at a time."""

    def __init__(
        self,
        program: SampleProgram,
        *,
        module: str,
        filename: str,
        default_queue: str,
        trace: Trace,
        conductor: Conductor,
        ledger: Ledger,
        thread_scope: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        self.program = program
        self._thread_scope = thread_scope
        """Entered for the life of the definitions' and the caller's threads (a Django run: the
        thread's own database connection)."""
        self.namespace: dict[str, Any] = {"__name__": module}
        """The sample's globals: its definitions, then the variables its calls set."""
        self.done = False
        """True once the caller ran out of statements (or the run closed)."""
        self._filename = filename
        self.default_queue = default_queue
        """The queue the caller declares before its first statement."""
        self._trace = trace
        self._conductor = conductor
        self._ledger = ledger
        self._app: Any = None
        self._definition_names: set[str] = set()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def define(
        self, app: Any, time_limit: float, adopt: Callable[[dict[str, Any]], Any] | None = None
    ) -> Any:
        """Run the sample's definitions, registering its tasks into `app` (and no other app).

        They run in a thread of their own, given `time_limit` seconds (else RunStalled, and the
        thread is let go of). Whatever they raise (SystemExit and KeyboardInterrupt too: the tutor
        lives on) becomes SampleError naming the sample's line: `<lesson x>: line 3 raised
        ModuleNotFoundError: No module named 'nope'`. `adopt(namespace)`, when given, runs right
        after them (while `app` is still the only live app) and returns the app to use instead.
        Returns the app the run uses.
        """
        self._app = app
        raised: list[BaseException] = []

        def definitions() -> None:
            stdin.claim_thread()
            try:
                with self._thread_scope():
                    exec(self.program.definitions, self.namespace)
            except CutOff:
                pass
            except BaseException as exc:
                raised.append(exc)

        with compat.only_app_alive(app):
            thread = threading.Thread(target=definitions, name="definitions", daemon=True)
            thread.start()
            thread.join(time_limit)
            if thread.ident is not None and thread.is_alive():
                running = running_in(thread.ident, self._filename, {})
                interrupt(thread.ident)
                line = self.program.definition_lines[0] if running is None else running.line
                raise RunStalled(
                    f"{self._filename}: line {line} (the sample's definitions) ran past the "
                    f"{time_limit:g} s limit for one stage",
                    stage=Stage.DEFINED.value,
                    line=line,
                    limit=time_limit,
                )
            if adopt is not None and not raised:
                self._app = adopt(self.namespace)
        for exc in raised:
            line = raised_at(exc, self._filename) or self.program.definition_lines[0]
            error = exception_text(exc)
            raise SampleError(
                f"{self._filename}: line {line} raised {error}", line=line, error=error
            ) from exc
        self._definition_names = set(self.namespace)
        return self._app

    def start(self) -> None:
        """Start the caller's thread; return once it is ready for its first statement."""
        self._thread = threading.Thread(target=self._main, name=CALLER_THREAD, daemon=True)
        self._thread.start()
        self._ready.wait(READY_TIMEOUT)

    @property
    def thread_ident(self) -> int | None:
        """The caller thread's id (None before it starts)."""
        return None if self._thread is None else self._thread.ident

    def join(self, timeout: float) -> None:
        """Wait for the caller's thread to end (at teardown, after the run released it)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def variables(self) -> dict[str, Any]:
        """The variables the calls set so far (definitions and dunders left out), plain."""
        return {
            name: plain(value)
            for name, value in list(self.namespace.items())
            if name not in self._definition_names and not name.startswith("__")
        }

    # ------------------------------------------------------------------ in the caller's thread
    def _main(self) -> None:
        with self._thread_scope():
            self._statements()

    def _statements(self) -> None:
        self._trace.name_thread(threading.get_ident(), CALLER_THREAD)
        stdin.claim_thread()
        self._app.set_current()
        self._conductor.begin_work()
        try:
            self._warm_up()
        finally:
            self._ready.set()
        try:
            for index, statement in enumerate(self.program.calls, start=1):
                self._conductor.hold(
                    Stage.CALLING,
                    line=statement.line,
                    detail=f"the main app runs line {statement.line}: {statement.source}",
                )
                if not self._call(index, statement):
                    break
        except (RunClosed, CutOff):
            pass
        except BaseException as exc:  # never a traceback on the terminal the UI draws on
            self._trace.record("caller", "crashed", summary=explain_exception(exc))
        finally:
            self.done = True
            self._trace.record("caller", "done", summary="the main app has no more statements")
            self._conductor.end_work()

    def _warm_up(self) -> None:
        """Pay the once-per-thread set-up a long-running app has already paid before its first
        delay() (result backend instance, thread oid, producer connection), so the lesson's
        timings show what delay() itself costs."""
        app = self._app
        _ = app.backend, app.thread_oid
        with app.producer_or_acquire() as producer:
            queue = app.amqp.queues.get(self.default_queue)
            if queue is not None:
                queue.bind(producer.channel).declare()

    def _call(self, index: int, statement: Statement) -> bool:
        """Run one statement; False when the main app must stop there (SystemExit,
        KeyboardInterrupt: a real program would end)."""
        trace = self._trace
        record = CallRecord(
            index=index,
            line=statement.line,
            source=statement.source,
            thread=CALLER_THREAD,
            started_at=trace.now(),
        )
        paused_before = self._conductor.clock.paused_seconds()
        self._ledger.add_call(record)
        trace.record("caller", "call", summary=f"line {statement.line}: {statement.source}")
        outcome: dict[str, Any] = {}
        go_on = True
        try:
            with self._conductor.in_sample():
                if statement.is_expression:
                    value = eval(statement.code, self.namespace)
                else:
                    exec(statement.code, self.namespace)
                    value = None
        except (RunClosed, CutOff):
            raise
        except BaseException as exc:
            go_on = isinstance(exc, Exception)
            outcome = {"error": explain_exception(exc), "value_type": type(exc).__name__}
        else:
            value_type = type(value).__name__ if statement.is_expression else None
            outcome = {"value": plain(value), "value_type": value_type}
        self._ledger.update_call(
            record,
            **outcome,
            finished_at=trace.now(),
            paused_seconds=self._conductor.clock.paused_seconds() - paused_before,
        )
        work_ms = (record.work_seconds or 0.0) * 1000
        error = outcome.get("error")
        said = f"raised {error}" if error else f"returned {record.value!r}"
        trace.record(
            "caller",
            "call-returned",
            summary=f"line {statement.line} {said} after {work_ms:.1f} ms of work",
            data={"line": statement.line, "work_ms": work_ms, "error": error},
        )
        return go_on
