"""The message screen for a course that does not load: every problem, one line each."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from . import SCREENS_CSS


class BrokenContentScreen(Screen[None]):
    """Says which file and field is wrong and how to see every problem; q quits (status 1)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("q,escape", "app.quit", "Quit", priority=True)]

    def __init__(self, problems: str) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        lines = [Text(f"✘ {line}", style="red") for line in self.problems.splitlines()]
        body = Group(
            Text("The course content has a problem, so its lessons cannot open:", style="bold"),
            Text(""),
            *lines,
            Text(""),
            Text(
                "Fix the file and start the tutor again. 'tutor check' lists every problem; "
                "q quits.",
                style="italic",
            ),
        )
        with VerticalScroll(id="broken-box"):
            yield Static(body, id="broken-body")
        yield Footer()
