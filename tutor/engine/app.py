"""The isolated Celery app of one run: its own broker store, result store, task class and results.

Everything here is real Celery: the app, the task base class and the result classes are Celery's
own, extended only to report to the run (a task is about to run, has returned or raised; a caller
waits for a result) so the run can hold each stage for the learner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol

from celery import Celery, Task
from celery.backends.base import DisabledBackend
from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import AsyncResult, GroupResult
from celery.worker import state as worker_state
from celery.worker.request import Request
from kombu.utils.objects import cached_property

from .broker import STORE_OPTION, BrokerStore, RunTransport
from .errors import CutOff, RunClosed, TaskBodyExit
from .results import ResultStore, RunResultBackend
from .where import exception_text

POLL_INTERVAL = 0.01
"""How often the broker is polled and results are checked (Celery's defaults: 1 s and 0.5 s)."""

_WAIT_SLICE = 0.05

PROJECT_SETTINGS = ("broker_url", "result_backend")
"""What the app of a run with a project (Django) reads from the project's settings (as
CELERY_BROKER_URL, CELERY_RESULT_BACKEND), rather than being given them by the engine."""


class RunHooks(Protocol):
    """What the app's tasks and results report to (the run)."""

    @property
    def closing(self) -> bool:
        """True once the run closes; waits give up."""

    def task_executing(self, task: Task, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """A task body is about to run in the calling thread."""

    def task_returned(self, task: Task, value: Any) -> None:
        """A task body returned `value`."""

    def task_raised(self, task: Task, exc: BaseException) -> None:
        """A task body raised `exc`."""

    def run_clock(self) -> float:
        """The run's own time (seconds, monotonic scale, the learner's pauses left out)."""

    def waiting(
        self, ready: Callable[[], bool], deadline: float | None
    ) -> AbstractContextManager[None]:
        """The calling thread waits until `ready()` (a result arrived) or `deadline` (run clock)."""

    def in_sample(self) -> AbstractContextManager[None]:
        """The calling thread runs the sample's own code (a task body) meanwhile."""

    def polled(self, key: bytes, value: Any) -> None:
        """The result backend was read (`value` under `key`), maybe by a thread that waits."""

    def traceback_of(self, exc: BaseException) -> tuple[str, ...]:
        """`exc`'s traceback with the sample's own frames only, one plain line each."""

    def paused_since_publish(self, task_id: str) -> float:
        """Real seconds the run stood still since the message `task_id` was last published."""


class RunRequest(Request):  # type: ignore[misc]
    """Celery's worker-side request, whose expiry counts the run's own time: a message published
    with `expires=1` expires after 1 s of the run, however long the learner paused meanwhile."""

    def maybe_expire(self) -> bool | None:
        """Celery's check, with `now` moved back by the time the run stood still since publish."""
        hooks = hooks_of(self.task.app)
        expires = self.expires
        if hooks is None or not expires:
            return super().maybe_expire()  # type: ignore[no-any-return]
        now = datetime.now(UTC if expires.tzinfo else None)
        if now - timedelta(seconds=hooks.paused_since_publish(self.id)) > expires:
            worker_state.revoked.add(self.id)
            return True
        return None


class GatedTask(Task):  # type: ignore[misc]
    """Celery's Task, reporting to the run just before and just after its body runs.

    A body that raises SystemExit or KeyboardInterrupt fails with TaskBodyExit instead: Celery
    re-raises those two out of the worker, which would kill the worker's thread."""

    Request = RunRequest

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        hooks = hooks_of(self.app)
        if hooks is None:
            return super().__call__(*args, **kwargs)
        hooks.task_executing(self, args, kwargs)
        try:
            with hooks.in_sample():
                value = super().__call__(*args, **kwargs)
        except (RunClosed, CutOff):
            raise
        except (SystemExit, KeyboardInterrupt) as exc:
            if not self.request.id:  # a direct call: the caller's own program ends
                hooks.task_raised(self, exc)
                raise
            failure = TaskBodyExit(
                f"the task body raised {exception_text(exc)} (in a worker process it would end "
                "the process)"
            )
            hooks.task_raised(self, failure)
            raise failure from exc
        except BaseException as exc:
            hooks.task_raised(self, exc)
            raise
        hooks.task_returned(self, value)
        return value


def _wait_for(
    hooks: RunHooks | None,
    ready: Callable[[], bool],
    get_once: Callable[[float | None], Any],
    timeout: float | None,
) -> Any:
    """Wait for a result in short slices, so the run can close and knows the caller waits. The
    timeout counts the run's own time: the time the run stands still for the learner is left out."""
    if hooks is None:
        return get_once(timeout)
    clock = hooks.run_clock
    deadline = None if timeout is None else clock() + timeout
    with hooks.waiting(ready, deadline):
        while True:
            if hooks.closing:
                raise RunClosed("run closed while waiting for a result")
            slice_ = _WAIT_SLICE
            if deadline is not None:
                slice_ = max(0.0, min(slice_, deadline - clock()))
            try:
                return get_once(slice_)
            except CeleryTimeoutError:
                if deadline is not None and clock() >= deadline:
                    raise


def _safe_ready(result: Any) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            return bool(result.ready())
        except Exception:
            return False

    return ready


class _ReportsWaiting:
    """What Celery's result classes get here: get() polls fast, waits in short slices, and tells
    the run that the caller is waiting (so the run can close and knows the caller is not busy)."""

    app: Any
    backend: Any
    bypass_without_backend: ClassVar[bool] = False
    """Whether get() is Celery's own (it raises at once) when the app has no result backend."""

    def get(self, timeout: float | None = None, *args: Any, **kwargs: Any) -> Any:
        """Celery's get(), reporting the wait to the run."""
        celery_get = super().get  # type: ignore[misc]
        if self.bypass_without_backend and isinstance(self.backend, DisabledBackend):
            return celery_get(timeout, *args, **kwargs)
        kwargs["interval"] = min(kwargs.get("interval", POLL_INTERVAL), POLL_INTERVAL)
        hooks = hooks_of(self.app)
        return _wait_for(
            hooks, _safe_ready(self), lambda t: celery_get(t, *args, **kwargs), timeout
        )


class RunAsyncResult(_ReportsWaiting, AsyncResult):  # type: ignore[misc]
    """Celery's AsyncResult whose get() tells the run that the caller is waiting."""

    bypass_without_backend = True
    wait = _ReportsWaiting.get


class RunGroupResult(_ReportsWaiting, GroupResult):  # type: ignore[misc]
    """Celery's GroupResult whose get() tells the run that the caller is waiting."""


class RunApp(Celery):  # type: ignore[misc]
    """A Celery app bound to one run: its broker store, its result store and its hooks."""

    tutor_hooks: RunHooks | None = None
    tutor_results: ResultStore

    @cached_property
    def AsyncResult(self) -> type[RunAsyncResult]:
        return self.subclass_with_self(RunAsyncResult, name="AsyncResult")  # type: ignore[no-any-return]

    @cached_property
    def GroupResult(self) -> type[RunGroupResult]:
        return self.subclass_with_self(RunGroupResult, name="GroupResult")  # type: ignore[no-any-return]


def hooks_of(app: Any) -> RunHooks | None:
    """The run a Celery app reports to (None for an app that is not a run's, e.g. a sample's
    own `Celery()` instance)."""
    return app.tutor_hooks if isinstance(app, RunApp) else None


def run_settings(broker_store: BrokerStore, result_backend: bool) -> dict[str, Any]:
    """The settings that bind an app to a run: its broker store and result store, and what the
    in-thread workers need."""
    backend = f"{RunResultBackend.__module__}:{RunResultBackend.__qualname__}"
    return {
        "broker_url": "memory://localhost//",
        "broker_read_url": None,
        "broker_write_url": None,
        "broker_transport": RunTransport,
        "broker_transport_options": {"polling_interval": POLL_INTERVAL, STORE_OPTION: broker_store},
        "broker_connection_retry_on_startup": False,
        "result_backend": backend if result_backend else None,
        "result_expires": None,
        "task_always_eager": False,
        "task_track_started": True,
        "task_store_errors_even_if_ignored": False,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "worker_enable_remote_control": False,
    }


def build_app(
    *,
    name: str,
    broker_store: BrokerStore,
    results: ResultStore,
    hooks: RunHooks,
    result_backend: bool,
    ignore_result: bool,
    default_queue: str,
    acks_late: bool = False,
    reject_on_worker_lost: bool = False,
    task_cls: type[Task] = GatedTask,
    project_settings: dict[str, Any] | None = None,
) -> RunApp:
    """Create an isolated app: memory broker (this run's store), in-memory or no result backend.

    Given `project_settings`, the app is not given its broker URL and result backend (when it has
    one): they are put in that dict instead, for the project's settings to hold (PROJECT_SETTINGS).
    """
    app = RunApp(main=name, set_as_current=False, task_cls=task_cls)
    app.tutor_results = results
    app.tutor_hooks = hooks
    options: dict[str, Any] = dict(
        run_settings(broker_store, result_backend),
        task_ignore_result=ignore_result,
        task_acks_late=acks_late,
        task_reject_on_worker_lost=reject_on_worker_lost,
        task_default_queue=default_queue,
        accept_content=["json"],
        task_serializer="json",
        result_serializer="json",
    )
    if project_settings is not None:
        for key in PROJECT_SETTINGS:
            if options[key] is not None:
                project_settings[key] = options.pop(key)
    app.conf.update(options)
    return app


def iter_task_names(app: Celery) -> Iterator[str]:
    """Names of the tasks the sample registered (Celery's built-in tasks left out)."""
    for name in sorted(app.tasks):
        if not name.startswith("celery."):
            yield name
