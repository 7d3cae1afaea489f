"""Celery's threads pool, held like every other thread of a run.

With `pool="threads"` a worker's own thread only fetches messages (so it reserves ahead: prefetch)
and hands each task to a pool thread, which runs the body. The run must know such a handed-off
task is on its way, or it would look settled before the pool thread starts: `handed_off` counts it
until the pool thread takes it up (`begin_pool_work`) and `end_work` when the task is done.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from celery.concurrency.base import apply_target
from celery.concurrency.solo import TaskPool as SoloTaskPool
from celery.concurrency.thread import ApplyResult
from celery.concurrency.thread import TaskPool as ThreadsTaskPool


class RunSoloPool(SoloTaskPool):  # type: ignore[misc]
    """Celery's solo pool, leaving `result.get()` allowed in the process.

    Building a pool sets Celery's process-wide "a join would block" flag from the pool's
    `task_join_will_block`; the run clears it once its workers are up (`allow_result_join`). With
    two runs alive, a worker starting in one would set it again under the other's caller, whose
    `get()` would raise "Never call result.get() within a task!". The tutor's pools keep it off.
    """

    task_join_will_block = False


class RunThreadsPool(ThreadsTaskPool):  # type: ignore[misc]
    """Celery's threads pool whose threads report to the run (named `<worker>-pool-N`); like
    RunSoloPool it leaves `result.get()` allowed."""

    task_join_will_block = False

    worker_name: ClassVar[str] = "worker"
    on_pool_thread: ClassVar[Callable[[str], None]]
    """Called first in a pool thread for each task with that thread's name (names it, claims it)."""
    hand_off: ClassVar[Callable[[int], None]]
    """Tells the run how many more tasks a free pool thread is about to take up (or, negative,
    took up)."""
    finished: ClassVar[Callable[[], None]]
    """Called in the pool thread once the task (body, result, acknowledgement) is done."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._numbers = itertools.count(1)
        self._names: dict[int, str] = {}
        self._lock = threading.Lock()
        self._waiting = 0  # submitted, not started by a pool thread
        self._running = 0
        self._announced = 0  # of the waiting ones: told to the run (a thread is free for them)

    def _thread_name(self) -> str:
        me = threading.get_ident()
        with self._lock:
            if me not in self._names:
                self._names[me] = f"{self.worker_name}-pool-{next(self._numbers)}"
            return self._names[me]

    def on_stop(self) -> None:
        """Stop taking tasks; a pool thread held inside a body is not waited for."""
        self.executor.shutdown(wait=False, cancel_futures=True)

    def on_apply(
        self,
        target: Callable[..., Any],
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        callback: Callable[..., Any] | None = None,
        accept_callback: Callable[..., Any] | None = None,
        **_: Any,
    ) -> ApplyResult:
        """Hand the task to a pool thread; the run waits for it to be taken up."""
        with self._lock:
            announce = self._running + self._waiting < self.limit
            self._waiting += 1
            self._announced += announce
        if announce:
            type(self).hand_off(1)

        def job() -> Any:
            with self._lock:
                self._waiting -= 1
                self._running += 1
                taken = self._announced > 0
                self._announced -= taken
            type(self).on_pool_thread(self._thread_name())  # busy from here on
            if taken:
                type(self).hand_off(-1)
            try:
                return apply_target(target, args, kwargs, callback, accept_callback)
            finally:
                with self._lock:
                    self._running -= 1
                    announce = self._waiting > self._announced
                    self._announced += announce
                if announce:  # this thread takes up the next waiting task
                    type(self).hand_off(1)
                type(self).finished()

        return ApplyResult(self.executor.submit(job))
