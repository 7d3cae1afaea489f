"""Feedback after an answer: what the learner said beside what is true (or what the run did)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...player.quiz import Feedback
from . import SCREENS_CSS


def feedback_view(feedback: Feedback) -> Table:
    """Prediction (or answer) and reality side by side, with the verdict in words and a mark."""
    verdict = "✔ Right" if feedback.correct else "✘ Not this time"
    table = Table(
        title=verdict, expand=True, title_style="bold green" if feedback.correct else "bold red"
    )
    table.add_column("You said", ratio=1)
    table.add_column("The real run" if feedback.observed else "The answer", ratio=1)
    table.add_row(Text(feedback.given), Text(feedback.expected, style="bold"))
    table.caption = feedback.explanation
    return table


class FeedbackScreen(ModalScreen[None]):
    """Shows one answer's feedback; Enter, space or esc goes on."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("enter,space,escape", "dismiss", "Continue")]

    def __init__(self, feedback: Feedback) -> None:
        super().__init__()
        self.feedback = feedback

    def compose(self) -> ComposeResult:
        with Vertical(id="feedback-box"):
            yield Static(feedback_view(self.feedback), id="feedback-body")
            yield Static(Text("Enter: continue", style="dim"))
