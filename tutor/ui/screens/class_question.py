"""A class question: shown with its answer hidden, a countdown, and a key that reveals it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import Worker

from ...content.models import Lesson, OrderQuestion, Quiz
from ...player.quiz import real_answers, shown_order
from ..workers import outcome
from . import SCREENS_CSS

COUNTDOWN_SECONDS = 30


class ClassQuestionScreen(ModalScreen[None]):
    """The question for the room; v reveals the answer, esc goes back to the demo."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("v", "reveal", "Reveal the answer"),
        Binding("escape", "dismiss", "Back to the demo"),
    ]

    def __init__(self, lesson: Lesson, quiz: Quiz, index: int) -> None:
        super().__init__()
        self.lesson = lesson
        self.quiz = quiz
        self.index = index
        self.remaining = COUNTDOWN_SECONDS
        self.revealed = False
        self.answers: dict[int, tuple[str, str]] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="class-box"):
            yield Static(id="class-question")
            yield Static(id="class-countdown")
            yield Static(id="class-answer")

    def on_mount(self) -> None:
        self.query_one("#class-question", Static).update(self._question())
        self.set_interval(1.0, self._tick)
        self._tick(first=True)
        self._read_answers()

    def _read_answers(self) -> None:
        self.run_worker(
            lambda: real_answers(self.lesson, self.quiz), name="answers", thread=True,
            exit_on_error=False,
        )  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The answers, read from a real run where the run decides them (or why they could
        not be)."""
        ended = outcome(event)
        if ended is None:
            return
        self.answers = ended.result
        if ended.failure:
            self.notify(
                f"The answer could not be read from a real run: {ended.failure}", markup=False
            )
        self._show_answer()

    def _question(self) -> RenderableType:
        question = self.quiz.questions[self.index]
        parts: list[RenderableType] = [
            Text(f"Class question {self.index + 1} of {len(self.quiz.questions)}", style="dim"),
            Text(question.prompt, style="bold"),
        ]
        if isinstance(question, OrderQuestion):
            for number, item in enumerate(shown_order(self.lesson, self.index, question), 1):
                parts.append(Text(f"  {number})  {question.items[item].text}"))
        else:
            parts += [Text(f"  {c.key})  {c.text}") for c in question.choices]
        return Group(*parts)

    def _tick(self, first: bool = False) -> None:
        if not first and self.remaining > 0:
            self.remaining -= 1
        text = f"⏱ {self.remaining} s" if self.remaining else "⏱ time's up"
        self.query_one("#class-countdown", Static).update(
            Text(f"{text}   ·   v reveals the answer", style="bold")
        )

    def action_reveal(self) -> None:
        """Show the answer and its explanation."""
        self.revealed = True
        self._show_answer()

    def _show_answer(self) -> None:
        if not self.revealed:
            return
        body = self.query_one("#class-answer", Static)
        if self.answers is None:
            body.update(Text("Reading the answer from a real run…", style="italic"))
            return
        answer, explanation = self.answers[self.index]
        body.update(Group(Text(f"Answer: {answer}", style="bold green"), Text(explanation)))
