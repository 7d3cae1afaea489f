"""Building one in-thread worker of a run: its timer, its pool and the run's bookkeeping of its
threads (names in the trace, the queues each thread consumes, work begun and ended)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from . import stdin
from .app import RunApp
from .config import WorkerSpec
from .explain import explain_exception
from .pool import RunSoloPool, RunThreadsPool
from .timer import RunTimer
from .worker import InThreadWorker

if TYPE_CHECKING:
    from .recorder import RunRecorder


def build_worker(app: RunApp, spec: WorkerSpec, recorder: RunRecorder) -> InThreadWorker:
    """The worker `spec` describes on `app` (not started yet), reporting its threads to
    `recorder`."""
    trace, conductor, ledger = recorder.trace, recorder.conductor, recorder.ledger
    timer_cls = type(
        "RunTimer", (RunTimer,), {"listener": recorder.timer_tap, "worker_name": spec.name}
    )

    def on_thread_start(worker: InThreadWorker) -> None:
        ident = threading.get_ident()
        trace.name_thread(ident, worker.name)
        stdin.claim_thread()
        ledger.worker_joined(worker.name)
        for queue in worker.queues:
            conductor.consume(queue, ident)

    def on_thread_exit(worker: InThreadWorker) -> None:
        conductor.stop_consuming(threading.get_ident())
        if worker.crashed is not None and not conductor.closing:
            trace.record("worker", "crashed", summary=explain_exception(worker.crashed))

    def on_pool_thread(name: str) -> None:
        trace.name_thread(threading.get_ident(), name)
        app.set_current()
        stdin.claim_thread()
        conductor.begin_work()

    pool_cls = type(
        "RunThreadsPool",
        (RunThreadsPool,),
        {
            "worker_name": spec.name,
            "on_pool_thread": staticmethod(on_pool_thread),
            "hand_off": staticmethod(conductor.hand_off),
            "finished": staticmethod(conductor.end_work),
        },
    )
    worker = InThreadWorker(
        app,
        name=spec.name,
        queues=list(spec.queues),
        timer_cls=timer_cls,
        on_thread_start=on_thread_start,
        on_thread_exit=on_thread_exit,
        pool={"threads": pool_cls, "solo": RunSoloPool}.get(spec.pool, spec.pool),
        concurrency=spec.concurrency,
        prefetch_multiplier=spec.prefetch_multiplier,
    )
    return worker
