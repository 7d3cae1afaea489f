"""The home screen's list: rows of Rich text, one highlighted, moved by the arrow keys and chosen
with Enter or a click.

It is a Line-API widget that draws only the lines on screen from segments it cut once per width;
Textual's `OptionList` measures and renders every option through its own text pipeline first,
which was the largest part of the tutor's time to its first painted screen. Its rows are Textual's
`Option`s (a Rich `Text` prompt, an id, disabled for a heading) and it answers the same questions
(`highlighted`, `get_option`, `get_option_index`, `option_count`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import pairwise

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets.option_list import Option

NO_STYLE = Style.null()
"""What a style name Rich does not know draws as (as in `Text.render`)."""

Row = tuple[int, list[Segment]]
"""One line on screen: the index of its option, and the line's segments."""


def line_segments(
    text: Text, get_style: Callable[[str | Style], Style]
) -> list[tuple[str, list[Segment]]]:
    """Each line of `text` (its plain text, and its segments styled as `Text.render` styles
    them): what the list draws, without Rich's general renderer (the first screen cuts its 60
    lines once, before its first paint)."""
    plain = text.plain
    base = get_style(text.style) if text.style else None
    spans = [(span.start, span.end, get_style(span.style)) for span in text.spans]
    lines = []
    start = 0
    for line in plain.split("\n"):
        end = start + len(line)
        cuts = {start, end}
        for span_start, span_end, _ in spans:
            if span_start < end and span_end > start:
                cuts.update((max(span_start, start), min(span_end, end)))
        points = sorted(cuts)
        segments = []
        for left, right in pairwise(points):
            style = base
            for span_start, span_end, span_style in spans:
                if span_start <= left and span_end >= right:
                    style = span_style if style is None else style + span_style
            segments.append(Segment(plain[left:right], style))
        lines.append((line, segments))
        start = end + 1
    return lines


class LessonList(ScrollView, can_focus=True):
    """A scrolling list of options; headings (disabled options) are skipped by the highlight."""

    BINDINGS = [
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
    ]

    COMPONENT_CLASSES = {"lesson-list--highlighted"}

    DEFAULT_CSS = """
    LessonList {
        height: auto;
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        padding: 0 1;
        overflow-x: hidden;
        & > .lesson-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .lesson-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    highlighted: reactive[int | None] = reactive(None)
    """The index of the highlighted option (None: none is)."""

    class OptionSelected(Message):
        """An option was chosen (Enter, or a click on it)."""

        def __init__(self, option: Option, index: int) -> None:
            super().__init__()
            self.option = option
            self.option_id = option.id
            self.option_index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._options: list[Option] = []
        self._index_of: dict[str, int] = {}
        self._rows: list[Row] = []
        self._rows_width = -1
        """The width the rows were cut for (-1: cut them again before drawing)."""
        self._styles: tuple[Style, Style] | None = None
        """The plain and the highlighted line's style, while lines are drawn."""

    # ---------------------------------------------------------------- the options
    @property
    def option_count(self) -> int:
        """How many options the list holds (headings included)."""
        return len(self._options)

    def clear_options(self) -> None:
        """Remove every option."""
        self._options = []
        self._index_of = {}
        self.highlighted = None
        self._changed()

    def add_options(self, options: Iterable[Option]) -> None:
        """Append options (their ids must be new)."""
        for option in options:
            if option.id is not None:
                self._index_of[option.id] = len(self._options)
            self._options.append(option)
        self._changed()

    def get_option(self, option_id: str) -> Option:
        """The option with this id (KeyError if none has it)."""
        return self._options[self._index_of[option_id]]

    def get_option_index(self, option_id: str) -> int:
        """The position of the option with this id (KeyError if none has it)."""
        return self._index_of[option_id]

    def get_option_at_index(self, index: int) -> Option:
        """The option at this position."""
        return self._options[index]

    def _changed(self) -> None:
        self._rows_width = -1
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def _cut_rows(self, width: int) -> None:
        """Cut every option into screen lines of `width` cells (a long line wraps)."""
        console = self.app.console
        rows: list[Row] = []
        for index, option in enumerate(self._options):
            prompt = option.prompt if isinstance(option.prompt, Text) else Text(str(option.prompt))
            lines = line_segments(prompt, lambda name: console.get_style(name, default=NO_STYLE))
            if all(cell_len(line_text) <= width for line_text, _ in lines):
                rows.extend((index, segments) for _, segments in lines)
                continue
            for line in prompt.split("\n", allow_blank=True):  # a line to wrap: Rich does it
                for piece in line.wrap(console, width):
                    segments = piece.render(console, end="")
                    if piece.style:  # a Text's own style is its caller's to apply
                        segments = Segment.apply_style(segments, console.get_style(piece.style))
                    rows.append((index, list(segments)))
        self._rows = rows
        self._rows_width = width
        self.virtual_size = Size(width, len(rows))

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width, 1)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in `crop`: the list's two styles are looked up once for all of them."""
        base = self.rich_style
        highlight = self.get_component_rich_style("lesson-list--highlighted", partial=True)
        self._styles = (base, base + highlight)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """One line of the list, as it is on screen now."""
        width = self._content_width()
        if width != self._rows_width:
            self._cut_rows(width)
        base, highlighted = self._styles or (self.rich_style, self.rich_style)
        number = self.scroll_offset.y + y
        if number >= len(self._rows):
            return Strip.blank(width, base)
        index, segments = self._rows[number]
        style = base
        if index == self.highlighted and not self._options[index].disabled:
            style = highlighted
        line = [
            Segment(text, style + seg_style if seg_style else style)
            for text, seg_style, _ in segments
        ]
        return Strip(line).extend_cell_length(width, style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the options take at this width."""
        if width != self._rows_width:
            self._cut_rows(max(width, 1))
        return len(self._rows)

    def watch_highlighted(self) -> None:
        self._scroll_to_highlighted()
        self.refresh()

    def on_resize(self) -> None:
        self._rows_width = -1
        self.call_after_refresh(self._scroll_to_highlighted)

    def _scroll_to_highlighted(self) -> None:
        width = self.scrollable_content_region.width
        if self.highlighted is None or not self.is_mounted or width <= 0:
            return  # not laid out yet: the resize that follows scrolls
        if width != self._rows_width:
            self._cut_rows(width)  # the options changed since the rows were cut
        shown = {self.highlighted}
        before = self.highlighted - 1
        if before >= 0 and self._options[before].disabled:
            shown.add(before)  # the heading just above comes into view with its first lesson
        lines = [n for n, (index, _) in enumerate(self._rows) if index in shown]
        if lines:
            region = Region(0, lines[0], 1, lines[-1] - lines[0] + 1)
            self.scroll_to_region(region, animate=False, immediate=True, force=True)

    # ---------------------------------------------------------------- moving
    def _choosable(self) -> list[int]:
        return [n for n, option in enumerate(self._options) if not option.disabled]

    def action_move(self, step: int) -> None:
        """Highlight the next (or previous) option that is not a heading."""
        choosable = self._choosable()
        if not choosable:
            return
        if self.highlighted not in choosable:
            self.highlighted = choosable[0]
            return
        at = choosable.index(self.highlighted) + step
        self.highlighted = choosable[max(0, min(at, len(choosable) - 1))]

    def action_page(self, direction: int) -> None:
        """Move the highlight by about a screenful of options."""
        per_option = max(1, len(self._rows) // max(1, len(self._options)))
        self.action_move(direction * max(1, self.scrollable_content_region.height // per_option))

    def action_first(self) -> None:
        """Highlight the first option that is not a heading."""
        self.action_move(-len(self._options))

    def action_last(self) -> None:
        """Highlight the last option."""
        self.action_move(len(self._options))

    def action_select(self) -> None:
        """Choose the highlighted option."""
        if self.highlighted is not None:
            option = self._options[self.highlighted]
            if not option.disabled:
                self.post_message(self.OptionSelected(option, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        """A click highlights the option under the pointer and chooses it."""
        number = self.scroll_offset.y + event.y - self.gutter.top  # the border's line above
        if 0 <= number < len(self._rows):
            index = self._rows[number][0]
            if not self._options[index].disabled:
                self.highlighted = index
                self.action_select()
