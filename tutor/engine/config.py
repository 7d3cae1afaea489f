"""How a run is set up: the sample code, its Celery app's options and its workers (plain data)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WorkerSpec:
    """One worker of a run: its name and the queues it consumes."""

    name: str = "worker-1"
    queues: tuple[str, ...] = ("celery",)


@dataclass(frozen=True)
class RunConfig:
    """Everything that makes a run: the sample code and how its Celery app is set up."""

    code: str
    """The sample program, exactly as the learner reads it."""
    filename: str = "<sample>"
    """Where the code comes from, for error messages and tracebacks."""
    result_backend: bool = True
    """Whether the app has a result backend (in memory); False reproduces "not configured"."""
    ignore_result: bool = False
    """Whether every task ignores its result (task_ignore_result)."""
    workers: tuple[WorkerSpec, ...] = field(default_factory=lambda: (WorkerSpec(),))
    """The in-thread workers; none means messages just wait in their queue."""
    default_queue: str = "celery"
    """The queue tasks go to unless routed elsewhere."""
    module: str = "tasks"
    """The module name the sample's tasks are registered under (task names like tasks.add)."""
    advance_timeout: float = 30.0
    """Longest `advance()` waits for the run to reach its next stop."""
