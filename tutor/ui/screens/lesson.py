"""The lesson screen: the reference page come alive, driven one stage a keypress by a real run."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TabbedContent, TabPane

from ...content.models import Lesson, Quiz
from ...defaults import PACE_DEFAULT
from ...engine import Snapshot
from ...player.whatif import has_steps
from ...render.flow import box_lit
from ...render.page import key_moment
from ..messages import OpenLesson
from ..widgets.banner import FeedbackBanner
from ..widgets.driven import PlaysRun
from ..widgets.frame import Frame
from ..widgets.lesson_panels import LessonPanels
from ..widgets.run_driver import RunDriver
from ..widgets.run_status import RunStatus
from . import SCREENS_CSS
from .lesson_predictions import Predicting

VIEWS = ("visualize", "moments", "snapshot", "transcript")
TO_THE_END = 10_000
"""A step no run reaches: aiming at it plays a what-if to its end."""


class LessonScreen(Predicting, PlaysRun, Screen[None]):
    """One lesson: concept flow, sample, execution table, tracker, under the hood, timeline."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("right,space,n", "next", "Next", priority=True),
        Binding("left,p", "back", "Back", priority=True),
        Binding("r", "restart", "Restart"),
        Binding("a", "autoplay", "Autoplay"),
        Binding("plus", "faster", "Faster"),
        Binding("minus", "slower", "Slower"),
        Binding("tab", "next_view", "Views", priority=True),
        Binding("k", "quiz", "Quiz"),
        Binding("escape", "home", "Home"),
        Binding("v", "toggle_variant", "What-if", show=False),
        Binding("i", "details", "Ids & meta", show=False),
        *(Binding(str(n), f"key_moment({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self,
        lesson: Lesson,
        *,
        pace: float = PACE_DEFAULT,
        resume_step: int = 0,
        quiz: Quiz | None = None,
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.quiz = quiz
        self.driver = RunDriver(lesson, pace=pace, resume_step=resume_step)
        self.driver.ask_before_step = self._ask_prediction
        self.own_driver = self.driver
        """The lesson's own run; `driver` is the run on screen (this one, or a variant's)."""
        self.variant_drivers: dict[str, RunDriver] = {}
        """The variants with steps of their own played so far, by name (each its own run)."""
        self.playing: str | None = None
        """The variant whose run is on screen (None: the lesson's own)."""
        self.last_variant: str | None = None
        self.asked: set[int] = set()
        """Predict questions (by index) already asked during this run."""
        self.pending_prediction: tuple[int, str] | None = None
        """(question index, chosen key) waiting for the run to reach its step."""
        self.variant_outcomes: dict[str, Snapshot] = {}
        """Final snapshots of the variants the key moments ran, by name."""
        self.variant_goal: str | None = None
        """A stage a what-if played stop by stop is to land on (its key moment's), once run."""
        self.feedback_at: tuple[RunDriver, int] | None = None
        """The run and stop a prediction's feedback is about; moving away clears it."""
        self.sub_title = lesson.title

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield self.driver
        yield RunStatus(self.lesson)
        banner = Static("", id="variant-banner")
        banner.display = False
        yield banner
        yield FeedbackBanner()
        with TabbedContent(initial="visualize"):
            with TabPane("Visualize", id="visualize"), VerticalScroll(id="panels-scroll"):
                yield LessonPanels(self.lesson)
            with TabPane("Key moments", id="moments"), VerticalScroll():
                yield Static(self._moments(), id="moments-body")
            with TabPane("Snapshot", id="snapshot"), VerticalScroll():
                snapshot = Group(*(Text(f"• {line}") for line in self.lesson.concept_snapshot))
                yield Static(snapshot, id="snapshot-body")
            with TabPane("Transcript", id="transcript"), VerticalScroll():
                yield Static(Text(self.lesson.transcript.strip()), id="transcript-body")
        yield Footer()

    def on_mount(self) -> None:
        self._watch_driver(self.driver)

    def _watch_driver(self, driver: RunDriver) -> None:
        def changed(frame: Frame) -> None:
            if driver is self.driver:
                self._frame_changed(frame)

        self.watch(driver, "frame", changed)

    def _frame_changed(self, frame: Frame) -> None:
        self.query_one(RunStatus).frame = frame
        panels = self.query_one(LessonPanels)
        panels.view = frame.view
        if self.feedback_at is not None and self.feedback_at != (self.driver, frame.view.position):
            self._clear_feedback()
        if frame.view.lesson_run is None:
            self.asked -= set(self._predictions_about(self.playing))
            self.pending_prediction = None
        self._grade_pending_prediction()
        view = frame.view
        row = view.current_row or (view.steps_shown + 1 if view.snapshot is not None else None)
        panels.keep_in_view(row)
        if self.playing is not None:
            self._variant_frame(frame)

    def _variant_frame(self, frame: Frame) -> None:
        """A what-if's run moved: keep its outcome for the Key moments tab, and land on its key
        moment's stage once it has run to its end."""
        lesson_run = frame.view.lesson_run
        if lesson_run is None or frame.busy or self.playing is None:
            return
        if lesson_run.finished and self.playing not in self.variant_outcomes:
            self.variant_outcomes[self.playing] = lesson_run.stops[-1]
            self.query_one("#moments-body", Static).update(self._moments())
        goal = self.variant_goal
        if goal is None:
            return
        if not lesson_run.finished:
            if self.driver.navigator.target_step is None:
                self.call_later(self.driver.aim_at, TO_THE_END)
            return
        self.variant_goal = None
        rows = [r.index for r in lesson_run.results if r.snapshot.stage.value == goal]
        self.call_later(self.driver.go_to_step, rows[0] if rows else len(lesson_run.results))

    # ------------------------------------------------------------------ a variant's own run
    def play_variant(self, name: str) -> None:
        """Play a what-if stage by stage in the same panels: a variant with steps of its own
        through its steps, any other one stop by stop, compared with the lesson's run."""
        driver = self.variant_drivers.get(name)
        if driver is None:
            driver = self._variant_driver(name)
            driver.ask_before_step = self._ask_prediction
            self.variant_drivers[name] = driver
            self.mount(driver)
            self._watch_driver(driver)
        self._switch(driver, name, driver.lesson.title)

    def _variant_driver(self, name: str) -> RunDriver:
        if has_steps(self.lesson, name):
            from ...player.whatif import variant_lesson

            return RunDriver(variant_lesson(self.lesson, name), pace=self.pace, variant=name)
        from ...player.whatif_play import StopByStopRun, stop_lesson

        own = self.own_driver
        return RunDriver(
            stop_lesson(self.lesson, name), pace=self.pace, variant=name,
            make_run=lambda: StopByStopRun(self.lesson, name, own.lesson_run),
        )  # fmt: skip

    def back_to_lesson(self) -> None:
        """Show the lesson's own run again (the variant's run is kept, v shows it again)."""
        if self.playing is not None:
            self._switch(self.own_driver, None, self.lesson.title)

    def _switch(self, driver: RunDriver, name: str | None, title: str) -> None:
        self.driver.set_autoplay(False)
        self.driver = driver
        self.playing = name
        self.last_variant = name or self.last_variant
        self.pending_prediction = None
        self.sub_title = title
        self._clear_feedback()
        banner = self.query_one("#variant-banner", Static)
        banner.display = self.last_variant is not None
        banner.set_class(name is not None, "-what-if")
        if name is not None:
            text = Text.assemble((f" ▶ {title} ", "bold reverse"))
            text.append(
                "  its own real run · ≠ differs from the lesson's · v/esc: the lesson's run"
            )
            banner.update(text)
        elif self.last_variant is not None:
            label = self.variant_drivers[self.last_variant].lesson.title
            text = Text.assemble((" ▶ The lesson's own run ", "bold reverse"))
            text.append(f"  v: back to {label}")
            banner.update(text)
        self.query_one(LessonPanels).show_lesson(driver.lesson, driver.frame.view)
        self._frame_changed(driver.frame)

    def action_toggle_variant(self) -> None:
        """Between the lesson's own run and the last variant played stage by stage."""
        if self.playing is not None:
            self.back_to_lesson()
        elif self.last_variant is not None:
            self.play_variant(self.last_variant)

    @on(RunDriver.Resumed)
    def _resumed(self, message: RunDriver.Resumed) -> None:
        self.notify(f"Back where you left off: step {message.step}. r starts over.", markup=False)

    # ------------------------------------------------------------------ keys
    def action_autoplay(self) -> None:
        """Advance on its own every `pace` seconds (again: stop)."""
        self.driver.toggle_autoplay()

    def action_next_view(self) -> None:
        """Cycle Visualize → Key moments → Snapshot → Transcript."""
        tabs = self.query_one(TabbedContent)
        current = VIEWS.index(tabs.active) if tabs.active in VIEWS else 0
        tabs.active = VIEWS[(current + 1) % len(VIEWS)]

    def action_quiz(self) -> None:
        """Take this lesson's quiz (on its own real run)."""
        self.post_message(OpenLesson(self.lesson.id, quiz=True))

    def action_home(self) -> None:
        """Back to the lesson list (from a variant's run: back to the lesson's own)."""
        if self.playing is not None:
            self.back_to_lesson()
            return
        self.app.pop_screen()

    def action_key_moment(self, number: int) -> None:
        """Make key moment `number` happen: go to its step (and run its variant)."""
        if number > len(self.lesson.key_moments):
            return
        moment = self.lesson.key_moments[number - 1]
        self.query_one(TabbedContent).active = "visualize"
        if moment.variant is None:
            self.back_to_lesson()
            self.go_to_step(moment.step)
            return
        if not has_steps(self.lesson, moment.variant):
            self.variant_goal = self.lesson.steps[moment.step - 1].at.value
        self.play_variant(moment.variant)
        self._variant_frame(self.driver.frame)

    def go_to_step(self, step: int) -> None:
        """Show the stop where `step` ends, moving the real run on as far as needed."""
        self.driver.go_to_step(step)

    def action_jump_to_step(self, step: int) -> None:
        """A click on a table row: show the stop where that step ends."""
        self.go_to_step(step)

    def action_jump_to_box(self, index: int) -> None:
        """A click on a flow box: show the first step whose stop lights that box."""
        lesson_run = self.lesson_run
        flow_box = self.driver.lesson.flow[index]
        if lesson_run is None:
            return
        for result in lesson_run.results:
            if box_lit(flow_box, result.snapshot):
                self.go_to_step(result.index)
                return
        for number, step in enumerate(self.driver.lesson.steps, start=1):
            if any(stage.split("@")[0] == step.at.value for stage in flow_box.stages):
                self.go_to_step(number)
                return
        self.notify(f"No step of this run is at “{flow_box.label}” yet: → moves on.")

    def action_details(self) -> None:
        """Full message ids, tasks and stored meta of the stop on screen."""
        from .details import DetailsScreen

        title = f"Full ids and stored meta — {self.driver.lesson.title}"
        self.app.push_screen(DetailsScreen(self.snapshot, title))

    # ------------------------------------------------------------------ key moments tab
    def _moments(self) -> RenderableType:
        parts: list[RenderableType] = []
        for index, moment in enumerate(self.lesson.key_moments, start=1):
            outcome = self.variant_outcomes.get(moment.variant) if moment.variant else None
            parts.append(key_moment(index, moment, self.lesson, outcome))
            hint = f"Press {index} to watch it happen (step {moment.step})"
            if has_steps(self.lesson, moment.variant):
                assert moment.variant is not None
                label = self.lesson.variants[moment.variant].label
                hint = f"Press {index} to play the what-if stage by stage: {label}"
            elif moment.variant:
                hint += f" and run the what-if: {self.lesson.variants[moment.variant].label}"
            parts.append(Text(f"   ▶ {hint}\n", style="bold cyan"))
        return Group(*parts)
