"""Engine benchmarks: each measures the tutor's engine beside a baseline taken in the same run."""

from __future__ import annotations

import gc
import resource
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from celery import Celery, signals
from celery.contrib.testing.worker import start_worker
from celery.worker import WorkController

from tutor.engine import Run, RunConfig, Stage

SAMPLE = """from celery import shared_task

@shared_task
def add(x, y):
    return x + y

add.delay(4, 6)
"""


@dataclass(frozen=True)
class Result:
    """One benchmark: the tutor's number, the baseline's, the goal, and the unit."""

    name: str
    tutor: float
    baseline: float
    baseline_label: str
    goal: str
    unit: str
    met: bool

    @property
    def ratio(self) -> float:
        """Tutor / baseline."""
        return self.tutor / self.baseline if self.baseline else float("nan")


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _stock_app(queue: str) -> Celery:
    app = Celery(f"baseline-{queue}", broker="memory://localhost//", set_as_current=False)
    app.conf.update(
        task_default_queue=queue,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=False,
    )
    return app


def _stock_worker(app: Celery, queue: str) -> tuple[WorkController, threading.Thread]:
    ready = threading.Event()
    worker = WorkController(
        app=app,
        pool="solo",
        concurrency=1,
        queues=[queue],
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        ready_callback=lambda *_: ready.set(),
        hostname=f"{queue}@bench",
        loglevel="ERROR",
    )

    def main() -> None:
        app.set_current()
        worker.start()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    ready.wait(10)
    return worker, thread


def delay_to_received(repeats: int) -> Result:
    """delay() → task_received: Celery's defaults (the memory transport polls every 1 s) vs ours."""
    baseline: list[float] = []
    for _ in range(repeats):
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        app = _stock_app(queue)
        received = threading.Event()

        @app.task(shared=False)
        def add(x: int, y: int) -> int:
            return x + y

        def on_received(
            sender: object = None, received: threading.Event = received, **_: object
        ) -> None:
            received.set()

        signals.task_received.connect(on_received, weak=False, dispatch_uid=queue)
        worker, thread = _stock_worker(app, queue)
        time.sleep(0.3)  # let the worker settle into its polling loop, as a long-running one is
        started = time.perf_counter()
        add.delay(4, 6)
        received.wait(10)
        baseline.append((time.perf_counter() - started) * 1000)
        signals.task_received.disconnect(dispatch_uid=queue)
        worker.stop()
        thread.join(10)
    tutor: list[float] = []
    for _ in range(repeats * 4):
        with Run.start(RunConfig(code=SAMPLE)) as run:
            final = run.run_to_end()[-1]
        put = next(e for e in final.events if e.name == "put")
        got = next(e for e in final.events if e.name == "task_received")
        # the stretch the run stood still at QUEUED for the learner is taken out
        latency = final.active_time(got.at) - final.active_time(put.at)
        tutor.append(latency * 1000)
    value = _median(tutor)
    return Result(
        "delay → task received",
        value,
        _median(baseline),
        "Celery defaults",
        "≤ 1 ms",
        "ms",
        value <= 1,
    )


def run_cycle(repeats: int) -> Result:
    """Create a run, play it to its end, tear it down; vs Celery's own test worker, the same."""
    baseline: list[float] = []
    for _ in range(max(1, repeats // 4)):
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        app = _stock_app(queue)
        app.conf.result_backend = "cache+memory://"

        @app.task(shared=False)
        def add(x: int, y: int) -> int:
            return x + y

        started = time.perf_counter()
        with start_worker(app, pool="solo", perform_ping_check=False, queues=[queue]):
            add.delay(4, 6).get(timeout=10)
        baseline.append((time.perf_counter() - started) * 1000)
    tutor: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        with Run.start(RunConfig(code=SAMPLE)) as run:
            run.run_to_end()
        tutor.append((time.perf_counter() - started) * 1000)
    value = _median(tutor)
    return Result(
        "create + run + tear down a run",
        value,
        _median(baseline),
        "celery.contrib.testing start_worker",
        "≤ 40 ms",
        "ms",
        value <= 40,
    )


def close_while_held(repeats: int) -> Result:
    """Close a run held inside its task; vs stopping a stock worker that is idle-polling."""
    baseline: list[float] = []
    for _ in range(max(1, repeats // 4)):
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        app = _stock_app(queue)
        worker, thread = _stock_worker(app, queue)
        started = time.perf_counter()
        worker.stop()
        thread.join(10)
        baseline.append((time.perf_counter() - started) * 1000)
    tutor: list[float] = []
    for _ in range(repeats):
        run = Run.start(RunConfig(code=SAMPLE))
        run.advance_to(Stage.EXECUTING)
        started = time.perf_counter()
        run.close()
        tutor.append((time.perf_counter() - started) * 1000)
    value = _median(tutor)
    return Result(
        "close while held inside the task",
        value,
        _median(baseline),
        "stopping a stock WorkController",
        "≤ 100 ms",
        "ms",
        value <= 100,
    )


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def many_runs(count: int, progress: Callable[[int], None] | None = None) -> list[Result]:
    """Threads and RSS after `count` runs in one process, vs before them."""
    with Run.start(RunConfig(code=SAMPLE)) as run:  # warm imports first
        run.run_to_end()
    gc.collect()
    threads_before = threading.active_count()
    rss_before = _rss_mb()
    for number in range(count):
        with Run.start(RunConfig(code=SAMPLE)) as run:
            run.run_to_end()
        if progress is not None:
            progress(number + 1)
    gc.collect()
    threads_after = threading.active_count()
    rss_after = _rss_mb()
    growth = rss_after - rss_before
    return [
        Result(
            f"threads after {count} runs",
            threads_after,
            threads_before,
            "before the runs",
            "at baseline",
            "threads",
            threads_after <= threads_before,
        ),
        Result(
            f"RSS after {count} runs",
            rss_after,
            rss_before,
            "before the runs",
            f"growth ≤ 10 MB (was {growth:+.1f} MB)",
            "MB",
            growth <= 10,
        ),
    ]
