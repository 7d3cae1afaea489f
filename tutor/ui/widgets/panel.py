"""A bordered panel that draws a Rich renderable from its data, again only when the data changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ...render.once import RenderedOnce
from .redraw import update_in_place

_NOTHING_YET = object()
"""Data no real value equals, so that the first data set is always drawn (None included)."""


class Panel(Static):
    """A titled box (the flow, the table, the tracker...) drawn by `draw(data)`.

    Set `data` to what the panel shows; equal data is not drawn again (Textual's reactive compares
    it), so a key that moves nothing in this panel costs nothing here.
    """

    DEFAULT_CSS = """
    Panel {
        border-top: solid $primary-darken-1;
        border-title-color: $text-accent;
        border-title-style: bold;
        padding: 0 1;
        height: auto;
    }
    """

    data: reactive[Any] = reactive(_NOTHING_YET, init=False)
    """What the panel shows, passed to `draw`."""

    def __init__(
        self,
        title: str,
        draw: Callable[[Any], RenderableType] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self.border_title = Text(title)  # a lesson's words, never read as markup
        self._draw = draw
        self.drawn: RenderableType = ""
        """What the panel drew last (to find a line in it): drawn once per width."""

    def watch_data(self, data: Any) -> None:
        """Draw the new data."""
        if self._draw is not None:
            drawn = self._draw(data)
            self.drawn = drawn if isinstance(drawn, str | Text) else RenderedOnce(drawn)
            update_in_place(self, self.drawn)
