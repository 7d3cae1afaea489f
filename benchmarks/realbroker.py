"""Real-broker benchmarks: a run on Redis with worker processes, beside the in-memory run measured
in the same session (the in-memory number is the baseline)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable

from benchmarks.engine import SAMPLE, Result, _median
from tutor.engine import Run, RunConfig, Snapshot, Stage, WorkerSpec

TWO_WORKERS = (WorkerSpec("worker-1"), WorkerSpec("worker-2"))


def available() -> str | None:
    """The private server's URL, or None when redis-server is not installed."""
    if shutil.which("redis-server") is None:
        return None
    from tutor.engine.realbroker.server import resolve

    return resolve("redis")


def _real(url: str) -> Callable[[RunConfig], object]:
    from tutor.engine.realbroker.run import RealRun

    def start(config: RunConfig) -> object:
        return RealRun.start(
            RunConfig(code=config.code, workers=config.workers, broker=url)  # same sample
        )

    return start


def _latency(final: Snapshot, first: str, then: str) -> float:
    """ms of the run's own time between two trace events (the learner's pauses taken out)."""
    a = next(e for e in final.events if e.name == first)
    b = next(e for e in final.events if e.name == then)
    return (final.active_time(b.at) - final.active_time(a.at)) * 1000


def delay_to_received(url: str, repeats: int) -> Result:
    """The message published → the worker has it: a Redis list and a worker process vs the
    in-memory queue and an in-thread worker."""
    real = _real(url)
    memory, redis = [], []
    for _ in range(repeats):
        with Run.start(RunConfig(code=SAMPLE)) as run:
            memory.append(_latency(run.run_to_end()[-1], "put", "task_received"))
        with real(RunConfig(code=SAMPLE)) as run:  # type: ignore[attr-defined]
            redis.append(_latency(run.run_to_end()[-1], "put", "received"))
    return Result(
        "Redis: delay → received",
        _median(redis),
        _median(memory),
        "in-memory run",
        "numbers",
        "ms",
        True,
    )


def one_step(url: str, repeats: int) -> Result:
    """One advance() from EXECUTING to RETURNED (the gate opened, the body ran, the next gate
    reached and reported): across processes through Redis vs in one process."""
    real = _real(url)
    memory, redis = [], []
    for _ in range(max(24, repeats * 4)):  # interleaved; a step is ~1 ms: two dozen for a median
        for samples, start in ((memory, Run.start), (redis, real)):
            with start(RunConfig(code=SAMPLE)) as run:  # type: ignore[operator,attr-defined]
                run.advance_to(Stage.EXECUTING)
                started = time.perf_counter()
                run.advance()
                samples.append((time.perf_counter() - started) * 1000)
    value, baseline = _median(redis), _median(memory)
    return Result(
        "Redis: one stage step",
        value,
        baseline,
        "in-memory run",
        "≤ 3× in memory",
        "ms",
        value <= 3 * baseline,
    )


def start_stop_two_workers(url: str, repeats: int) -> Result:
    """Start a run with two workers, then close it: two `celery worker` processes (prefork) vs
    two in-thread workers."""
    real = _real(url)
    memory, redis = [], []
    config = RunConfig(code=SAMPLE, workers=TWO_WORKERS)
    for samples, start in ((memory, Run.start), (redis, real)):
        for _ in range(repeats):
            started = time.perf_counter()
            run = start(config)  # type: ignore[operator]
            run.close()  # type: ignore[attr-defined]
            samples.append((time.perf_counter() - started) * 1000)
    return Result(
        "Redis: start + stop, two workers",
        _median(redis),
        _median(memory),
        "in-memory run",
        "numbers",
        "ms",
        True,
    )


def all_results(repeats: int) -> list[Result]:
    """Every real-broker benchmark (none when redis-server is missing)."""
    url = available()
    if url is None:
        return []
    return [
        delay_to_received(url, repeats),
        one_step(url, repeats),
        start_stop_two_workers(url, max(2, repeats // 2)),
    ]
