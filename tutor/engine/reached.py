"""A stop some thread of a run reached, as the conductor keeps it until the learner moves on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .stages import Stage, Stop

OnGrant = Callable[[], None]
"""What a stop's granting also does (see `Reached.on_grant`)."""
_STOP_FIELDS = {"task_id", "task_name", "line", "detail"}
FINISHED_INFO = {"thread": "-", "detail": "nothing more happens on its own"}
"""What the FINISHED stop says."""


@dataclass
class Reached:
    """A stop some thread reached, with what granting it must do."""

    stop: Stop
    thread_ident: int | None
    """The parked thread (blocking stops); None for marker stops."""
    message_id: str | None = None
    """For a queue marker: the message the gate lets through once granted."""
    queue: str | None = None
    on_grant: OnGrant | None = None
    """Called by the granting thread as it grants the stop (a worker process's gate opens then,
    not once its proxy thread has woken up)."""
    granted: bool = field(default=False)
    read: bool = field(default=False)
    """Whether its snapshot was read (at the first settle after it was reached)."""


def new_stop(
    seq: int, stage: Stage, info: dict[str, object], thread_name: Callable[[], str]
) -> Stop:
    """The stop number `seq` at `stage`; `info` may give its thread, task, line and detail."""
    thread = str(info.get("thread") or thread_name())
    stop = Stop(seq=seq, stage=stage, thread=thread)
    fields = {key: value for key, value in info.items() if key in _STOP_FIELDS}
    return replace(stop, **fields)  # type: ignore[arg-type]
