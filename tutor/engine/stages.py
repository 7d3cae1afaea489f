"""The stages a real Celery run can be held at, and the stop the learner sees at each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

CALLER_THREAD = "main-app"
"""The name the trace gives the caller's thread: the learner's "main app"."""


class Stage(StrEnum):
    """A point in a task's life where the run can be held for the learner to look."""

    DEFINED = "defined"
    """The sample's definitions ran: tasks are registered and the workers listen."""
    CALLING = "calling"
    """The caller (the main app) is about to run one statement of the sample."""
    QUEUED = "queued"
    """A task message sits in a broker queue, not yet taken by any worker."""
    RECEIVED = "received"
    """A worker took the message off the queue; it is not acknowledged yet."""
    SCHEDULED = "scheduled"
    """A countdown/ETA message waits in the worker's timer, outside the queue."""
    EXECUTING = "executing"
    """The task body is about to run (its state is STARTED when tracked)."""
    RETURNED = "returned"
    """The task body returned a value; nothing is stored yet."""
    RAISED = "raised"
    """The task body raised an exception (or asked for a retry)."""
    STORED = "stored"
    """The outcome went to the result backend, or was ignored or had nowhere to go."""
    FINISHED = "finished"
    """Nothing more happens on its own: every thread is idle."""


@dataclass(frozen=True)
class Stop:
    """Where the run is held right now: the stage, the thread holding, and what it concerns."""

    seq: int
    """1 for the first stop of the run, then one more for each."""
    stage: Stage
    """Which stage the run is held at."""
    thread: str
    """Name of the thread that reached the stage (caller, worker-1, worker-1-timer...)."""
    task_id: str | None = None
    """The task (message) id this stop concerns, when there is one."""
    task_name: str | None = None
    """The registered name of that task."""
    line: int | None = None
    """The line of the sample code running at this stop, when known."""
    detail: str = ""
    """One sentence saying what just happened, in plain words."""


def worker_of(thread: str) -> str:
    """The worker a thread belongs to: "worker-1" for worker-1, worker-1-timer, worker-1-pool-2."""
    return re.sub(r"-(timer|pool-\d+)$", "", thread)
