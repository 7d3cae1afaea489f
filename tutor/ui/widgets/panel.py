"""A bordered panel that shows one Rich renderable, re-rendered when its data changes."""

from __future__ import annotations

from collections.abc import Hashable

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
        self._shown_key: Hashable = object()

    def show(self, renderable: RenderableType, key: Hashable = None) -> None:
        """Replace what the panel shows; with a `key` equal to the last one, do nothing."""
        if key is not None and key == self._shown_key:
            return
        self._shown_key = key if key is not None else object()
        self.update(renderable)
