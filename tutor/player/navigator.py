"""Where the learner is in a lesson's run: back, forward, live, resume and "go to step N".

A plain class (no Textual): the screens ask it what a key means, then do what it says (show a
recorded stop, or move the real run on in a thread). The vocabulary is the glossary's
(docs/glossary.md): the run passes *stops*; a *step* is a row of the execution table, done at the
stop where it ends; the *position* is the index of the stop on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..engine.snapshot import Snapshot
    from .lesson_run import LessonRun, StepResult


class Move(Enum):
    """What a key asks for, as the navigator answers it."""

    NONE = "none"
    """Nothing to do: no run yet, or the run is already moving."""
    SHOWN = "shown"
    """A recorded stop is now on screen; the real run was not touched."""
    ADVANCE = "advance"
    """The real run must move to its next stop (call `begin_advance`, then the engine)."""
    END = "end"
    """The run has finished and its last stop is on screen."""


@dataclass(frozen=True)
class View:
    """What is on screen: the run and the stop shown. Equal views draw the same panels."""

    lesson_run: LessonRun | None
    position: int
    """Index of the stop shown in `lesson_run.stops`; -1 is before the run's first stop."""

    @property
    def snapshot(self) -> Snapshot | None:
        """The stop shown (None before the first one)."""
        if self.lesson_run is None or self.position < 0:
            return None
        return self.lesson_run.stops[self.position]

    @property
    def steps_shown(self) -> int:
        """How many steps (table rows) the stop shown has reached."""
        if self.lesson_run is None or self.position < 0:
            return 0
        return self.lesson_run.steps_done_at(self.position)

    @property
    def results_shown(self) -> list[StepResult]:
        """The steps done at the stop shown, in order."""
        if self.lesson_run is None:
            return []
        return self.lesson_run.results[: self.steps_shown]

    @property
    def current_row(self) -> int | None:
        """The table row that ends exactly at the stop shown (None between steps)."""
        results = self.results_shown
        if results and results[-1].stop_index == self.position:
            return len(results)
        return None

    @property
    def at_live_end(self) -> bool:
        """Whether the stop shown is the newest the run has reached."""
        return self.lesson_run is not None and self.position >= len(self.lesson_run.stops) - 1


class LessonNavigator:
    """The position in one lesson's run, and where a key takes it."""

    def __init__(self, resume_step: int = 0) -> None:
        self.lesson_run: LessonRun | None = None
        self.position = -1
        self.busy = False
        """True while the real run is moving to its next stop (in a thread)."""
        self.target_step: int | None = None
        """A step to keep moving towards (a key moment, a resume, a prediction's step)."""
        self.resume_step = resume_step
        """Where the learner left the lesson last time; used once, when the run starts."""
        self.recorded_step = 0
        """The furthest step already reported for saving."""

    @property
    def view(self) -> View:
        """The run and the stop on screen."""
        return View(self.lesson_run, self.position)

    # ------------------------------------------------------------------ the run comes and goes
    def attach(self, lesson_run: LessonRun) -> int:
        """A fresh run is ready; return the step to resume at (0: none)."""
        self.lesson_run = lesson_run
        self.position = -1
        self.busy = False
        step, self.resume_step = self.resume_step, 0
        return step

    def detach(self) -> LessonRun | None:
        """Forget the run (restart, leaving); return it so it can be closed."""
        old, self.lesson_run = self.lesson_run, None
        self.position = -1
        self.busy = False
        self.target_step = None
        return old

    # ------------------------------------------------------------------ keys
    def forward(self) -> Move:
        """The next stop: a recorded one is shown at once; past the live end the run must move."""
        lesson_run = self.lesson_run
        if lesson_run is None or self.busy:
            return Move.NONE
        if self.position < len(lesson_run.stops) - 1:
            self.position += 1
            return Move.SHOWN
        if lesson_run.finished:
            return Move.END
        return Move.ADVANCE

    def begin_advance(self) -> None:
        """The caller is moving the real run on: nothing else moves until it answers."""
        self.busy = True

    def back(self) -> bool:
        """The stop before (recorded; the run is not touched). False at the very start."""
        if self.position <= -1:
            return False
        self.position -= 1
        self.target_step = None
        return True

    def go_to_step(self, step: int) -> Move:
        """Show the stop where `step` ends, asking the run to move on as far as needed."""
        lesson_run = self.lesson_run
        if lesson_run is None:
            return Move.NONE
        if step <= len(lesson_run.results):
            self.position = lesson_run.results[step - 1].stop_index
            self.target_step = None
            return Move.SHOWN
        self.target_step = step
        self.position = len(lesson_run.stops) - 1
        return self.forward()

    # ------------------------------------------------------------------ the run answers
    def reached(self) -> int | None:
        """The run reached a new stop; it is shown. Returns a newly reached step to save."""
        assert self.lesson_run is not None
        self.busy = False
        self.position = len(self.lesson_run.stops) - 1
        reached = len(self.lesson_run.results)
        if reached > self.recorded_step:
            self.recorded_step = reached
            return reached
        return None

    def failed(self) -> None:
        """The run could not move on."""
        self.busy = False
        self.target_step = None

    def toward_target(self) -> Move:
        """After a move: keep going to the target step, or show it once it is reached."""
        lesson_run = self.lesson_run
        if self.target_step is None or lesson_run is None:
            return Move.NONE
        if len(lesson_run.results) >= self.target_step or lesson_run.finished:
            return self.go_to_step(min(self.target_step, len(lesson_run.results) or 1))
        return self.forward()
