"""What a proxy waits for once its worker's pool process is done with a message: the late
acknowledgement reaching Redis, and the worker's log line about the outcome."""

from __future__ import annotations

import time
from typing import Any

from .reading import unacked
from .workers import WorkerProcess

ACK_WAIT = 1.0
"""Longest a proxy waits for its worker's late acknowledgement to reach Redis (seconds)."""
POLL = 0.01
"""How often a proxy looks at Redis for its worker's late acknowledgement (seconds)."""
LOGGED_OUTCOMES = {"SUCCESS", "FAILURE", "RETRY"}
"""Stored states Celery writes a "Task name[id] ..." line for (a revoked task gets none)."""
LOG_WAIT = 0.5
"""Longest a proxy waits for its worker's log line about a task's outcome (seconds)."""
LOG_POLL = 0.002


def await_log(worker: WorkerProcess, task_id: str) -> None:
    """The pool process logs a task's outcome ("Task add[id] succeeded in ...") through a pipe
    the tutor reads in another thread: the run moves on once that line is in the worker's log
    (or after LOG_WAIT), so the hood at the next stop shows it."""
    marker = f"[{task_id}]"
    deadline = time.monotonic() + LOG_WAIT
    while time.monotonic() < deadline and worker.alive:
        if any(marker in line and not line.endswith("received") for line in worker.log):
            return
        time.sleep(LOG_POLL)


def await_ack(client: Any, worker: WorkerProcess, task_id: str) -> None:
    """With acks_late the worker process acknowledges once the pool process is done: the run
    moves on when Redis no longer holds the message as unacknowledged (or after ACK_WAIT)."""
    deadline = time.monotonic() + ACK_WAIT
    while time.monotonic() < deadline and worker.alive:
        if all(message.id != task_id for message in unacked(client)):
            return
        time.sleep(POLL)
