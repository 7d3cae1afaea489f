"""The instructor's demo: a presenter layout that advances the real run on its own."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Digits, Footer, Static

from ...content.models import Lesson, Quiz
from ...engine import EngineError, Snapshot
from ...player.lesson_run import LessonMismatch, LessonRun
from ...player.whatif import WHAT_IFS, run_what_if
from ..widgets.panel import Panel
from .class_question import ClassQuestionScreen
from .lesson import LessonScreen
from .what_if import WhatIfScreen


@dataclass
class WhatIfDone(Message):
    """A what-if re-run finished (or failed)."""

    name: str
    code: str
    snapshot: Snapshot | None
    reason: str | None = None


class DemoScreen(LessonScreen):
    """Fewer, larger panels; a big step counter; auto-advance at a pace the instructor sets."""

    BINDINGS = [
        Binding("space", "pause", "Pause/resume", priority=True),
        Binding("right", "next", "Step"),
        Binding("left", "back", "Back"),
        Binding("plus", "faster", "Faster"),
        Binding("minus", "slower", "Slower"),
        Binding("s", "notes", "Notes"),
        Binding("c", "class_question", "Class question"),
        Binding("b", "what_if('no-backend')", "No backend"),
        Binding("w", "what_if('no-worker')", "No worker"),
        Binding("d", "what_if('direct')", "Direct call"),
        Binding("escape", "home", "Home"),
        Binding("r", "restart", "Restart", show=False),
        Binding("a", "pause", "Pause", show=False),
        Binding("tab", "nothing", show=False, priority=True),
        Binding("k", "nothing", show=False),
        Binding("n,p", "nothing", show=False, priority=True),
        *(Binding(str(n), "nothing", show=False) for n in range(1, 10)),
    ]

    def action_nothing(self) -> None:
        """Keys of the lesson screen that the presenter layout does not use."""

    def _ask_prediction(self, lesson_run: LessonRun) -> bool:
        """No pop-up predictions in front of a class: class questions (c) are for that."""
        return False

    def __init__(
        self,
        lesson: Lesson,
        *,
        pace: float,
        quiz: Quiz | None,
        started: float,
        position: str = "",
    ) -> None:
        super().__init__(lesson, pace=pace, quiz=quiz)
        self.started = started
        self.lesson_position = position
        self.notes_shown = False
        self.paused_by_instructor = False
        self.next_question = 0
        self.what_ifs: dict[str, tuple[str, Snapshot]] = {}
        self._finished_ticks = 0

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with Horizontal(id="demo-top"):
            yield Digits("0/0", id="step-counter")
            with Vertical(id="demo-title"):
                yield Static(Text(self.lesson.title, style="bold"), id="demo-lesson")
                yield Static(id="elapsed")
        yield Panel(f"Concept flow - {self.lesson.title}", id="flow")
        yield Panel("Execution table", id="table")
        yield Panel("Under the hood", id="hood")
        yield Static(id="notes", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.autoplaying = True
        self._restart_timer()
        self.set_interval(1.0, self._tick_clock)
        self._tick_clock()

    # ------------------------------------------------------------------ auto-advance
    def _autoplay_tick(self) -> None:
        if self.lesson_run is not None and self.lesson_run.finished and self._at_live_end():
            self._finished_ticks += 1
            if self._finished_ticks >= 2:  # let the end stay on screen for one more beat
                self._stop_autoplay()
                next_lesson = getattr(self.app, "demo_next_lesson", None)
                if next_lesson is not None:
                    next_lesson()
            return
        self.action_next()

    def action_pause(self) -> None:
        """Pause or resume the automatic advance."""
        self.paused_by_instructor = self.autoplaying
        self.autoplaying = not self.autoplaying
        self._restart_timer()
        self.refresh_view()

    def _hold(self) -> bool:
        """Pause while something is shown over the demo; True if it was running."""
        was_running = self.autoplaying
        if was_running:
            self.autoplaying = False
            self._restart_timer()
        return was_running

    def _resume(self, was_running: bool) -> None:
        if was_running:
            self.autoplaying = True
            self._restart_timer()
        self.refresh_view()

    # ------------------------------------------------------------------ notes, questions, what-ifs
    def action_notes(self) -> None:
        """Show or hide the speaker notes of the current step."""
        self.notes_shown = not self.notes_shown
        self.query_one("#notes", Static).set_class(not self.notes_shown, "-hidden")
        self.refresh_view()

    def action_class_question(self) -> None:
        """Ask the class the next quiz question, answer hidden, with a countdown."""
        if self.quiz is None:
            self.notify("This lesson has no quiz.")
            return
        index = self.next_question % len(self.quiz.questions)
        self.next_question += 1
        was_running = self._hold()
        screen = ClassQuestionScreen(self.lesson, self.quiz, index)
        self.app.push_screen(screen, lambda _: self._resume(was_running))

    def action_what_if(self, name: str) -> None:
        """Re-run the lesson with one change, for real, and show the difference."""
        if name in self.what_ifs:
            self._show_what_if(name)
            return
        self.notify(f"What if: {WHAT_IFS[name].label} — running it for real…")
        self._run_what_if(name)

    @work(thread=True, group="what-if", exit_on_error=False)
    def _run_what_if(self, name: str) -> None:
        try:
            code, snapshot = run_what_if(self.lesson, name)
        except (EngineError, LessonMismatch) as exc:
            self.post_message(WhatIfDone(name, "", None, str(exc)))
            return
        self.post_message(WhatIfDone(name, code, snapshot))

    @on(WhatIfDone)
    def _what_if_done(self, message: WhatIfDone) -> None:
        if message.snapshot is None:
            self.notify(f"The what-if failed: {message.reason}", severity="error")
            return
        self.what_ifs[message.name] = (message.code, message.snapshot)
        self._show_what_if(message.name)

    def _show_what_if(self, name: str) -> None:
        code, snapshot = self.what_ifs[name]
        was_running = self._hold()
        baseline = self.lesson_run.stops[-1] if self.lesson_run and self.lesson_run.stops else None
        screen = WhatIfScreen(WHAT_IFS[name], code, snapshot, baseline)
        self.app.push_screen(screen, lambda _: self._resume(was_running))

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

    def refresh_view(self) -> None:
        """The presenter panels, the big counter, the notes, and what the followers see."""
        super().refresh_view()
        if not self.query("#step-counter"):
            return
        total = len(self.lesson.steps)
        self.query_one("#step-counter", Digits).update(f"{self.steps_shown}/{total}")
        notes = self.current_notes()
        if self.notes_shown:
            self.query_one("#notes", Static).update(
                Group(Text("Speaker notes", style="bold underline"), Text(notes))
            )
        publish = getattr(self.app, "publish_notes", None)
        if publish is not None:
            snapshot = self.snapshot
            publish(
                {
                    "lesson": self.lesson.id,
                    "title": self.lesson.title,
                    "step": self.steps_shown,
                    "steps": total,
                    "stage": None if snapshot is None else str(snapshot.stage),
                    "notes": notes,
                }
            )
        if self.is_mounted:
            self._tick_clock()

    def current_notes(self) -> str:
        """The notes of the step on screen (the first step's before the run starts)."""
        steps = self.steps_shown
        return self.lesson.steps[max(steps, 1) - 1].notes
