"""The tutor's worker bootstrap, loaded (`-A`) by each `celery worker` process the tutor starts.

It is never imported by the tutor itself. In the worker it builds the run's Celery app from the
environment the tutor set (see `keys`), loads the sample's definitions (the lesson's own code,
unchanged), and installs the gates: the pool process that runs a task reports each stage to the
tutor through Redis and waits there until the learner moves on (before the body, as it starts, as
it ends, once its outcome is stored). The worker's consumer is cancelled at start and after each
message it takes, so messages stay in Redis until the tutor adds it back (Celery's own
`add_consumer` remote control). When the tutor's pipe reaches its end (the tutor is gone, even
after `kill -9`), the worker stops its whole process group at once.
"""

from __future__ import annotations

import json
import linecache
import os
import signal
import sys
import threading
import time
import types
from typing import Any

from celery import Celery, Task, signals

from ..where import sample_traceback
from . import keys

_ENV = os.environ
RUN = _ENV.get(keys.ENV_RUN, "")
WORKER = _ENV.get(keys.ENV_WORKER, "worker")
OPTIONS: dict[str, Any] = json.loads(_ENV.get(keys.ENV_OPTIONS, "{}"))
FILENAME = str(OPTIONS.get("filename", "<sample>"))

_client: Any = None
_client_pid = 0
_consumer: Any = None
"""The worker's consumer (in the worker's main process, once it is ready)."""


def client() -> Any:
    """This process's Redis client (a pool process makes its own after the fork)."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        import redis

        _client = redis.Redis.from_url(_ENV[keys.ENV_BROKER], socket_connect_timeout=2)
        _client_pid = os.getpid()
    return _client


def report(kind: str, **data: Any) -> None:
    """Tell the tutor what this process did: one JSON report on this worker's list, popped by
    its proxy thread (that the worker is ready: on the run's list)."""
    payload = {"kind": kind, "worker": WORKER, "pid": os.getpid(), "ppid": os.getppid(), **data}
    payload["at"] = time.time()
    key = keys.reports_key(RUN) if kind == "ready" else keys.reports_key(RUN, WORKER)
    client().rpush(key, json.dumps(payload, default=repr))


def hold(stage: str, task: Any, **data: Any) -> None:
    """Report `stage` for the running task, then wait until the tutor lets this process go on."""
    request = task.request
    hold_request(stage, request.id, task.name, request.hostname, **data)


def hold_request(stage: str, task_id: Any, name: Any, hostname: Any, **data: Any) -> None:
    """Report `stage` for a task (by its id and name), then wait at this process's gate."""
    report("stage", stage=stage, task_id=task_id, task_name=name, hostname=hostname, **data)
    gate = keys.gate_key(RUN, os.getpid())
    parent = os.getppid()
    while client().blpop([gate], timeout=1) is None:
        if os.getppid() != parent:  # its worker process is gone (killed alone): so is this one
            os._exit(1)


def plain(value: Any) -> Any:
    """A JSON-safe copy of a value (its repr when JSON cannot hold it)."""
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return repr(value)


class GatedTask(Task):  # type: ignore[misc]
    """A task that waits at the tutor's gates just before and just after its body."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not self.request.id or self.request.called_directly:
            return super().__call__(*args, **kwargs)
        hold("executing", self, args=plain(list(args)), kwargs=plain(kwargs))
        try:
            value = super().__call__(*args, **kwargs)
        except BaseException as exc:
            retry = type(exc).__name__ == "Retry"
            hold(
                "raised",
                self,
                exception=f"{type(exc).__name__}: {exc}",
                exception_type=type(exc).__name__,
                traceback_lines=list(sample_traceback(exc, FILENAME)),
                retry=retry,
            )
            raise
        hold("returned", self, value=plain(value))
        return value


def _on_prerun(sender: Any = None, **_: Any) -> None:
    info = sender.request.delivery_info or {}
    hold("received", sender, redelivered=bool(info.get("redelivered")))


def _on_postrun(sender: Any = None, state: Any = None, **_: Any) -> None:
    hold("stored", sender, state=str(state))
    report("idle", task_id=sender.request.id)


def _on_published(
    sender: Any = None, body: Any = None, headers: Any = None, routing_key: Any = None, **_: Any
) -> None:
    """A task in this process sent a message (a retry, a chain's next link): tell the tutor."""
    report("published", queue=routing_key, headers=plain(headers or {}), body=plain(body))


def _on_revoked(sender: Any = None, request: Any = None, expired: Any = False, **_: Any) -> None:
    """The worker dropped a message without running it (revoked, or expired while it waited)."""
    if request is None:
        return
    if _consumer is not None:  # dropped on receipt: it was not counted as taken
        _cancel_all(_consumer)
    task_id, name = getattr(request, "id", None), getattr(sender, "name", None)
    hostname = getattr(request, "hostname", None)
    hold_request("stored", task_id, name, hostname, state="REVOKED", expired=bool(expired))
    report("idle", task_id=task_id)


def _consumer_queues(consumer: Any) -> list[str]:
    return [queue.name for queue in consumer.task_consumer.queues]


def _cancel_all(consumer: Any) -> None:
    for name in _consumer_queues(consumer):
        consumer.cancel_task_queue(name)


def _on_ready(sender: Any = None, **_: Any) -> None:
    global _consumer
    _consumer = sender
    _cancel_all(sender)  # messages wait in Redis until the tutor adds the consumer back
    report("ready", hostname=sender.hostname, queues=OPTIONS.get("queues", []))


def _on_received(sender: Any = None, request: Any = None, **_: Any) -> None:
    _cancel_all(sender)  # one message per grant
    eta = getattr(request, "eta", None)
    report(
        "taken",
        task_id=getattr(request, "id", None),
        task_name=getattr(request, "name", None),
        hostname=sender.hostname,
        eta=None if eta is None else str(eta),
    )


def _watch_parent(fd: int) -> None:
    """Stop the whole process group (this worker and its pool) once the tutor is gone."""
    while os.read(fd, 64):
        pass
    os.killpg(os.getpgrp(), signal.SIGKILL)


def build_app() -> Celery:
    """The run's app, as the tutor set it up, with the sample's tasks registered."""
    url = _ENV[keys.ENV_BROKER]
    app = Celery(main="tutor-real-run", task_cls=GatedTask, set_as_current=True)
    app.conf.update(
        broker_url=url,
        result_backend=url if OPTIONS.get("result_backend", True) else None,
        task_ignore_result=bool(OPTIONS.get("ignore_result", False)),
        task_track_started=True,
        task_acks_late=bool(OPTIONS.get("acks_late", False)),
        task_reject_on_worker_lost=bool(OPTIONS.get("reject_on_worker_lost", False)),
        task_default_queue=str(OPTIONS.get("default_queue", "celery")),
        broker_transport_options=dict(OPTIONS.get("transport_options", {})),
        broker_connection_retry_on_startup=False,
        worker_prefetch_multiplier=1,
        accept_content=["json"],
        task_serializer="json",
        result_serializer="json",
    )
    app.set_default()
    module_name = _ENV.get(keys.ENV_MODULE, "tasks")
    path = os.path.join(_ENV[keys.ENV_SAMPLE_DIR], f"{module_name}.py")
    with open(path, encoding="utf-8") as handle:
        source = handle.read()
    linecache.cache[FILENAME] = (len(source), None, source.splitlines(True), FILENAME)
    module = types.ModuleType(module_name)
    module.__file__ = path
    sys.modules[module_name] = module
    exec(compile(source, FILENAME, "exec"), module.__dict__)
    app.finalize(auto=True)
    return app


if RUN:
    signals.task_prerun.connect(_on_prerun, weak=False)
    signals.task_postrun.connect(_on_postrun, weak=False)
    signals.worker_ready.connect(_on_ready, weak=False)
    signals.task_received.connect(_on_received, weak=False)
    signals.after_task_publish.connect(_on_published, weak=False)
    signals.task_revoked.connect(_on_revoked, weak=False)
    _fd = _ENV.get(keys.ENV_PARENT_FD)
    if _fd:
        threading.Thread(target=_watch_parent, args=(int(_fd),), daemon=True).start()
    app = build_app()
