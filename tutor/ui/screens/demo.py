"""The instructor's demo: a presenter layout that advances the real run on its own."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Static

from ...content.models import Lesson, Quiz
from ...player.whatif import WHAT_IFS
from ..messages import DemoLessonOver, NotesChanged
from ..widgets.driven import PlaysRun
from ..widgets.frame import Frame
from ..widgets.lesson_panels import LessonPanels
from ..widgets.run_driver import RunDriver
from ..widgets.run_status import RunStatus
from . import SCREENS_CSS
from .class_question import ClassQuestionScreen

if TYPE_CHECKING:
    from ...poll.server import PollServer


class DemoScreen(PlaysRun, Screen[None]):
    """Fewer, larger panels; a big step counter; auto-advance at a pace the instructor sets."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("space,a", "pause", "Pause/resume", priority=True),
        Binding("right", "next", "Step"),
        Binding("left", "back", "Back"),
        Binding("plus", "faster", "Faster"),
        Binding("minus", "slower", "Slower"),
        Binding("s", "notes", "Notes"),
        Binding("c", "class_question", "Class question"),
        Binding("b", "what_if('no-backend')", "What if: no backend"),
        Binding("w", "what_if('no-worker')", "no worker"),
        Binding("d", "what_if('direct')", "direct call"),
        Binding("escape", "home", "Home"),
        Binding("r", "restart", "Restart", show=False),
        Binding("j", "join_code", "Join QR", show=False),
    ]

    def __init__(
        self,
        lesson: Lesson,
        *,
        pace: float,
        quiz: Quiz | None,
        started: float,
        position: str = "",
        poll: PollServer | None = None,
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.quiz = quiz
        self.driver = RunDriver(lesson, pace=pace)
        self.own_driver = self.driver
        """The lesson's own run; `driver` is the run on screen (this one, or a what-if's)."""
        self.what_if_drivers: dict[str, RunDriver] = {}
        """The what-ifs played so far (b/w/d), each its own real run, by name."""
        self.playing: str | None = None
        """The what-if on screen (None: the lesson's own run)."""
        self.started = started
        self.lesson_position = position
        """"lesson 2 of 3 · " when the demo has several lessons."""
        self.notes_shown = False
        self.next_question = 0
        self._moving_on: Timer | None = None
        self.poll = poll
        """The class poll (`tutor demo --poll`): class questions go to the room's phones too."""
        self.sub_title = lesson.title

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield self.driver
        yield RunStatus(self.lesson)
        banner = Static("", id="variant-banner", classes="-what-if")
        banner.display = False
        yield banner
        with Horizontal(id="demo-top"):
            yield Digits("0/0", id="step-counter")
            with Vertical(id="demo-title"):
                yield Static(Text(self.lesson.title, style="bold"), id="demo-lesson")
                yield Static(id="elapsed")
                if self.poll is not None:
                    yield poll_join(self.poll)
            if self.poll is not None:
                yield poll_qr(self.poll)
        yield LessonPanels(self.lesson, presenter=True)
        yield Static(id="notes", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self._watch_driver(self.driver)
        self.driver.set_autoplay(True)
        self.set_interval(1.0, self._tick_clock)

    def _watch_driver(self, driver: RunDriver) -> None:
        def changed(frame: Frame) -> None:
            if driver is self.driver:
                self._frame_changed(frame)

        self.watch(driver, "frame", changed)

    def _frame_changed(self, frame: Frame) -> None:
        self.query_one(RunStatus).frame = frame
        self.query_one(LessonPanels).view = frame.view
        lesson_run = frame.view.lesson_run
        total = len(self.driver.lesson.steps) or (len(lesson_run.results) if lesson_run else 0)
        self.query_one("#step-counter", Digits).update(f"{frame.view.steps_shown}/{total}")
        if self.playing is not None:
            return
        self._show_notes()
        snapshot = frame.view.snapshot
        self.post_message(
            NotesChanged(
                {
                    "lesson": self.lesson.id,
                    "title": self.lesson.title,
                    "step": frame.view.steps_shown,
                    "steps": len(self.lesson.steps),
                    "stage": None if snapshot is None else str(snapshot.stage),
                    "notes": self.current_notes(),
                }
            )
        )
        self._tick_clock()

    @on(RunDriver.AutoplayEnded)
    def _played_to_the_end(self) -> None:
        if self.playing is not None:
            return  # a what-if played to its end: it stays on screen until b/w/d or esc
        # let the end stay on screen for one more beat, then the app moves the demo on
        self._moving_on = self.set_timer(self.pace, lambda: self.post_message(DemoLessonOver()))

    # ------------------------------------------------------------------ keys
    def action_pause(self) -> None:
        """Pause or resume the automatic advance (at the end: stay on this lesson)."""
        if self._moving_on is not None:
            self._moving_on.stop()
            self._moving_on = None
            return
        self.driver.toggle_autoplay()

    def action_home(self) -> None:
        """Back to the lesson list (from a what-if: back to the lesson's own run)."""
        if self.playing is not None:
            self._show(self.own_driver, None)
            return
        self.app.pop_screen()

    def _hold(self) -> bool:
        """Pause while something is shown over the demo; True if it was running."""
        was_running = self.autoplaying
        if was_running:
            self.driver.set_autoplay(False)
        return was_running

    def _resume(self, was_running: bool) -> None:
        if was_running:
            self.driver.set_autoplay(True)

    # ------------------------------------------------------------------ notes, questions, what-ifs
    def action_notes(self) -> None:
        """Show or hide the speaker notes of the current step."""
        self.notes_shown = not self.notes_shown
        self.query_one("#notes", Static).set_class(not self.notes_shown, "-hidden")
        self._show_notes()

    def action_class_question(self) -> None:
        """Ask the class the next quiz question, answer hidden, with a countdown."""
        if self.quiz is None:
            self.notify("This lesson has no quiz.")
            return
        index = self.next_question % len(self.quiz.questions)
        self.next_question += 1
        was_running = self._hold()
        screen = ClassQuestionScreen(self.lesson, self.quiz, index)
        if self.poll is not None:
            from .poll_question import PollQuestionScreen

            screen = PollQuestionScreen(self.lesson, self.quiz, index, self.poll)
            self.query_one("#poll-qr", Static).display = False  # it shows the QR code itself
        self.app.push_screen(screen, lambda _: self._resume(was_running))

    def action_what_if(self, name: str) -> None:
        """Play the lesson again with one change, for real, stage by stage in the same panels,
        what differs from the lesson's run marked; the same key again: the lesson's run."""
        if self.playing == name:
            self._show(self.own_driver, None)
            return
        driver = self.what_if_drivers.get(name)
        if driver is None:
            from ...player.whatif_play import StopByStopRun, stop_lesson

            own, lesson = self.own_driver, self.lesson
            driver = RunDriver(
                stop_lesson(lesson, name), pace=self.pace, variant=name,
                make_run=lambda: StopByStopRun(lesson, name, own.lesson_run),
            )  # fmt: skip
            self.what_if_drivers[name] = driver
            self.mount(driver)
            self._watch_driver(driver)
        self._show(driver, name)
        driver.set_autoplay(True)

    def _show(self, driver: RunDriver, name: str | None) -> None:
        """Put a run on screen: the lesson's own (autoplay resumes) or a what-if's."""
        self.driver.set_autoplay(False)
        self.driver = driver
        self.playing = name
        banner = self.query_one("#variant-banner", Static)
        banner.display = name is not None
        if name is not None:
            what_if = WHAT_IFS[name]
            text = Text.assemble((f" ▶ What if: {what_if.label} ", "bold reverse"))
            text.append(f"  its own real run · {what_if.expect} · ≠ differs · same key or esc: ")
            text.append("the lesson's run")
            banner.update(text)
        else:
            driver.set_autoplay(True)
        self.query_one(LessonPanels).show_lesson(driver.lesson, driver.frame.view)
        self._frame_changed(driver.frame)

    def action_join_code(self) -> None:
        """Show or hide the class poll's join QR code."""
        if self.poll is not None:  # shown until the first class question
            qr = self.query_one("#poll-qr", Static)
            qr.display = not qr.display

    # ------------------------------------------------------------------ drawing
    def _tick_clock(self) -> None:
        if not self.query("#elapsed"):
            return  # the screen is being taken down (the demo moved on)
        elapsed = int(time.monotonic() - self.started)
        minutes, seconds = divmod(elapsed, 60)
        state = "running" if self.autoplaying else "paused"
        self.query_one("#elapsed", Static).update(
            Text(
                f"{self.lesson_position}elapsed {minutes:02d}:{seconds:02d} · {state} · "
                f"every {self.pace:g} s",
                style="bold",
            )
        )

    def _show_notes(self) -> None:
        if self.notes_shown:
            self.query_one("#notes", Static).update(
                Group(Text("Speaker notes", style="bold underline"), Text(self.current_notes()))
            )

    def current_notes(self) -> str:
        """The notes of the step on screen (the first step's before the run starts)."""
        steps = self.lesson.steps
        return steps[min(max(self.own_driver.frame.view.steps_shown, 1), len(steps)) - 1].notes


def poll_join(poll: PollServer) -> Static:
    """The class poll's join address, under the demo's title."""
    where = "" if poll.local else f" (listening on {poll.host or '*'}: open to the network)"
    line = Text(f"Class poll{where}: ", style="bold")
    line.append(poll.join_url, style="bold underline")
    line.append("\nj shows/hides the QR code · c asks the class", style="dim")
    return Static(line, id="poll-join")


def poll_qr(poll: PollServer) -> Static:
    """The join address as a QR code, beside the demo's title until the first class question."""
    from ...render.poll import qr_code

    return Static(qr_code(poll.join_url), id="poll-qr")
