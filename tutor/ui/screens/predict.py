"""A prediction asked inside the lesson, just before the real run enters the step it is about."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...content.models import PredictQuestion


class PredictScreen(ModalScreen[str | None]):
    """Asks the question; dismisses with the chosen key (None: skip the prediction)."""

    BINDINGS = [
        *(Binding(key, f"choose('{key.upper()}')", key.upper()) for key in "abcd"),
        Binding("escape", "skip", "Skip"),
    ]

    def __init__(self, question: PredictQuestion) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        parts = [Text("Predict, then watch", style="bold underline"), Text(self.question.prompt)]
        parts += [Text(f"  {c.key.lower()})  {c.text}") for c in self.question.choices]
        parts.append(Text(f"💡 {self.question.hint}", style="italic dim"))
        parts.append(Text("Press a letter to predict; esc skips.", style="dim"))
        with Vertical(id="predict-box"):
            yield Static(Group(*parts))

    def action_choose(self, key: str) -> None:
        """Predict this choice."""
        if any(choice.key == key for choice in self.question.choices):
            self.dismiss(key)

    def action_skip(self) -> None:
        """Go on without predicting."""
        self.dismiss(None)
