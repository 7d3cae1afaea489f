"""What a screen that plays a run shows of its driver: read-only state and the moving keys.

The lesson screen and the demo screen each compose a `RunDriver`; this mixin gives both the same
read-only view of it (for their drawing, their keys and the tests) and the actions every player
of a run binds (next, back, restart, faster, slower). Each screen still declares its own keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .frame import Frame
from .run_driver import RunDriver

if TYPE_CHECKING:
    from ...engine import Snapshot
    from ...player.lesson_run import LessonRun


class PlaysRun:
    """Mixin for a screen with a `driver`."""

    driver: RunDriver

    @property
    def lesson_run(self) -> LessonRun | None:
        """The real run being played (None while it starts)."""
        return self.driver.lesson_run

    @property
    def frame(self) -> Frame:
        """The driver's state now."""
        return self.driver.frame

    @property
    def snapshot(self) -> Snapshot | None:
        """The stop on screen (None before the run's first)."""
        return self.frame.view.snapshot

    @property
    def position(self) -> int:
        """Index of the stop on screen (-1: before the first)."""
        return self.frame.view.position

    @property
    def steps_shown(self) -> int:
        """How many table rows the stop on screen has reached."""
        return self.frame.view.steps_shown

    @property
    def busy(self) -> bool:
        """True while the real run moves to its next stop."""
        return self.frame.busy

    @property
    def failure(self) -> str | None:
        """Why the run cannot go on, if it cannot."""
        return self.frame.failure

    @property
    def autoplaying(self) -> bool:
        """True while the run advances on its own."""
        return self.frame.autoplaying

    @property
    def pace(self) -> float:
        """Seconds between two stops when the run advances on its own."""
        return self.frame.pace

    def action_next(self) -> None:
        """Show the next stop: replay a recorded one, or move the real run on."""
        self.driver.next()

    def action_back(self) -> None:
        """Show the stop before (recorded; the real run is not touched)."""
        self.driver.back()

    def action_restart(self) -> None:
        """Throw the run away and play the lesson again on a fresh real run."""
        self.driver.restart()

    def action_faster(self) -> None:
        """Shorten the pace."""
        self.driver.faster()

    def action_slower(self) -> None:
        """Lengthen the pace."""
        self.driver.slower()

    def shutdown(self) -> None:
        """Stop the real run now (quitting, or leaving the screen)."""
        self.driver.shutdown()
