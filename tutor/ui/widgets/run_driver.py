"""The run driver: one lesson's real run, moved by keys and autoplay, in thread workers.

A screen composes a `RunDriver` (it draws nothing) and calls it down (`next`, `back`, `restart`,
`go_to_step`, `autoplay`); the driver answers up, through its reactive `frame` (what the panels
draw) and its messages (a step reached, the end of autoplay). A what-if is a driver of its own
(`make_run`). The lesson screen, the demo screen and later screens share it, each with its own
keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker

from ...content.models import Lesson
from ...defaults import PACE_DEFAULT, PACE_MAX, PACE_MIN
from ...player.lesson_run import LessonRun
from ...player.navigator import LessonNavigator, Move, View
from ..workers import outcome
from .frame import BEAT_WAIT, TIMER_WAIT, Frame


class RunDriver(Widget):
    """Plays one lesson's real run for a screen; see the module docstring."""

    DEFAULT_CSS = "RunDriver { display: none; }"

    frame: reactive[Frame] = reactive(Frame(View(None, -1)), init=False, always_update=False)
    """What is on screen now; screens watch it and redraw."""

    class StepReached(Message):
        """The run reached a step it had not reached before (to save the learner's progress)."""

        def __init__(self, lesson_id: str, step: int, complete: bool) -> None:
            super().__init__()
            self.lesson_id = lesson_id
            self.step = step
            self.complete = complete
            """Every step of the lesson is now reached."""

    class Resumed(Message):
        """The fresh run is being moved to where the learner left off."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class AutoplayEnded(Message):
        """Autoplay reached the end of the run and stopped."""

    def __init__(
        self,
        lesson: Lesson,
        *,
        pace: float = PACE_DEFAULT,
        resume_step: int = 0,
        variant: str | None = None,
        make_run: Callable[[], LessonRun] | None = None,
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.variant = variant
        """Set when `lesson` is a variant with steps of its own (`player.whatif.variant_lesson`):
        the run is that variant's, and no progress is saved for it."""
        self.make_run = make_run
        """Makes each fresh run (a what-if played stop by stop); default: `LessonRun(lesson,
        variant)`."""
        self.navigator = LessonNavigator(min(resume_step, len(lesson.steps)))
        self.pace = pace
        self.autoplaying = False
        self.failure: str | None = None
        self.ask_before_step: Callable[[int], bool] | None = None
        """Called before the run moves into a step by a learner's key (not autoplay, not a
        jump); True means the screen asked something first and will call `next` again."""
        self._autoplay_timer: Timer | None = None
        self._countdown: Timer | None = None
        self.waiting_left: float | None = None
        """Seconds left before a worker timer's countdown ends, while the run waits it out."""
        self.waiting_on = TIMER_WAIT
        self.frame = Frame(self.navigator.view, pace=pace)

    # ------------------------------------------------------------------ state
    @property
    def lesson_run(self) -> LessonRun | None:
        """The real run being played (None while it starts)."""
        return self.navigator.lesson_run

    @property
    def busy(self) -> bool:
        """True while the real run moves to its next stop."""
        return self.navigator.busy

    def _sync(self) -> None:
        """Publish the state: watchers of `frame` redraw what changed."""
        waiting = self.waiting_left if self.busy else None
        view, on = self.navigator.view, self.waiting_on
        self.frame = Frame(view, self.busy, self.failure, self.autoplaying, self.pace, waiting, on)

    def on_mount(self) -> None:
        self.start()

    # ------------------------------------------------------------------ calls down
    def start(self) -> None:
        """Start a fresh real run (in a thread)."""
        self.run_worker(
            self._start_in_thread, name="start", group="engine", exclusive=True, thread=True,
            exit_on_error=False,
        )  # fmt: skip

    def next(self, ask: bool = True) -> None:
        """Show the next stop: replay a recorded one, or move the real run on."""
        move = self.navigator.forward()
        if move is Move.ADVANCE:
            lesson_run = self.lesson_run
            assert lesson_run is not None
            step = len(lesson_run.results) + 1
            hook = self.ask_before_step
            asking = ask and not self.autoplaying and self.navigator.target_step is None
            if asking and hook is not None and hook(step):
                return
            self._advance(lesson_run)
        elif move is Move.END:
            self._stop_autoplay()
        elif move is Move.SHOWN:
            self._toward_target()
        self._sync()

    def back(self) -> None:
        """Show the stop before (recorded; the real run is not touched)."""
        if self.navigator.back():
            self._sync()

    def go_to_step(self, step: int) -> None:
        """Show the stop where `step` ends, moving the real run on as far as needed."""
        if self.navigator.go_to_step(step) is Move.ADVANCE:
            assert self.lesson_run is not None
            self._advance(self.lesson_run)
        self._sync()

    def aim_at(self, step: int) -> None:
        """Keep moving until `step` is reached, then stop there (no question asked on the way)."""
        self.navigator.target_step = step
        self.next(ask=False)

    def restart(self) -> None:
        """Throw the run away and start a fresh real one."""
        old = self.navigator.detach()
        self.failure = None
        if old is not None:
            self._close_in_background(old)
        self._sync()
        self.start()

    def toggle_autoplay(self) -> None:
        """Advance on its own every `pace` seconds, or stop doing so."""
        self.set_autoplay(not self.autoplaying)

    def set_autoplay(self, on: bool) -> None:
        """Start or stop autoplay."""
        self.autoplaying = on
        self._restart_timer()
        self._sync()

    def faster(self) -> None:
        """Shorten the autoplay pace."""
        self.pace = min(self.pace, max(PACE_MIN, round(self.pace / 1.5, 2)))
        self._restart_timer()
        self._sync()

    def slower(self) -> None:
        """Lengthen the autoplay pace."""
        self.pace = max(self.pace, min(PACE_MAX, round(self.pace * 1.5, 2)))
        self._restart_timer()
        self._sync()

    def shutdown(self) -> None:
        """Stop the real run now (quitting, or leaving the screen)."""
        self._stop_autoplay()
        old = self.navigator.detach()
        if old is not None:
            old.close()

    def on_unmount(self) -> None:
        self.shutdown()

    # ------------------------------------------------------------------ threads
    def _start_in_thread(self) -> LessonRun:
        make = self.make_run
        lesson_run = make() if make is not None else LessonRun(self.lesson, self.variant)
        try:
            lesson_run.start()
        except BaseException:
            lesson_run.close()
            raise
        return lesson_run

    def _advance(self, lesson_run: LessonRun) -> None:
        self.navigator.begin_advance()
        self._count_down_timer_wait(lesson_run)
        self.run_worker(
            lambda: (lesson_run, lesson_run.advance_stop()), name="advance", group="engine",
            exclusive=True, thread=True, exit_on_error=False,
        )  # fmt: skip

    def _count_down_timer_wait(self, lesson_run: LessonRun) -> None:
        """While the run waits out a worker timer's countdown or beat's next send, show the
        seconds left (the run's own clock stood still while the learner read; now it runs)."""
        last = lesson_run.stops[-1] if lesson_run.stops else None
        left = [(e.seconds_left, TIMER_WAIT) for e in (last.timer if last else ())]
        left += [(b.seconds_left, BEAT_WAIT) for b in (last.beat if last else ()) if b.seconds_left]
        if not left or min(left)[0] <= 0:
            return
        seconds, self.waiting_on = min(left)
        deadline = time.monotonic() + seconds

        def tick() -> None:
            self.waiting_left = max(0.0, deadline - time.monotonic()) if self.busy else None
            if self.waiting_left is None and self._countdown is not None:
                self._countdown.stop()
                self._countdown = None
            self._sync()

        self._countdown = self.set_interval(0.1, tick)
        tick()

    def _close_in_background(self, lesson_run: LessonRun) -> None:
        self.run_worker(lesson_run.close, name="close", group="closing", thread=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a worker's end is handled: its result, or its failure in words."""
        event.stop()
        ended = outcome(event)
        if ended is None:
            return
        kind = event.worker.name
        if ended.failure is not None:
            self._failed(kind, ended.failure)
        elif kind == "start":
            self._ready(ended.result)
        elif kind == "advance":
            self._reached(*ended.result)

    def _ready(self, lesson_run: LessonRun) -> None:
        if not self.is_attached or self.lesson_run is not None:
            self._close_in_background(lesson_run)
            return
        self.failure = None
        resume = self.navigator.attach(lesson_run)
        self._sync()
        if resume > 0:
            self.post_message(self.Resumed(resume))
            self.go_to_step(resume)

    def _reached(self, lesson_run: LessonRun, _snapshot: Any) -> None:
        if lesson_run is not self.lesson_run:
            return
        step = self.navigator.reached()
        if step is not None and self.variant is None:
            self.post_message(self.StepReached(self.lesson.id, step, lesson_run.steps_complete))
        self._toward_target()
        self._sync()

    def _toward_target(self) -> None:
        if self.navigator.toward_target() is Move.ADVANCE:
            assert self.lesson_run is not None
            self._advance(self.lesson_run)

    def _failed(self, kind: str, failure: str) -> None:
        if kind == "close":
            return
        self.navigator.failed()
        self.failure = failure if kind != "start" else f"the real run could not start: {failure}"
        self._stop_autoplay()
        self._sync()

    # ------------------------------------------------------------------ autoplay
    def _restart_timer(self) -> None:
        if self._autoplay_timer is not None:
            self._autoplay_timer.stop()
            self._autoplay_timer = None
        if self.autoplaying:
            self._autoplay_timer = self.set_interval(self.pace, self._autoplay_tick)

    def _stop_autoplay(self) -> None:
        if self.autoplaying:
            self.autoplaying = False
            self._restart_timer()

    def _autoplay_tick(self) -> None:
        lesson_run = self.lesson_run
        if lesson_run is not None and lesson_run.finished and self.navigator.view.at_live_end:
            self._stop_autoplay()
            self._sync()
            self.post_message(self.AutoplayEnded())
            return
        self.next()
