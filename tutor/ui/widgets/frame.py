"""What the screens draw from at one moment: the stop on screen and the run driver's state."""

from __future__ import annotations

from dataclasses import dataclass

from ...defaults import PACE_DEFAULT
from ...player.navigator import View

TIMER_WAIT = "the worker's timer is counting down"
BEAT_WAIT = "counting down to beat's next send"


@dataclass(frozen=True)
class Frame:
    """Everything the screens draw from: the stop on screen and the driver's state."""

    view: View
    busy: bool = False
    """The real run is moving to its next stop."""
    failure: str | None = None
    """Why the run cannot go on (the screen offers r)."""
    autoplaying: bool = False
    pace: float = PACE_DEFAULT
    waiting_left: float | None = None
    """Seconds left while the run waits out a worker timer's countdown (None: not waiting)."""
    waiting_on: str = TIMER_WAIT
    """What the run waits for, in words (a worker's timer, beat's next send)."""
