"""The help screen: the keys, and what the panels show."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from . import SCREENS_CSS

HELP_TEXT = (Path(__file__).parent / "help.md").read_text(encoding="utf-8")


class HelpScreen(ModalScreen[None]):
    """Keyboard help over the current screen; esc or ? closes it."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it loads only when help is asked for

        with VerticalScroll(id="help-box"):
            yield Markdown(HELP_TEXT)
