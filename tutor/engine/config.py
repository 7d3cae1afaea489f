"""How a run is set up: the sample code, its Celery app's options and its workers (plain data)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ..defaults import STAGE_TIMEOUT_ENV  # overrides the default stage time limit process-wide

DEFAULT_STAGE_TIMEOUT = 10.0
DEFAULT_MAX_MESSAGES = 100
DJANGO_SET_BY_TUTOR = frozenset({"DATABASES", "INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE"})
"""Django settings the tutor sets for a run itself: `django_settings` may not hold them."""


def default_stage_timeout() -> float:
    """The stage time limit a new RunConfig gets: $TUTOR_STAGE_TIMEOUT when it holds a positive
    number of seconds, else 10 s (read each time a RunConfig is created)."""
    text = os.environ.get(STAGE_TIMEOUT_ENV, "").strip()
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_STAGE_TIMEOUT
    return value if value > 0 and value != float("inf") else DEFAULT_STAGE_TIMEOUT


@dataclass(frozen=True)
class WorkerSpec:
    """One worker of a run: its name, the queues it consumes and its execution pool."""

    name: str = "worker-1"
    queues: tuple[str, ...] = ("celery",)
    pool: str = "solo"
    """"solo" runs bodies in the worker's thread (it never reserves ahead); "threads" runs them in
    pool threads, so the worker fetches (prefetches) while a body runs."""
    concurrency: int = 1
    prefetch_multiplier: int = 4


@dataclass(frozen=True)
class BeatEntrySpec:
    """One entry of a beat schedule: send `task` every `every` seconds of the run's own time."""

    name: str
    task: str
    """The registered task name ("tasks.send_report")."""
    every: float
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BeatSpec:
    """Real celery beat services in the run (Celery's in-memory `Scheduler`, on the run's clock)."""

    schedule: tuple[BeatEntrySpec, ...]
    services: int = 1
    """How many beat services run the same schedule (each sends every due message)."""
    stop_after: int = 3
    """Each service is stopped once it has sent this many messages, so the run can end."""


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
    stage_timeout: float = field(default_factory=default_stage_timeout)
    """Longest `advance()` waits for the run to reach its next stop (a body that loops or sleeps,
    a caller line that blocks) before it raises RunStalled. Default: $TUTOR_STAGE_TIMEOUT, 10 s."""
    acks_late: bool = False
    """task_acks_late: acknowledge a message after its body ran (Celery acks before by default)."""
    reject_on_worker_lost: bool = False
    """task_reject_on_worker_lost: a late-acked message of a lost worker goes back to its queue."""
    stop_worker: tuple[str, str] | None = None
    """(worker name, stage): stop that worker for real when the run first reaches that stage in
    it (e.g. ("worker-1", "executing"))."""
    max_messages: int = DEFAULT_MAX_MESSAGES
    """Most task messages the run publishes; one more stops the run with SampleError."""
    traced: bool = False
    """The code is a developer's module as it is (`tutor trace`): all of it runs as definitions,
    the statements of its `if __name__ == "__main__":` block are the calls, and a Celery app it
    creates is adopted (bound to the run's broker and result store, its other settings kept; its
    settings then decide the backend, the ignored results and the queues the workers consume)."""
    search_path: str | None = None
    """A folder on sys.path while the run lives (a traced module's sibling imports)."""
    django: bool = False
    """Set up a real Django project in the process before the definitions run (see
    `tutor.engine.django_project`): a fresh SQLite database, the sample's `urlpatterns`, the run's
    broker and backend as CELERY_* Django settings, and `from proj.celery import app`."""
    django_settings: tuple[tuple[str, Any], ...] = ()
    """With `django`: more lines of the project's settings module, (name, value); Django keeps
    only the upper-case ones, as it does from a settings module."""
    beat: BeatSpec | None = None
    """A celery beat service publishing the schedule's messages (None: no beat)."""
    broker: str | None = None
    """A Redis URL: run on that real broker with worker processes (None: in memory, in threads)."""
    visibility_timeout: float | None = None
    """Real broker only: seconds before Redis gives an unacknowledged message to another worker."""

    @property
    def advance_timeout(self) -> float:
        """The former name of `stage_timeout` (read-only)."""
        return self.stage_timeout
