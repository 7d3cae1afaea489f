"""A bordered panel that shows one Rich renderable, re-rendered when its data changes."""

from __future__ import annotations

from rich.console import RenderableType
from textual.widgets import Static


class Panel(Static):
    """A titled box around a renderable (the flow, the table, the tracker...)."""

    DEFAULT_CSS = """
    Panel {
        border-top: solid $primary-darken-1;
        border-title-color: $text-accent;
        border-title-style: bold;
        padding: 0 1;
        height: auto;
    }
    """

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.border_title = title

    def show(self, renderable: RenderableType) -> None:
        """Replace what the panel shows."""
        self.update(renderable)
