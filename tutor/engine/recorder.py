"""The recorder: hears every real event of a run, writes the trace, holds stages (the conductor).

It is what the broker store, the worker timers, the app's tasks and results, Celery's signals and
Celery's logger report to. Each report becomes a trace event (with its time and thread), updates
the task's record, and, where the learner should look, parks the thread at a stage.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, signals
from celery.exceptions import Retry

from .conductor import Conductor
from .records import CallRecord, TaskRecord, plain
from .stages import Stage
from .trace import Trace
from .wire import decode_message

_SIGNALS = {
    "before_task_publish": signals.before_task_publish,
    "after_task_publish": signals.after_task_publish,
    "task_received": signals.task_received,
    "task_prerun": signals.task_prerun,
    "task_postrun": signals.task_postrun,
    "task_success": signals.task_success,
    "task_failure": signals.task_failure,
    "task_retry": signals.task_retry,
    "task_rejected": signals.task_rejected,
    "task_unknown": signals.task_unknown,
}

_run_numbers = itertools.count(1)


class RunRecorder(logging.Handler):
    """Turns a run's real events into trace events, task records and held stages."""

    def __init__(self, app_ref: Callable[[], Any]) -> None:
        super().__init__(level=logging.WARNING)
        self.run_number = next(_run_numbers)
        self.trace = Trace()
        self.conductor = Conductor(self.trace)
        self.tasks: dict[str, TaskRecord] = {}
        self.calls: list[CallRecord] = []
        self.in_timer: dict[str, str] = {}
        self.worker_busy_with: dict[str, str | None] = {}
        self._app_ref = app_ref
        self._lock = threading.RLock()
        self._direct_calls = itertools.count(1)
        self._direct_stack = threading.local()
        self._uid = f"tutor-run-{self.run_number}"

    # ------------------------------------------------------------------ wiring
    def connect(self) -> None:
        """Listen to Celery's signals and its logger for this run."""
        for name, signal in _SIGNALS.items():
            receiver = getattr(self, f"_on_{name}")
            signal.connect(receiver, weak=False, dispatch_uid=f"{self._uid}-{name}")
        logging.getLogger("celery").addHandler(self)

    def disconnect(self) -> None:
        """Stop listening (at teardown)."""
        for name, signal in _SIGNALS.items():
            signal.disconnect(dispatch_uid=f"{self._uid}-{name}")
        logging.getLogger("celery").removeHandler(self)

    @property
    def app(self) -> Any:
        """The run's Celery app."""
        return self._app_ref()

    def _ours(self, task: Any) -> bool:
        return getattr(task, "app", None) is self.app

    def _bind(self, name: str, args: Any, kwargs: Any) -> dict[str, Any]:
        """Arguments by the task's parameter names (arg0, arg1... when it cannot be told)."""
        args = tuple(args or ())
        kwargs = dict(kwargs or {})
        try:
            bound = inspect.signature(self.app.tasks[name].run).bind_partial(*args, **kwargs)
            values = dict(bound.arguments)
        except (KeyError, TypeError, ValueError):
            values = {f"arg{i}": value for i, value in enumerate(args)} | kwargs
        return {key: plain(value) for key, value in values.items()}

    def _record(self, key: str, name: str = "") -> TaskRecord:
        with self._lock:
            record = self.tasks.get(key)
            if record is None:
                record = self.tasks[key] = TaskRecord(key=key, name=name)
            elif name and not record.name:
                record.name = name
            return record

    # ------------------------------------------------------------------ broker (BrokerListener)
    def before_put(self, queue: str, message: dict[str, Any]) -> None:
        """A message enters a queue: record it and, for a task message, gate it."""
        wire = decode_message(queue, message)
        if not wire.id or not wire.task:
            return
        record = self._record(wire.id, wire.task)
        with self._lock:
            record.args = list(wire.args)
            record.kwargs = dict(wire.kwargs)
            record.queue = queue
            record.eta = wire.headers.get("eta")
            record.retries = int(wire.headers.get("retries") or 0)
            record.arguments = self._bind(wire.task, wire.args, wire.kwargs)
            record.published_by = self.trace.thread_name()
            record.published_at = self.trace.now()
        self.trace.record(
            "broker",
            "put",
            task_id=wire.id,
            summary=f"message {wire.task}{_args_text(wire.args, wire.kwargs)} put in '{queue}'",
            data={"queue": queue, "task": wire.task, "args": plain(wire.args)},
        )
        where = f"in queue '{queue}'"
        self.conductor.gate_message(
            wire.id,
            queue,
            task_name=wire.task,
            detail=f"the message for {wire.task} waits {where}; no worker has it yet",
        )

    def may_take(self, queue: str, message: dict[str, Any]) -> bool:
        """Whether a worker may take the message at the head of `queue` now."""
        wire = decode_message(queue, message)
        if not wire.id or not wire.task:
            return True
        return self.conductor.may_take(wire.id)

    def taken(self, queue: str, message: dict[str, Any]) -> None:
        """A worker took a message off a queue."""
        wire = decode_message(queue, message)
        if wire.id and wire.task:
            self.conductor.took(wire.id)
        self.trace.record(
            "broker",
            "get",
            task_id=wire.id or None,
            summary=f"a worker took the message for {wire.task or '?'} off queue '{queue}'",
            data={"queue": queue},
        )

    def idle(self, queue: str) -> None:
        """A worker found nothing to take: it is idle."""
        self.conductor.end_work()

    def acked(self, delivery_tag: Any, message: Any) -> None:
        """A worker acknowledged a message: the broker forgets it."""
        task_id = None
        if message is not None:
            task_id = (message.headers or {}).get("id")
        self.trace.record(
            "broker",
            "ack",
            task_id=task_id,
            summary="the worker acknowledged the message; the broker forgets it",
            data={"delivery_tag": str(delivery_tag)},
        )

    # ------------------------------------------------------------------ timers (TimerListener)
    def timer_started(self, timer: Any) -> None:
        """A worker's timer thread starts: name it after its worker."""
        worker = getattr(type(timer), "worker_name", "worker")
        name = f"{worker}-timer"
        self.trace.name_thread(threading.get_ident(), name)
        app = self.app
        if app is not None:
            app.set_current()

    def scheduled(self, request: Any, eta: Any) -> None:
        """A task waits in a worker's timer for its countdown/ETA."""
        task_id = str(getattr(request, "id", ""))
        eta_text = str(getattr(request, "eta", "") or eta)
        with self._lock:
            self.in_timer[task_id] = eta_text
        self.conductor.timer_entry_added()
        self.trace.record(
            "timer",
            "scheduled",
            task_id=task_id,
            summary=f"the task waits in the worker's timer until {eta_text}, not in the queue",
            data={"eta": eta_text},
        )
        self.conductor.mark(
            Stage.SCHEDULED,
            task_id=task_id,
            task_name=getattr(request, "name", None),
            detail=f"the task waits in the worker's timer until {eta_text}",
        )

    def fired(self, request: Any) -> None:
        """The timer fired a task entry: its ETA came."""
        task_id = str(getattr(request, "id", ""))
        with self._lock:
            self.in_timer.pop(task_id, None)
        self.conductor.timer_entry_fired()
        self.trace.record("timer", "fired", task_id=task_id, summary="the countdown ended")

    def fire_done(self, request: Any) -> None:
        """The timer thread finished the fired entry."""
        self.conductor.end_work()

    # ------------------------------------------------------------------ tasks (RunHooks)
    @property
    def closing(self) -> bool:
        """True once the run closes."""
        return self.conductor.closing

    def _task_key(self, task: Task) -> str:
        task_id = task.request.id
        if task_id:
            return str(task_id)
        stack: list[str] = getattr(self._direct_stack, "keys", [])
        if stack:
            return stack[-1]
        return "direct-?"

    def task_executing(self, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """A task body is about to run: remember its arguments as the body sees them; hold."""
        direct = not task.request.id
        if direct:
            key = f"direct-{next(self._direct_calls)}"
            stack = getattr(self._direct_stack, "keys", None)
            if stack is None:
                stack = self._direct_stack.keys = []
            stack.append(key)
        else:
            key = str(task.request.id)
        record = self._record(key, task.name)
        bound = self._bind(task.name, args, kwargs)
        thread = self.trace.thread_name()
        with self._lock:
            record.direct = direct
            if direct:
                record.args = plain(list(args))
                record.kwargs = plain(dict(kwargs))
            record.executed_by = thread
            record.local_values = bound
            if direct:
                record.arguments = bound
            owner = thread.removesuffix("-timer")
            if owner in self.worker_busy_with:
                self.worker_busy_with[owner] = key
        where = "in the caller's own thread" if direct else f"in {thread}"
        self.trace.record(
            "task",
            "executing",
            task_id=None if direct else key,
            summary=f"{task.name}{_args_text(args, kwargs)} starts running {where}",
            data={"direct": direct, "locals": record.local_values},
        )
        self.conductor.hold(
            Stage.EXECUTING,
            task_id=None if direct else key,
            task_name=task.name,
            detail=f"{task.name}{_args_text(args, kwargs)} is running {where}",
        )
        with self._lock:
            record.started_at = self.trace.now()

    def task_returned(self, task: Task, value: Any) -> None:
        """A task body returned: remember the value; hold."""
        key = self._task_key(task)
        record = self._record(key, task.name)
        with self._lock:
            record.returned = True
            record.return_value = plain(value)
            record.finished_at = self.trace.now()
        self.trace.record(
            "task",
            "returned",
            task_id=None if record.direct else key,
            summary=f"{task.name} returned {value!r}",
            data={"value": plain(value)},
        )
        self._pop_direct(record)
        self.conductor.hold(
            Stage.RETURNED,
            task_id=None if record.direct else key,
            task_name=task.name,
            detail=f"{task.name} returned {value!r}",
        )

    def task_raised(self, task: Task, exc: BaseException) -> None:
        """A task body raised (a retry request is an exception too): remember it; hold."""
        key = self._task_key(task)
        record = self._record(key, task.name)
        retry = isinstance(exc, Retry)
        text = f"retry requested: {exc}" if retry else f"{type(exc).__name__}: {exc}"
        with self._lock:
            record.exception = text
            record.finished_at = self.trace.now()
        self.trace.record(
            "task", "raised", task_id=None if record.direct else key, summary=f"{task.name} {text}"
        )
        self._pop_direct(record)
        self.conductor.hold(
            Stage.RAISED,
            task_id=None if record.direct else key,
            task_name=task.name,
            detail=f"{task.name} raised {text}" if not retry else f"{task.name}: {text}",
        )

    def _pop_direct(self, record: TaskRecord) -> None:
        if record.direct:
            stack = getattr(self._direct_stack, "keys", [])
            if stack and stack[-1] == record.key:
                stack.pop()

    @contextmanager
    def waiting(self, ready: Callable[[], bool]) -> Iterator[None]:
        """The caller waits for a result."""
        self.trace.record("caller", "waiting", summary="the caller blocks, waiting for a result")
        with self.conductor.waiting(ready):
            yield
        self.trace.record("caller", "waited", summary="the result arrived; the caller goes on")

    # ------------------------------------------------------------------ Celery's signals
    def _on_before_task_publish(self, sender: Any = None, headers: Any = None, **kw: Any) -> None:
        if not self.trace.owns_current_thread():
            return
        headers = headers or {}
        self.trace.record(
            "signal",
            "before_task_publish",
            task_id=headers.get("id"),
            summary=f"publishing {sender} to routing key '{kw.get('routing_key')}'",
            data={"routing_key": kw.get("routing_key"), "exchange": kw.get("exchange")},
        )

    def _on_after_task_publish(self, sender: Any = None, headers: Any = None, **kw: Any) -> None:
        if not self.trace.owns_current_thread():
            return
        headers = headers or {}
        self.trace.record(
            "signal",
            "after_task_publish",
            task_id=headers.get("id"),
            summary=f"{sender} published; the sender does not wait for it to run",
        )

    def _on_task_received(self, sender: Any = None, request: Any = None, **kw: Any) -> None:
        if getattr(sender, "app", None) is not self.app or request is None:
            return
        thread = self.trace.thread_name()
        record = self._record(str(request.id), request.name)
        with self._lock:
            record.received_by = thread
            record.received_at = self.trace.now()
            self.worker_busy_with[thread] = str(request.id)
        self.trace.record(
            "signal",
            "task_received",
            task_id=str(request.id),
            summary=f"{thread} received {request.name}{_args_text(request.args, request.kwargs)}",
        )
        eta = f" (it must wait until {request.eta})" if request.eta else ""
        self.conductor.hold(
            Stage.RECEIVED,
            task_id=str(request.id),
            task_name=request.name,
            detail=f"{thread} took the message; it is not acknowledged yet{eta}",
        )

    def _on_task_prerun(self, sender: Any = None, task_id: Any = None, **kw: Any) -> None:
        if self._ours(sender):
            self.trace.record("signal", "task_prerun", task_id=task_id, summary="task_prerun")

    def _on_task_postrun(self, sender: Any = None, task_id: Any = None, **kw: Any) -> None:
        if not self._ours(sender):
            return
        owner = self.trace.thread_name().removesuffix("-timer")
        with self._lock:
            if self.worker_busy_with.get(owner) == task_id:
                self.worker_busy_with[owner] = None
        self.trace.record(
            "signal",
            "task_postrun",
            task_id=task_id,
            summary=f"{sender.name} finished with state {kw.get('state')}",
            data={"state": kw.get("state")},
        )

    def _stored(self, sender: Any, task_id: str, outcome: str, summary: str) -> None:
        record = self._record(task_id, sender.name)
        with self._lock:
            record.outcome = outcome
        backend = self.app.backend
        ignored = sender.ignore_result or self.app.conf.task_ignore_result
        if type(backend).__name__ == "DisabledBackend":
            where = "there is no result backend, so the outcome is not stored"
        elif ignored and outcome == "success":
            where = "ignore_result is set, so the outcome is not stored"
        else:
            where = f"the result backend stored state {outcome.upper()}"
        self.trace.record(
            "signal", f"task_{outcome}", task_id=task_id, summary=f"{summary}; {where}"
        )
        self.conductor.hold(Stage.STORED, task_id=task_id, task_name=sender.name, detail=where)

    def _on_task_success(self, sender: Any = None, result: Any = None, **kw: Any) -> None:
        if self._ours(sender):
            task_id = str(sender.request.id)
            self._stored(sender, task_id, "success", f"{sender.name} succeeded with {result!r}")

    def _on_task_failure(
        self,
        sender: Any = None,
        task_id: Any = None,
        exception: Any = None,
        einfo: Any = None,
        **kw: Any,
    ) -> None:
        if not self._ours(sender):
            return
        record = self._record(str(task_id), sender.name)
        with self._lock:
            record.exception = f"{type(exception).__name__}: {exception}"
            record.traceback = str(getattr(einfo, "traceback", "") or "") or None
        self._stored(sender, str(task_id), "failure", f"{sender.name} failed: {record.exception}")

    def _on_task_retry(
        self, sender: Any = None, request: Any = None, reason: Any = None, **kw: Any
    ) -> None:
        if self._ours(sender) and request is not None:
            self._stored(
                sender, str(request.id), "retry", f"{sender.name} will be retried ({reason})"
            )

    def _on_task_rejected(self, sender: Any = None, message: Any = None, **kw: Any) -> None:
        if getattr(sender, "app", None) is self.app:
            self.trace.record("signal", "task_rejected", summary="the worker rejected a message")

    def _on_task_unknown(self, sender: Any = None, name: Any = None, **kw: Any) -> None:
        if getattr(sender, "app", None) is self.app:
            self.trace.record(
                "signal", "task_unknown", summary=f"the worker does not know a task named {name!r}"
            )

    # ------------------------------------------------------------------ Celery's logger
    def emit(self, record: logging.LogRecord) -> None:
        """A warning or error from Celery's logger (a worker crash is otherwise silent)."""
        if not self.trace.owns_current_thread():
            return
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.trace.record(
            "log", record.levelname.lower(), summary=message.splitlines()[0] if message else ""
        )


def _args_text(args: Any, kwargs: Any) -> str:
    parts = [repr(arg) for arg in (args or ())]
    parts += [f"{key}={value!r}" for key, value in (kwargs or {}).items()]
    return f"({', '.join(parts)})"
