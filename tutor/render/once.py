"""A renderable drawn once per width, however often Textual asks for it.

Textual renders a Rich renderable at least twice a refresh (once to learn its height, once to
paint it), and again at every later layout of the screen even when nothing in it changed; for a
lesson's execution table that is most of what a keypress costs. `RenderedOnce` keeps the
segments of each width it was drawn at and hands the same ones back.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

WIDTHS_KEPT = 4
"""How many different drawings one renderable keeps (a resize adds one)."""


class RenderedOnce:
    """Wraps a renderable whose drawing depends only on the width and the console's settings
    (a table, a group of texts): not on the height it is given."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner
        self._drawn: dict[tuple[object, ...], list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = (
            options.max_width,
            options.min_width,
            options.justify,
            options.overflow,
            options.no_wrap,
            options.highlight,
            options.markup,
            options.is_terminal,
            options.encoding,
            console.color_system,
        )
        segments = self._drawn.get(key)
        if segments is None:
            if len(self._drawn) >= WIDTHS_KEPT:
                self._drawn.clear()
            segments = self._drawn[key] = list(console.render(self.inner, options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.inner)
