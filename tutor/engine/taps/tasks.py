"""The task tap: hears task bodies run, return or raise, and the caller wait for a result.

It is the `RunHooks` the app's task class (`GatedTask`) and result classes call, in the thread
doing the work, so it can hold that thread at EXECUTING, RETURNED or RAISED.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from celery import Task
from celery.exceptions import Retry

from ..records import TaskRecord, plain
from ..stages import Stage
from .base import TapContext, args_text


class TaskTap:
    """A `RunHooks`: records what task bodies did and holds their threads at each stage."""

    def __init__(self, context: TapContext) -> None:
        self.context = context
        self._direct_calls = itertools.count(1)
        self._direct_stack = threading.local()

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
        context.ledger.worker_holds(thread.removesuffix("-timer"), key, only_known=True)
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
        record = context.ledger.update(
            key, task.name, exception=text, finished_at=context.trace.now()
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

    def in_sample(self) -> AbstractContextManager[None]:
        """The calling thread runs a task body (the sample's own code) meanwhile."""
        return self.context.conductor.in_sample()

    @contextmanager
    def waiting(self, ready: Callable[[], bool]) -> Iterator[None]:
        """The caller waits for a result."""
        trace = self.context.trace
        trace.record("caller", "waiting", summary="the caller blocks, waiting for a result")
        with self.context.conductor.waiting(ready):
            yield
        trace.record("caller", "waited", summary="the result arrived; the caller goes on")
