"""Redrawing a Static without laying the whole screen out again when its height stays the same.

`Static.update` lays the screen out by default (its content may have grown); on the lesson screen
that layout is most of what a keypress costs, and most updates (the status line, a panel whose
words changed) keep the height they had.
"""

from __future__ import annotations

from rich.console import ConsoleOptions, RenderableType
from textual.widget import Widget
from textual.widgets import Static


def drawing_options(widget: Widget, width: int) -> ConsoleOptions:
    """The console options Textual draws a widget's content with at `width` (a drawing measured
    with them is the one the paint reuses, see `render/once.py`)."""
    return widget.app.console_options.update_width(width).update(highlight=False)


def update_in_place(widget: Static, content: RenderableType) -> None:
    """Show `content` in `widget`, laying the screen out only when it takes another number of
    lines than the widget shows now (or the widget is not on screen yet)."""
    width, height = widget.content_region.width, widget.content_region.height
    if width <= 0 or height <= 0 or not widget.display:
        widget.update(content)
        return
    options = drawing_options(widget, width)
    lines = widget.app.console.render_lines(content, options, pad=False)
    widget.update(content, layout=len(lines) != height)
