"""Shown instead of the tutor while the terminal is smaller than it needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

from ...defaults import MIN_HEIGHT, MIN_WIDTH
from . import SCREENS_CSS


class TooSmallScreen(ModalScreen[None]):
    """Asks for more room; goes away by itself when the terminal grows."""

    CSS_PATH = SCREENS_CSS

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text")

    def on_mount(self) -> None:
        self.show_size(self.app.size.width, self.app.size.height)

    def show_size(self, width: int, height: int) -> None:
        """Say how big the terminal is and how big it needs to be."""
        self.query_one("#too-small-text", Static).update(
            f"The terminal is {width}x{height}; the tutor needs at least "
            f"{MIN_WIDTH}x{MIN_HEIGHT}.\nMake the window bigger (or the font smaller) "
            "and the tutor comes back. q quits."
        )
