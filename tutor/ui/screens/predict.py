"""A prediction asked inside the lesson, just before the real run enters the step it is about.

It sits at the bottom of the screen, so the panels the learner reasons from stay in sight; the
hint shows only when asked for (h), and never states the answer (tests/player/test_hints.py).
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...content.models import PredictQuestion
from . import SCREENS_CSS


class PredictScreen(ModalScreen[str | None]):
    """Asks the question; dismisses with the chosen key (None: skip the prediction)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        *(Binding(key, f"choose('{key.upper()}')", key.upper()) for key in "abcd"),
        Binding("h", "hint", "Hint"),
        Binding("escape", "skip", "Skip"),
    ]

    def __init__(self, question: PredictQuestion) -> None:
        super().__init__()
        self.question = question
        self.hint_shown = False
        """The learner asked for the hint (h)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="predict-box"):
            yield Static(self._body(), id="predict-body")

    def _body(self) -> Group:
        parts = [Text("Predict, then watch", style="bold underline"), Text(self.question.prompt)]
        parts += [Text(f"  {c.key.lower()})  {c.text}") for c in self.question.choices]
        if self.hint_shown:
            parts.append(Text(f"💡 {self.question.hint}", style="italic"))
            parts.append(Text("Press a letter to predict; esc skips.", style="dim"))
        else:
            parts.append(Text("Press a letter to predict; h for a hint; esc skips.", style="dim"))
        return Group(*parts)

    def action_hint(self) -> None:
        """Show the hint (it points where to look; it never gives the answer)."""
        self.hint_shown = True
        self.query_one("#predict-body", Static).update(self._body())

    def action_choose(self, key: str) -> None:
        """Predict this choice."""
        if any(choice.key == key for choice in self.question.choices):
            self.dismiss(key)

    def action_skip(self) -> None:
        """Go on without predicting."""
        self.dismiss(None)
