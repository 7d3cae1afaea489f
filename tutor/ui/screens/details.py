"""Full ids and stored meta of the stop on screen (i, or a click on the under-the-hood panel)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...engine import Snapshot
from ...render.details import stop_details
from . import SCREENS_CSS


class DetailsScreen(ModalScreen[None]):
    """Every message, task and stored result of one stop, nothing cut; esc, i or Enter closes."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape,enter,i", "dismiss", "Close")]

    def __init__(self, snapshot: Snapshot | None, title: str) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.title_text = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="details-box"):
            yield Static(Text(self.title_text, style="bold underline"))
            yield Static(stop_details(self.snapshot), id="details-body")
            yield Static(Text("esc, i or Enter: back to the run", style="dim"))
