"""The task tap: hears task bodies run, return or raise, and the caller wait for a result.

It is the `RunHooks` the app's task class (`GatedTask`) and result classes call, in the thread
doing the work, so it can hold that thread at EXECUTING, RETURNED or RAISED.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, states
from celery.exceptions import Retry

from ..errors import RunClosed
from ..records import TaskRecord, plain
from ..snapshot import decode_meta
from ..stages import CALLER_THREAD, Stage, worker_of
from ..where import sample_traceback
from .base import TapContext, args_text


def abandon(context: TapContext) -> None:
    """The calling thread's worker was stopped while it held this task: the thread goes no
    further (nothing it would do afterwards happens) and waits, idle, for its run to close."""
    context.conductor.end_work()
    while not context.conductor.closing:
        time.sleep(0.02)
    raise RunClosed("the worker was stopped while it ran this task")


META_PREFIX = b"celery-task-meta-"


class TaskTap:
    """A `RunHooks`: records what task bodies did and holds their threads at each stage."""

    def __init__(self, context: TapContext) -> None:
        self.context = context
        self._direct_calls = itertools.count(1)
        self._direct_stack = threading.local()
        self._waits = threading.local()

    @property
    def closing(self) -> bool:
        """True once the run closes."""
        return self.context.conductor.closing

    def _stack(self) -> list[str]:
        """Keys of the direct calls (no message, no id) running in this thread, innermost last."""
        stack: list[str] | None = getattr(self._direct_stack, "keys", None)
        if stack is None:
            stack = self._direct_stack.keys = []
        return stack

    def _task_key(self, task: Task) -> str:
        task_id = task.request.id
        if task_id:
            return str(task_id)
        stack = self._stack()
        return stack[-1] if stack else "direct-?"

    def task_executing(self, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """A task body is about to run: remember its arguments as the body sees them; hold."""
        context = self.context
        direct = not task.request.id
        if direct:
            key = f"direct-{next(self._direct_calls)}"
            self._stack().append(key)
        else:
            key = str(task.request.id)
        bound = context.bind(task.name, args, kwargs)
        thread = context.trace.thread_name()
        fields: dict[str, Any] = {"direct": direct, "executed_by": thread, "local_values": bound}
        if direct:
            fields |= {"args": plain(list(args)), "kwargs": plain(dict(kwargs)), "arguments": bound}
        record = context.ledger.update(key, task.name, **fields)
        context.ledger.worker_holds(worker_of(thread), key, only_known=True)
        where = "in the caller's own thread" if direct else f"in {thread}"
        context.trace.record(
            "task",
            "executing",
            task_id=None if direct else key,
            summary=f"{task.name}{args_text(args, kwargs)} starts running {where}",
            data={"direct": direct, "locals": record.local_values},
        )
        context.conductor.hold(
            Stage.EXECUTING,
            task_id=None if direct else key,
            task_name=task.name,
            detail=f"{task.name}{args_text(args, kwargs)} is running {where}",
        )
        if not direct and worker_of(thread) in context.lost:
            abandon(context)
        context.ledger.update(key, started_at=context.trace.now())

    def task_returned(self, task: Task, value: Any) -> None:
        """A task body returned: remember the value; hold."""
        context = self.context
        key = self._task_key(task)
        record = context.ledger.update(
            key,
            task.name,
            returned=True,
            return_value=plain(value),
            finished_at=context.trace.now(),
        )
        context.trace.record(
            "task",
            "returned",
            task_id=None if record.direct else key,
            summary=f"{task.name} returned {value!r}",
            data={"value": plain(value)},
        )
        self._pop_direct(record)
        context.conductor.hold(
            Stage.RETURNED,
            task_id=None if record.direct else key,
            task_name=task.name,
            detail=f"{task.name} returned {value!r}",
        )

    def task_raised(self, task: Task, exc: BaseException) -> None:
        """A task body raised (a retry request is an exception too): remember it; hold."""
        context = self.context
        key = self._task_key(task)
        retry = isinstance(exc, Retry)
        text = f"retry requested: {exc}" if retry else f"{type(exc).__name__}: {exc}"
        lines = () if retry else self.traceback_of(exc)
        record = context.ledger.update(
            key,
            task.name,
            exception=text,
            exception_type=type(exc).__name__,
            traceback_lines=lines,
            traceback="\n".join(lines) or None,
            raised=not retry,
            finished_at=context.trace.now(),
        )
        task_id = None if record.direct else key
        context.trace.record("task", "raised", task_id=task_id, summary=f"{task.name} {text}")
        self._pop_direct(record)
        context.conductor.hold(
            Stage.RAISED,
            task_id=task_id,
            task_name=task.name,
            detail=f"{task.name} raised {text}" if not retry else f"{task.name}: {text}",
        )

    def _pop_direct(self, record: TaskRecord) -> None:
        if record.direct:
            stack = self._stack()
            if stack and stack[-1] == record.key:
                stack.pop()

    @contextmanager
    def in_sample(self) -> Iterator[None]:
        """The calling thread runs a task body (the sample's own code) meanwhile."""
        with self.context.sample_scope(), self.context.conductor.in_sample():
            yield

    def traceback_of(self, exc: BaseException) -> tuple[str, ...]:
        """`exc`'s traceback as the learner reads it: the sample's own frames only."""
        return sample_traceback(exc, self.context.filename)

    def paused_since_publish(self, task_id: str) -> float:
        """Real seconds the run stood still since the message `task_id` was last published."""
        record = self.context.ledger.get(task_id)
        published = 0.0 if record is None else record.paused_at_publish
        return max(0.0, self.context.conductor.clock.real_paused() - published)

    def run_clock(self) -> float:
        """The run's own time (monotonic scale; the learner's pauses left out)."""
        return self.context.conductor.clock.now()

    def polled(self, key: bytes, value: Any) -> None:
        """The result backend was read. For a thread waiting for a result, count the poll; trace
        its first poll and the one that found the result ready (polls in between, while the run
        may stand still, only count: the trace stays the same from one play to the next)."""
        polls: dict[str, Any] | None = getattr(self._waits, "polls", None)
        key = key.encode() if isinstance(key, str) else key
        if polls is None or not key.startswith(META_PREFIX):
            return
        polls["count"] += 1
        state = "PENDING" if value is None else str(decode_meta(value).get("status", "?"))
        polls["state"] = state
        if polls["count"] > 1 and state not in states.READY_STATES:
            return
        self.context.trace.record(
            "backend",
            "poll",
            task_id=key[len(META_PREFIX) :].decode("utf-8", "replace"),
            summary=f"the result backend says {state} (poll {polls['count']})",
            data={"state": state, "poll": polls["count"]},
        )

    @contextmanager
    def waiting(self, ready: Callable[[], bool], deadline: float | None) -> Iterator[None]:
        """A thread (the caller) waits for a result, until `deadline` (run clock) if given."""
        context = self.context
        trace, clock = context.trace, context.conductor.clock
        timeout = None if deadline is None else round(deadline - clock.now(), 3)
        trace.record(
            "caller",
            "waiting",
            summary="the caller blocks, waiting for a result"
            + ("" if timeout is None else f" (for at most {timeout:g} s)"),
            data={"timeout": timeout},
        )
        polls = self._waits.polls = {"count": 0, "state": None}
        ready()  # the first poll, while this thread still counts as working
        started = clock.now()
        ended = "the result arrived; the caller goes on"
        try:
            with context.conductor.waiting(ready, deadline):
                yield
        except BaseException as exc:
            ended = f"the wait ended with {type(exc).__name__}"
            raise
        finally:
            self._waits.polls = None
            waited = clock.now() - started
            if trace.thread_name() == CALLER_THREAD:
                context.ledger.add_wait(waited)
            trace.record(
                "caller",
                "waited",
                summary=f"{ended} after {waited * 1000:.0f} ms of run time "
                f"({polls['count']} polls of the result backend)",
                data={"waited_ms": waited * 1000, "polls": polls["count"], "state": polls["state"]},
            )
