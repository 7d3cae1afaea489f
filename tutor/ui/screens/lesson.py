"""The lesson screen: the reference page come alive, driven one stage a keypress by a real run."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static, TabbedContent, TabPane

from ...content.models import Lesson, PredictQuestion, Quiz
from ...engine import EngineError, RunClosed, Snapshot
from ...player.lesson_run import LessonMismatch, LessonRun
from ...render.flow import flow_diagram
from ...render.hood import under_the_hood
from ...render.page import key_moment
from ...render.sample import current_line, sample_code
from ...render.table import execution_table
from ...render.timeline import call_bars, timeline
from ...render.tracker import variable_tracker
from ..messages import RunFailed, RunReady, StopReached, VariantDone
from ..widgets.panel import Panel

VIEWS = ("visualize", "moments", "snapshot", "transcript")
PACE_MIN = 0.25
PACE_MAX = 8.0
NARROW_WIDTH = 110
"""Below this width the sample goes above the flow instead of beside it."""


class LessonScreen(Screen[None]):
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
        *(Binding(str(n), f"moment({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self, lesson: Lesson, *, pace: float = 1.5, resume_step: int = 0, quiz: Quiz | None = None
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.quiz = quiz
        self.resume_step = min(resume_step, len(lesson.steps))
        """Where the learner left the lesson last time: the run is moved there when it starts."""
        self.asked: set[int] = set()
        """Predict questions (by index) already asked during this run."""
        self.pending_prediction: tuple[int, str] | None = None
        """(question index, chosen key) waiting for the run to reach its step."""
        self.recorded_step = 0
        self.lesson_run: LessonRun | None = None
        self.position = -1
        """Index of the stop shown in lesson_run.stops; -1 is before the run starts."""
        self.busy = False
        self.pace = pace
        self.autoplaying = False
        self.target_step: int | None = None
        self.failure: str | None = None
        self.variant_outcomes: dict[str, Snapshot] = {}
        self._autoplay_timer: Timer | None = None
        self._moments_key: tuple[str, ...] | None = None
        self.sub_title = lesson.title

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with TabbedContent(initial="visualize"):
            with TabPane("Visualize", id="visualize"), VerticalScroll():
                with Horizontal(classes="row", id="top-row"):
                    yield Panel("Execution sample", id="sample")
                    with Vertical(id="flow-and-time"):
                        yield Panel(f"Concept flow - {self.lesson.title}", id="flow")
                        yield Panel("Timeline: the main app and the worker", id="timeline")
                yield Panel("Execution table", id="table")
                with Horizontal(classes="row"):
                    yield Panel("Variable tracker", id="tracker")
                    yield Panel("Under the hood", id="hood")
            with TabPane("Key moments", id="moments"), VerticalScroll():
                yield Static(id="moments-body")
            with TabPane("Snapshot", id="snapshot"), VerticalScroll():
                yield Static(id="snapshot-body")
            with TabPane("Transcript", id="transcript"), VerticalScroll():
                yield Static(id="transcript-body")
        yield Footer()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.refresh_view()

    def on_mount(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        if self.query("#snapshot-body"):
            self.query_one("#snapshot-body", Static).update(
                Group(*(Text(f"• {line}") for line in self.lesson.concept_snapshot))
            )
            self.query_one("#transcript-body", Static).update(Text(self.lesson.transcript.strip()))
        self.refresh_view()
        self._start_run()

    # ------------------------------------------------------------------ engine, off the UI thread
    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _start_run(self) -> None:
        lesson_run = LessonRun(self.lesson)
        try:
            lesson_run.start()
        except EngineError as exc:
            lesson_run.close()
            self.post_message(RunFailed(None, f"the real run could not start: {exc}"))
            return
        self.post_message(RunReady(lesson_run))

    @work(thread=True, exclusive=True, group="engine", exit_on_error=False)
    def _advance(self, lesson_run: LessonRun) -> None:
        try:
            snapshot = lesson_run.advance_stop()
        except RunClosed:
            return
        except (EngineError, LessonMismatch) as exc:
            self.post_message(RunFailed(lesson_run, str(exc)))
            return
        self.post_message(StopReached(lesson_run, snapshot))

    @work(thread=True, group="variant", exit_on_error=False)
    def _run_variant(self, name: str) -> None:
        try:
            with LessonRun(self.lesson, name) as variant_run:
                snapshot = variant_run.finish()
        except (EngineError, LessonMismatch) as exc:
            self.post_message(VariantDone(name, None, str(exc)))
            return
        self.post_message(VariantDone(name, snapshot))

    @work(thread=True, group="closing", exit_on_error=False)
    def _close_in_background(self, lesson_run: LessonRun) -> None:
        lesson_run.close()

    @on(RunReady)
    def _run_ready(self, message: RunReady) -> None:
        if self.is_attached and self.lesson_run is None:
            self.lesson_run = message.lesson_run
            self.failure = None
            self.refresh_view()
            if self.resume_step > 0:
                step, self.resume_step = self.resume_step, 0
                self.notify(f"Back where you left off: step {step}. r starts over.")
                self.go_to_step(step)
        else:
            self._close_in_background(message.lesson_run)

    @on(StopReached)
    def _stop_reached(self, message: StopReached) -> None:
        if message.lesson_run is not self.lesson_run:
            return
        self.busy = False
        self.position = len(message.lesson_run.stops) - 1
        reached = len(message.lesson_run.results)
        if reached > self.recorded_step:
            self.recorded_step = reached
            record_step = getattr(self.app, "record_step", None)
            if record_step is not None:
                record_step(self.lesson.id, reached)
        if message.lesson_run.done:
            mark_done = getattr(self.app, "mark_done", None)
            if mark_done is not None:
                mark_done(self.lesson.id)
        self._grade_pending_prediction()
        self._after_move()

    @on(RunFailed)
    def _run_failed(self, message: RunFailed) -> None:
        if message.lesson_run is not None and message.lesson_run is not self.lesson_run:
            return
        self.busy = False
        self.failure = message.reason
        self._stop_autoplay()
        self.refresh_view()

    @on(VariantDone)
    def _variant_done(self, message: VariantDone) -> None:
        if message.snapshot is not None:
            self.variant_outcomes[message.name] = message.snapshot
            self.notify(f"What-if run finished: {self.lesson.variants[message.name].label}")
        else:
            self.notify(f"The what-if run failed: {message.reason}", severity="error")
        self._refresh_moments()

    # ------------------------------------------------------------------ keys
    def action_next(self) -> None:
        """Show the next stage: replay a recorded one, or move the real run on."""
        lesson_run = self.lesson_run
        if lesson_run is None or self.busy:
            return
        if self.position < len(lesson_run.stops) - 1:
            self.position += 1
            self._after_move()
        elif lesson_run.finished:
            self._stop_autoplay()
            self.refresh_view()
        elif self._ask_prediction(lesson_run):
            return
        else:
            self.busy = True
            self._show_status()
            self._advance(lesson_run)

    # ------------------------------------------------------------------ predictions
    def _prediction_for(self, step: int) -> tuple[int, PredictQuestion] | None:
        if self.quiz is None:
            return None
        for index, question in enumerate(self.quiz.questions):
            if (
                isinstance(question, PredictQuestion)
                and question.before_step == step
                and index not in self.asked
            ):
                return index, question
        return None

    def _ask_prediction(self, lesson_run: LessonRun) -> bool:
        """Before the run enters a step with a prediction, ask it; True when asked."""
        if self.autoplaying or self.target_step is not None:
            return False
        found = self._prediction_for(len(lesson_run.results) + 1)
        if found is None:
            return False
        index, question = found
        self.asked.add(index)

        def predicted(key: str | None) -> None:
            if key is not None:
                self.pending_prediction = (index, key)
                self.target_step = question.before_step
            self.action_next()

        from .predict import PredictScreen

        self.app.push_screen(PredictScreen(question), predicted)
        return True

    def _grade_pending_prediction(self) -> None:
        if self.pending_prediction is None or self.lesson_run is None or self.quiz is None:
            return
        index, key = self.pending_prediction
        question = self.quiz.questions[index]
        assert isinstance(question, PredictQuestion)
        if len(self.lesson_run.results) < question.before_step:
            return
        self.pending_prediction = None
        from ...player.quiz import grade_prediction
        from .feedback import FeedbackScreen

        feedback = grade_prediction(index, question, key, self.lesson_run)
        self.app.push_screen(FeedbackScreen(feedback))

    def action_back(self) -> None:
        """Show the stage before (a recorded snapshot; the real run is not touched)."""
        if self.position > -1:
            self.position -= 1
            self.target_step = None
            self.refresh_view()

    def action_restart(self) -> None:
        """Throw the run away and start a fresh real one."""
        old = self.lesson_run
        self.lesson_run = None
        self.position = -1
        self.busy = False
        self.failure = None
        self.target_step = None
        self.asked.clear()
        self.pending_prediction = None
        if old is not None:
            self._close_in_background(old)
        self.refresh_view()
        self._start_run()

    def action_autoplay(self) -> None:
        """Advance on its own every `pace` seconds (again: stop)."""
        if self.autoplaying:
            self._stop_autoplay()
        else:
            self.autoplaying = True
            self._restart_timer()
        self._show_status()

    def action_faster(self) -> None:
        """Shorten the autoplay pace."""
        self.pace = min(self.pace, max(PACE_MIN, round(self.pace / 1.5, 2)))
        self._restart_timer()
        self._show_status()

    def action_slower(self) -> None:
        """Lengthen the autoplay pace."""
        self.pace = max(self.pace, min(PACE_MAX, round(self.pace * 1.5, 2)))
        self._restart_timer()
        self._show_status()

    def action_next_view(self) -> None:
        """Cycle Visualize → Key moments → Snapshot → Transcript."""
        tabs = self.query_one(TabbedContent)
        current = VIEWS.index(tabs.active) if tabs.active in VIEWS else 0
        tabs.active = VIEWS[(current + 1) % len(VIEWS)]

    def action_quiz(self) -> None:
        """Take this lesson's quiz (on its own real run)."""
        open_quiz = getattr(self.app, "open_quiz", None)
        if open_quiz is not None:
            open_quiz(self.lesson.id)

    def action_home(self) -> None:
        """Back to the lesson list."""
        self.app.pop_screen()

    def action_moment(self, number: int) -> None:
        """Make key moment `number` happen: go to its step (and run its what-if variant)."""
        if number > len(self.lesson.key_moments):
            return
        moment = self.lesson.key_moments[number - 1]
        self.query_one(TabbedContent).active = "visualize"
        self.go_to_step(moment.step)
        if moment.variant is not None and moment.variant not in self.variant_outcomes:
            self.notify(f"Running the what-if: {self.lesson.variants[moment.variant].label}…")
            self._run_variant(moment.variant)

    def go_to_step(self, step: int) -> None:
        """Show the stop where `step` ends, moving the real run on as far as needed."""
        lesson_run = self.lesson_run
        if lesson_run is None:
            return
        if step <= len(lesson_run.results):
            self.position = lesson_run.results[step - 1].stop_index
            self.target_step = None
            self.refresh_view()
        else:
            self.target_step = step
            self.position = len(lesson_run.stops) - 1
            self.action_next()

    # ------------------------------------------------------------------ autoplay
    def _restart_timer(self) -> None:
        if self._autoplay_timer is not None:
            self._autoplay_timer.stop()
            self._autoplay_timer = None
        if self.autoplaying:
            self._autoplay_timer = self.set_interval(self.pace, self._autoplay_tick)

    def _stop_autoplay(self) -> None:
        self.autoplaying = False
        self._restart_timer()

    def _autoplay_tick(self) -> None:
        if self.lesson_run is not None and self.lesson_run.finished and self._at_live_end():
            self._stop_autoplay()
            self._show_status()
            return
        self.action_next()

    def _at_live_end(self) -> bool:
        return self.lesson_run is not None and self.position >= len(self.lesson_run.stops) - 1

    def _after_move(self) -> None:
        self.refresh_view()
        if self.target_step is not None and self.lesson_run is not None:
            if len(self.lesson_run.results) >= self.target_step or self.lesson_run.finished:
                self.go_to_step(min(self.target_step, len(self.lesson_run.results) or 1))
            else:
                self.action_next()

    # ------------------------------------------------------------------ drawing
    @property
    def snapshot(self) -> Snapshot | None:
        """The snapshot shown now (None before the run's first stage)."""
        if self.lesson_run is None or self.position < 0:
            return None
        return self.lesson_run.stops[self.position]

    @property
    def steps_shown(self) -> int:
        """How many table rows the shown stop has reached."""
        if self.lesson_run is None or self.position < 0:
            return 0
        return self.lesson_run.steps_done_at(self.position)

    def _panel(self, panel_id: str) -> Panel | None:
        """A panel of this layout (a presenter layout has fewer)."""
        found = self.query(f"#{panel_id}")
        return found.first(Panel) if found else None

    def refresh_view(self) -> None:
        """Redraw the panels whose data changed since they were last drawn."""
        if not self.query("#status"):
            return  # not composed yet, or being taken down
        snapshot = self.snapshot
        lesson_run = self.lesson_run
        steps = self.steps_shown
        results = lesson_run.results[:steps] if lesson_run else []
        current = steps if results and results[-1].stop_index == self.position else None
        shown = (id(lesson_run), self.position)
        if flow := self._panel("flow"):
            lit = None if snapshot is None else (snapshot.stage, snapshot.stop.thread)
            flow.show(flow_diagram(self.lesson, snapshot, compact=True), key=lit)
        if sample := self._panel("sample"):
            line = current_line(self.lesson.sample.code, snapshot)
            sample.show(sample_code(self.lesson, line), key=line)
        if table := self._panel("table"):
            rows = execution_table(self.lesson, results, current)
            table.show(rows, key=(id(lesson_run), steps, current))
        if tracker := self._panel("tracker"):
            if lesson_run is not None:
                tracker.show(variable_tracker(lesson_run, steps), key=(id(lesson_run), steps))
            else:
                tracker.show(Text("starting a real Celery app…", style="dim"), key="starting")
        if hood := self._panel("hood"):
            hood.show(under_the_hood(snapshot, boxed=False), key=shown)
        if timeline_panel := self._panel("timeline"):
            width = max(20, (timeline_panel.size.width or self.size.width) - 26)
            parts: list[RenderableType] = [timeline(snapshot, width=width)]
            if snapshot is not None and len(snapshot.calls) > 1:
                parts += [Text("Each call of the main app, side by side:", style="bold")]
                parts += [call_bars(snapshot, width=max(10, width - 40))]
            timeline_panel.show(Group(*parts), key=(shown, width))
        self._refresh_moments()
        self._show_status()

    def _refresh_moments(self) -> None:
        key = tuple(sorted(self.variant_outcomes))
        if key == self._moments_key or not self.query("#moments-body"):
            return
        self._moments_key = key
        parts: list[RenderableType] = []
        for index, moment in enumerate(self.lesson.key_moments, start=1):
            outcome = self.variant_outcomes.get(moment.variant) if moment.variant else None
            parts.append(key_moment(index, moment, self.lesson, outcome))
            hint = f"Press {index} to watch it happen (step {moment.step})"
            if moment.variant:
                hint += f" and run the what-if: {self.lesson.variants[moment.variant].label}"
            parts.append(Text(f"   ▶ {hint}\n", style="bold cyan"))
        self.query_one("#moments-body", Static).update(Group(*parts))

    def _show_status(self) -> None:
        status = self.query_one("#status", Static)
        total_steps = len(self.lesson.steps)
        if self.failure:
            status.update(Text(f"✖ {self.failure} — press r to restart", style="bold red"))
            return
        if self.lesson_run is None:
            status.update(Text("Starting a real Celery app…", style="italic"))
            return
        snapshot = self.snapshot
        autoplay = f" · autoplay every {self.pace:g} s" if self.autoplaying else ""
        if self.busy:
            text = Text("⏳ the real run is moving to its next stage…", style="italic")
        elif snapshot is None:
            text = Text("Ready: a real Celery app is waiting. Press → to start, ? for help.")
        else:
            live = "" if self._at_live_end() else " (replay)"
            text = Text(f"Stage {self.position + 1}{live}: ", style="bold")
            where = "" if snapshot.stop.thread in ("", "-") else f" in {snapshot.stop.thread}"
            text.append(f"{snapshot.stage}{where} — {snapshot.stop.detail}")
            done = ""
            if self.lesson_run.finished and self._at_live_end():
                done = " · run finished: r restarts, esc goes home"
            text.append(f"   [step {self.steps_shown}/{total_steps}{autoplay}{done}]", style="dim")
        status.update(text)

    # ------------------------------------------------------------------ closing
    def shutdown(self) -> None:
        """Stop the real run now (quitting, or leaving the screen)."""
        self._stop_autoplay()
        if self.lesson_run is not None:
            self.lesson_run.close()
            self.lesson_run = None

    def on_unmount(self) -> None:
        self.shutdown()
