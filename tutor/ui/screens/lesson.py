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

from ...content.models import Lesson, PredictQuestion, Quiz
from ...defaults import PACE_DEFAULT
from ...engine import Snapshot
from ...player.whatif import has_steps
from ...render.page import key_moment
from ..messages import OpenLesson
from ..widgets.driven import PlaysRun
from ..widgets.frame import Frame
from ..widgets.lesson_panels import LessonPanels
from ..widgets.run_driver import RunDriver
from ..widgets.run_status import RunStatus

VIEWS = ("visualize", "moments", "snapshot", "transcript")


class LessonScreen(PlaysRun, Screen[None]):
    """One lesson: concept flow, sample, execution table, tracker, under the hood, timeline."""

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
        self.sub_title = lesson.title

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield self.driver
        yield RunStatus(self.lesson)
        with TabbedContent(initial="visualize"):
            with TabPane("Visualize", id="visualize"), VerticalScroll():
                banner = Static("", id="variant-banner")
                banner.display = False
                yield banner
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
        self.query_one(LessonPanels).view = frame.view
        if frame.view.lesson_run is None:
            self.asked -= set(self._predictions_about(self.playing))
            self.pending_prediction = None
        self._grade_pending_prediction()

    # ------------------------------------------------------------------ a variant's own run
    def play_variant(self, name: str) -> None:
        """Show a variant with steps of its own, stage by stage, in the same panels."""
        from ...player.whatif import variant_lesson

        driver = self.variant_drivers.get(name)
        if driver is None:
            driver = RunDriver(variant_lesson(self.lesson, name), pace=self.pace, variant=name)
            driver.ask_before_step = self._ask_prediction
            self.variant_drivers[name] = driver
            self.mount(driver)
            self._watch_driver(driver)
        label = self.lesson.variants[name].label
        self._switch(driver, name, f"What if: {label}")
        self.notify(
            f"What if: {label}. → plays it stage by stage; v or esc: back to the lesson's run.",
            markup=False,
        )

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
        banner = self.query_one("#variant-banner", Static)
        banner.display = name is not None
        if name is not None:
            text = Text(f"▶ {title}", style="bold reverse")
            text.append("  its own real run, stage by stage · v or esc: the lesson's run")
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

    @on(RunDriver.VariantDone)
    def _variant_done(self, message: RunDriver.VariantDone) -> None:
        if message.outcome is None:
            self.notify(
                f"The what-if run failed: {message.failure}", severity="error", markup=False
            )
            return
        self.variant_outcomes[message.name] = message.outcome.snapshot
        self.notify(f"What-if run finished: {message.outcome.plan.label}", markup=False)
        self.query_one("#moments-body", Static).update(self._moments())

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
        if has_steps(self.lesson, moment.variant):
            assert moment.variant is not None
            self.play_variant(moment.variant)
            return
        self.back_to_lesson()
        self.go_to_step(moment.step)
        if moment.variant is not None and moment.variant not in self.variant_outcomes:
            self.notify(
                f"Running the what-if: {self.lesson.variants[moment.variant].label}…", markup=False
            )
            self.driver.run_variant(moment.variant)

    def go_to_step(self, step: int) -> None:
        """Show the stop where `step` ends, moving the real run on as far as needed."""
        self.driver.go_to_step(step)

    # ------------------------------------------------------------------ predictions
    def _predictions_about(self, variant: str | None) -> dict[int, PredictQuestion]:
        """The quiz's predictions about one run (the lesson's, or a variant's), by index."""
        questions = self.quiz.questions if self.quiz is not None else []
        return {
            index: question
            for index, question in enumerate(questions)
            if isinstance(question, PredictQuestion) and question.variant == variant
        }

    def _prediction_for(self, step: int) -> tuple[int, PredictQuestion] | None:
        for index, question in self._predictions_about(self.playing).items():
            if question.before_step == step and index not in self.asked:
                return index, question
        return None

    def _ask_prediction(self, step: int) -> bool:
        """Before the run enters a step with a prediction, ask it; True when asked."""
        found = self._prediction_for(step)
        if found is None:
            return False
        index, question = found
        self.asked.add(index)

        def predicted(key: str | None) -> None:
            if key is None:
                self.driver.next()
                return
            self.pending_prediction = (index, key)
            self.driver.aim_at(question.before_step)

        from .predict import PredictScreen

        self.app.push_screen(PredictScreen(question), predicted)
        return True

    def _grade_pending_prediction(self) -> None:
        lesson_run = self.lesson_run
        if self.pending_prediction is None or lesson_run is None or self.quiz is None:
            return
        index, key = self.pending_prediction
        question = self.quiz.questions[index]
        assert isinstance(question, PredictQuestion)
        if question.variant != self.playing or len(lesson_run.results) < question.before_step:
            return
        self.pending_prediction = None
        from ...player.quiz import grade_prediction
        from .feedback import FeedbackScreen

        feedback = grade_prediction(index, question, key, lesson_run)
        self.app.push_screen(FeedbackScreen(feedback))

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
