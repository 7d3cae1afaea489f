"""A real Celery worker (WorkController, solo pool) running in a thread of the tutor's process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from celery import Celery
from celery.worker import WorkController

READY_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class InThreadWorker:
    """One worker: consumes the given queues, executes tasks inline in its own thread."""

    def __init__(
        self,
        app: Celery,
        *,
        name: str,
        queues: list[str],
        timer_cls: type[Any],
        on_thread_start: Callable[[InThreadWorker], None],
        on_thread_exit: Callable[[InThreadWorker], None],
        pool: str | type[Any] = "solo",
        concurrency: int = 1,
        prefetch_multiplier: int = 4,
    ) -> None:
        self.app = app
        self.name = name
        self.queues = list(queues)
        self.thread_ident: int | None = None
        self.crashed: BaseException | None = None
        self._ready = threading.Event()
        self._stopping = False
        self._on_thread_start = on_thread_start
        self._on_thread_exit = on_thread_exit
        self.controller = WorkController(
            app=app,
            hostname=f"{name}@tutor",
            pool=pool,
            concurrency=concurrency,
            prefetch_multiplier=prefetch_multiplier,
            queues=self.queues,
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
            timer_cls=timer_cls,
            loglevel="WARNING",
            ready_callback=lambda *_: self._ready.set(),
        )
        self._thread = threading.Thread(target=self._main, name=name, daemon=True)

    @property
    def stopped(self) -> bool:
        """True once the worker was told to stop (its thread may still be held in a task)."""
        return self._stopping

    @property
    def alive(self) -> bool:
        """True while the worker's thread runs."""
        return self._thread.is_alive()

    def start(self) -> None:
        """Start the worker thread and wait until it consumes its queues."""
        self._thread.start()
        if not self._ready.wait(READY_TIMEOUT):
            raise RuntimeError(f"worker {self.name} did not become ready: {self.crashed!r}")

    def _main(self) -> None:
        self.thread_ident = threading.get_ident()
        self.app.set_current()
        self._on_thread_start(self)
        try:
            self.controller.start()
            if not self._stopping:
                self.crashed = RuntimeError(f"worker {self.name} stopped on its own")
        except BaseException as exc:  # the worker dies: the run shows it, never a traceback
            self.crashed = exc
        finally:
            self._on_thread_exit(self)
            self._ready.set()

    def stop(self, *, join: bool = True) -> None:
        """Stop consuming and join the thread (fast: drains are capped, the timer wakes).

        With `join=False` the thread is not waited for: it runs a task body the run lets go of,
        and ends on its own once the body returns (its consumer is stopped already)."""
        self._stopping = True
        try:
            self.controller.stop(in_sighandler=False)
        finally:
            if join:
                self._thread.join(STOP_TIMEOUT)

    def join(self) -> None:
        """Wait for the stopped worker's thread to end."""
        self._thread.join(STOP_TIMEOUT)

    def lose(self) -> None:
        """Stop the worker while its thread may be held inside a task, without waiting for that
        thread, and drop its broker connection (as when a worker's process dies): the broker
        restores the messages it received and did not acknowledge."""
        consumer = getattr(self.controller, "consumer", None)
        connection = getattr(consumer, "connection", None)
        task_consumer = getattr(consumer, "task_consumer", None)
        self.stop(join=False)
        if task_consumer is not None:  # kombu's memory channel does not restore on close
            task_consumer.channel.qos.restore_unacked()
        if connection is not None:
            connection.close()
