"""How a real-broker run is set up: the tutor's own Celery app, the workers' options, the sample
module the workers import."""

from __future__ import annotations

import os
from typing import Any

from ..app import GatedTask, RunApp, RunHooks
from ..config import RunConfig
from ..sample import SampleProgram
from .reading import shown_url
from .server import BrokerUnavailable

LESSON_VISIBILITY_TIMEOUT = 2.0
"""The visibility timeout of a run with acks_late and none set: short enough to wait out in a
lesson (Redis transport's default: one hour)."""


def visibility_timeout(config: RunConfig) -> float | None:
    """Seconds an unacknowledged message stays with a lost worker before Redis gives it to
    another (None: the transport's default, when nothing is acknowledged late)."""
    if config.visibility_timeout is not None:
        return config.visibility_timeout
    return LESSON_VISIBILITY_TIMEOUT if config.acks_late else None


def transport_options(config: RunConfig) -> dict[str, Any]:
    """The Redis transport's options for the run (a short visibility timeout, when set)."""
    timeout = visibility_timeout(config)
    if timeout is None:
        return {}
    # the workers' kombu looks for messages past their visibility timeout every second
    return {
        "visibility_timeout": timeout,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }


def build_app(config: RunConfig, url: str, hooks: RunHooks) -> Any:
    """The caller's app (the learner's main app): Redis as broker and, when set, as backend.
    Publishing never retries, and connections time out fast: no hang on a broker gone away.
    Like the in-memory app, it reports to the run when the caller waits for a result (get()) and
    when the caller calls a task directly (the body runs in the caller's own thread)."""
    app = RunApp(main=f"tutor-real-{os.getpid()}", set_as_current=False, task_cls=GatedTask)
    app.tutor_hooks = hooks
    app.conf.update(
        broker_url=url,
        result_backend=url if config.result_backend else None,
        result_expires=None,
        task_ignore_result=config.ignore_result,
        task_track_started=True,
        task_acks_late=config.acks_late,
        task_reject_on_worker_lost=config.reject_on_worker_lost,
        task_default_queue=config.default_queue,
        task_publish_retry=False,
        broker_connection_retry_on_startup=False,
        broker_connection_timeout=2,
        broker_transport_options=transport_options(config),
        redis_socket_connect_timeout=2,
        accept_content=["json"],
        task_serializer="json",
        result_serializer="json",
    )
    return app


def worker_options(config: RunConfig) -> dict[str, Any]:
    """What the worker bootstrap needs to build the same app in each worker process."""
    return {
        "filename": config.filename,
        "result_backend": config.result_backend,
        "ignore_result": config.ignore_result,
        "acks_late": config.acks_late,
        "reject_on_worker_lost": config.reject_on_worker_lost,
        "default_queue": config.default_queue,
        "transport_options": transport_options(config),
    }


def write_sample(config: RunConfig, program: SampleProgram, folder: str) -> str:
    """Write the sample's definitions as an importable module (each line where it is in the
    sample, so tracebacks name the same lines); return its path."""
    last = program.definition_lines[1]
    source = "".join(config.code.splitlines(keepends=True)[:last])
    path = os.path.join(folder, f"{config.module}.py")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(source)
    return path


def check_empty(client: Any, config: RunConfig, url: str) -> None:
    """Refuse a queue that already holds messages: a worker would take someone else's."""
    names = {config.default_queue} | {q for w in config.workers for q in w.queues}
    for name in sorted(names):
        waiting = int(client.llen(name))
        if waiting:
            raise BrokerUnavailable(
                f"{shown_url(url)}: queue '{name}' already holds {waiting} message(s) that are "
                "not this lesson's; give --broker an empty Redis database "
                "(e.g. redis://localhost:6379/15)"
            )
