"""How a lesson's Celery app is set up: its `[run]` table (workers, backend, acks, a project)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, JsonValue, model_validator

from ..engine.config import DJANGO_SET_BY_TUTOR
from .beat import BeatSetup
from .fields import NonEmpty, StageName
from .fields import Strict as _Strict

__all__ = ["RunSetup", "StopWorker", "WorkerSetup"]


class WorkerSetup(_Strict):
    """One in-thread worker of the lesson's run."""

    name: NonEmpty = "worker-1"
    """The worker's name, shown in the panels (worker-1)."""
    queues: list[NonEmpty] = Field(default_factory=lambda: ["celery"], min_length=1)
    """The queues it consumes from."""
    pool: Literal["solo", "threads"] = "solo"
    """solo: bodies run in the worker's thread (no prefetch); threads: in pool threads."""
    concurrency: int = Field(default=1, ge=1, le=8)
    """How many bodies it runs at once (pool threads)."""
    prefetch_multiplier: int = Field(default=4, ge=1, le=16)
    """It reserves up to concurrency × this many messages (threads pool)."""


class StopWorker(_Strict):
    """Stop a worker for real when the run first reaches a stage in it (e.g. executing)."""

    name: NonEmpty
    """One of the lesson's workers."""
    at: StageName
    """The stage, reached in one of that worker's threads."""


class RunSetup(_Strict):
    """How the lesson's Celery app is set up."""

    result_backend: bool = True
    """Whether the app has a result backend; false shows "not configured"."""
    ignore_result: bool = False
    """Whether tasks ignore their results."""
    workers: list[WorkerSetup] = Field(default_factory=lambda: [WorkerSetup()])
    """The workers; an empty list means nothing consumes the queue."""
    acks_late: bool = False
    """Acknowledge each message after its body ran (Celery acknowledges before)."""
    reject_on_worker_lost: bool = False
    """With acks_late: a message whose worker was lost goes back to its queue."""
    stop_worker: StopWorker | None = None
    """Stop that worker when the run reaches the stage in it (what a lost worker does)."""
    visibility_timeout: float | None = Field(default=None, gt=0, le=10)
    """Real broker only: seconds a lost worker's unacknowledged message stays in Redis before
    another worker gets it (none: 2 s with acks_late; Redis's own default is an hour). The
    in-memory broker gives it back as the lost worker's connection closes."""
    traced_file: NonEmpty | None = None
    """The developer's file the sample is (written by `tutor trace`): all of it runs as
    definitions, its `if __name__ == "__main__":` block holds the calls, the Celery app it creates
    runs on the tutor's in-memory broker and backend, errors name this file, and its sibling
    modules import from its folder."""
    beat: BeatSetup | None = None
    """Celery beat services sending a schedule of messages (none: no beat)."""
    django: bool = False
    """Run a real Django project around the app (its database, the sample's urls, proj.celery)."""
    django_settings: dict[str, JsonValue] = Field(default_factory=dict)
    """With django: more lines of the project's settings.py (Django keeps only upper-case names)."""

    @model_validator(mode="after")
    def _known_worker(self) -> RunSetup:
        names = [worker.name for worker in self.workers]
        if self.stop_worker is not None and self.stop_worker.name not in names:
            raise ValueError(f"stop_worker names {self.stop_worker.name!r}: not one of {names}")
        if self.django_settings and not self.django:
            raise ValueError("django_settings needs django = true")
        taken = sorted(set(self.django_settings) & DJANGO_SET_BY_TUTOR)
        if taken:
            raise ValueError(f"django_settings: {', '.join(taken)} is set by the tutor")
        return self
