"""The quiz screen: one question at a time; predictions and orders graded against a real run."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker

from ...content.models import ChoiceQuestion, Lesson, OrderQuestion, PredictQuestion, Quiz
from ...player.drill import MixedSession
from ...player.quiz import Feedback, QuizSession, shown_order
from ...render.table import execution_table
from ..messages import QuestionsMissed, QuizFinished
from ..widgets.panel import Panel
from ..workers import outcome
from . import SCREENS_CSS
from .feedback import FeedbackScreen


class QuizScreen(Screen[None]):
    """A lesson's quiz: feedback after each answer, a score at the end, a retry of the missed."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        *(Binding(key, f"choose('{key.upper()}')", show=False) for key in "abcd"),
        *(Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)),
        Binding("backspace", "undo", "Undo", show=False),
        Binding("enter", "submit", "Submit order"),
        Binding("h", "hint", "Hint"),
        Binding("r", "retry", "Retry missed"),
        Binding("escape", "leave", "Back"),
    ]

    ANSWER_HELP = "Press a letter to answer; h for a hint."
    """The line under a question's choices."""

    def __init__(
        self, lesson: Lesson, quiz: Quiz, session: QuizSession | MixedSession | None = None
    ) -> None:
        super().__init__()
        self.lesson = lesson
        self.quiz = quiz
        self.session: QuizSession | MixedSession = session or QuizSession(lesson, quiz)
        """The attempt: one lesson's quiz, or questions drawn from several (a chapter's)."""
        self.busy = True
        """True while the quiz's real run moves (answers wait until it is where they belong)."""
        self.show_hint = False
        self.picked: list[int] = []
        self.failure: str | None = None
        self.sub_title = f"Quiz - {lesson.title}"

    def compose(self) -> ComposeResult:
        yield Static(id="quiz-status")
        yield Static(id="quiz-question")
        yield Panel("Execution table (this quiz's real run)", id="quiz-table")
        yield Footer()

    def on_mount(self) -> None:
        self._prepare()

    # ------------------------------------------------------------------ engine, off the UI thread
    def _prepare(self) -> None:
        self.busy = True
        self.show_hint = False
        self.picked = []
        self.refresh_view()
        self._prepare_in_thread(self.session)

    def _prepare_in_thread(self, session: QuizSession | MixedSession) -> None:
        def prepare() -> tuple[QuizSession | MixedSession, None]:
            session.prepare()
            return session, None

        self.run_worker(
            prepare, name="prepare", group="quiz", thread=True,
            exit_on_error=False,
        )  # fmt: skip

    def _grade_in_thread(self, session: QuizSession | MixedSession, given: str | list[int]) -> None:
        self.run_worker(
            lambda: (session, session.answer(given)), name="grade", group="quiz", thread=True,
            exit_on_error=False,
        )  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place the quiz's thread workers end: a question ready, an answer graded, or
        the run's failure in words."""
        ended = outcome(event)
        if ended is None or event.worker.name == "close":
            return
        if ended.failure is not None:
            self.busy = False
            self.failure = ended.failure
            self.refresh_view()
            return
        session, feedback = ended.result
        if session is not self.session:
            return
        self.busy = False
        if event.worker.name == "grade":
            self.show_feedback(feedback)
        else:
            self.refresh_view()

    def show_feedback(self, feedback: Feedback) -> None:
        """Show an answer's feedback, then go on to the next question."""
        self.app.push_screen(FeedbackScreen(feedback), lambda _: self._next())

    def _next(self) -> None:
        if self.session.finished:
            self.attempt_over()
            self.refresh_view()
        else:
            self._prepare()

    def attempt_over(self) -> None:
        """Every question is answered: save the score (a whole quiz only) and the missed ones."""
        correct, total = self.session.score
        if isinstance(self.session, QuizSession) and self.session.only is None:
            self.post_message(QuizFinished(self.lesson.id, correct, total))
        self.post_message(QuestionsMissed(self.session.missed_items()))

    # ------------------------------------------------------------------ keys
    def action_choose(self, key: str) -> None:
        """Answer a choice or a prediction."""
        if self.busy or self.session.finished:
            return
        question = self.session.current
        if isinstance(question, OrderQuestion):
            return
        if not any(choice.key == key for choice in question.choices):
            return
        if isinstance(question, ChoiceQuestion):
            self.show_feedback(self.session.answer(key))
        else:
            self.busy = True
            self.refresh_view()
            self._grade_in_thread(self.session, key)

    def action_pick(self, number: int) -> None:
        """Order questions: take the item shown as `number` next."""
        question = None if self.session.finished else self.session.current
        if self.busy or not isinstance(question, OrderQuestion):
            return
        shown = shown_order(self.session.lesson, self.session.current_index, question)
        if number <= len(shown) and shown[number - 1] not in self.picked:
            self.picked.append(shown[number - 1])
            self.refresh_view()

    def action_undo(self) -> None:
        """Order questions: take back the last item picked."""
        if self.picked:
            self.picked.pop()
            self.refresh_view()

    def action_submit(self) -> None:
        """Order questions: grade the order picked (the real run decides)."""
        question = None if self.session.finished else self.session.current
        if self.busy or not isinstance(question, OrderQuestion):
            return
        if len(self.picked) != len(question.items):
            self.notify("Pick every item first (press their numbers in order).")
            return
        self.busy = True
        self.refresh_view()
        self._grade_in_thread(self.session, list(self.picked))

    def action_hint(self) -> None:
        """Show the hint (and highlight the step it points at)."""
        self.show_hint = True
        self.refresh_view()

    def action_retry(self) -> None:
        """After the last question: ask the missed ones again, on a fresh real run."""
        if not self.session.finished or not self.session.missed():
            return
        old = self.session
        self.session = old.retry_missed()
        self._close_in_background(old)
        self._prepare()

    def action_leave(self) -> None:
        """Back to where the quiz was opened from."""
        self.app.pop_screen()

    def _close_in_background(self, session: QuizSession | MixedSession) -> None:
        self.run_worker(session.close, name="close", group="closing", thread=True)

    # ------------------------------------------------------------------ drawing
    def refresh_view(self) -> None:
        """Draw the question (or the score) and the table of this quiz's run."""
        session = self.session
        status = self.query_one("#quiz-status", Static)
        body = self.query_one("#quiz-question", Static)
        lesson, results = session.lesson, session.lesson_run.results
        current = None if session.finished else session.current
        if isinstance(current, PredictQuestion) and current.variant is not None:
            played = session.run_for(current)  # the variant's run: its own table
            lesson, results = played.lesson, played.results
        hinted = None
        if self.failure:
            status.update(Text(f"✖ The quiz's run failed: {self.failure}", style="bold red"))
        elif session.finished:
            correct, total = session.score
            missed = len(session.missed())
            status.update(Text(f"Score: {correct}/{total}", style="bold"))
            lines = [Text(f"You answered {correct} of {total} right.", style="bold")]
            if missed:
                lines.append(
                    Text(f"Press r to retry the {missed} missed question(s) on a fresh run.")
                )
            lines.append(Text("Press esc to go back.", style="dim"))
            body.update(Group(*lines))
        else:
            number = session.position + 1
            status.update(
                Text(f"Question {number} of {len(session.indices)}", style="bold")
                + Text(self._from_lesson())
                + Text("   ⏳ the real run is moving…" if self.busy else "", style="italic")
            )
            body.update(self._question_view())
            if self.show_hint:
                hinted = getattr(session.current, "hint_step", None)
        table = execution_table(lesson, results, hinted=hinted)
        self.query_one("#quiz-table", Panel).update(table)

    def _question_view(self) -> RenderableType:
        index, question = self.session.current_index, self.session.current
        parts: list[RenderableType] = [Text(question.prompt, style="bold")]
        if isinstance(question, OrderQuestion):
            shown = shown_order(self.session.lesson, index, question)
            for number, item in enumerate(shown, start=1):
                mark = f"  → #{self.picked.index(item) + 1}" if item in self.picked else ""
                parts.append(Text(f"  {number})  {question.items[item].text}{mark}"))
            parts.append(
                Text(
                    "Press the numbers in the order they happen; backspace undoes; Enter submits.",
                    style="dim",
                )
            )
        else:
            if isinstance(question, PredictQuestion):
                parts.insert(
                    0,
                    Text(
                        f"Predict: the real run{self._of_variant(question)} waits just before "
                        f"step {question.before_step}.",
                        style="italic",
                    ),
                )
            for choice in question.choices:
                parts.append(Text(f"  {choice.key.lower()})  {choice.text}"))
            parts.append(Text(self.ANSWER_HELP, style="dim"))
        if self.show_hint:
            parts.append(Text(f"💡 {question.hint}", style="italic"))
            step = getattr(question, "hint_step", None)
            if step is not None:
                reached = len(self.session.lesson_run.results) >= step
                where = "marked ? in the table below" if reached else "not reached by this run yet"
                parts.append(Text(f"   (step {step}: {where})", style="dim"))
        return Group(*parts)

    def _from_lesson(self) -> str:
        """In a chapter's quiz: which lesson the question comes from."""
        if not isinstance(self.session, MixedSession):
            return ""
        return f" · {self.sub_title} · from lesson '{self.session.lesson.title}'"

    def _of_variant(self, question: PredictQuestion) -> str:
        lesson = self.session.lesson
        variant = lesson.variants.get(question.variant) if question.variant else None
        return "" if variant is None else f" of the what-if ({variant.label})"

    def on_unmount(self) -> None:
        self.session.close()
