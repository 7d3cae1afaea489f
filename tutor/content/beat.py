"""The `beat` field of a lesson's [run]: real celery beat services and the schedule they send."""

from __future__ import annotations

from pydantic import Field, model_validator

from .fields import NonEmpty, Strict

Value = str | int | float | bool | None
"""A JSON value a beat entry passes to its task."""


class BeatEntry(Strict):
    """One entry of beat_schedule: beat sends this task every `every` seconds of the run."""

    name: NonEmpty
    """The entry's name in beat_schedule ("report-every-2s")."""
    task: NonEmpty
    """The task it sends: "tasks.send_report", or "send_report" (a task of the sample)."""
    every: float = Field(gt=0.1, le=5)
    """Its interval, in seconds of the run's own time (short: at most 5 s)."""
    args: list[Value] = Field(default_factory=list)
    """The positional arguments each message carries."""
    kwargs: dict[str, Value] = Field(default_factory=dict)
    """The keyword arguments each message carries."""


class BeatSetup(Strict):
    """Celery beat in the run: the schedule, how many services send it, and when they stop."""

    schedule: list[BeatEntry] = Field(min_length=1)
    """The entries of beat_schedule (each name once)."""
    services: int = Field(default=1, ge=1, le=3)
    """How many beat services run the same schedule (2 shows duplicated messages)."""
    stop_after: int = Field(default=3, ge=1, le=10)
    """Each service is stopped once it has sent this many messages, so the run can end."""

    @model_validator(mode="after")
    def _unique_names(self) -> BeatSetup:
        names = [entry.name for entry in self.schedule]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"beat entry names must differ: {', '.join(twice)} is used twice")
        return self
