"""The line at the bottom of the home screen: the keys the learner can press there.

It shows what Textual's `Footer` shows, drawn the same way (each key, then what it does; the
command palette's key at the right), and a click on a key presses it. It is one widget drawing
one line, where `Footer` is a container that composes a widget per key once the bindings have
settled, a frame after the first: the first screen paints sooner, with its keys already shown.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget


class KeyPlace(NamedTuple):
    """Where a key sits in the line, for a click."""

    start: int
    end: int
    key: str
    enabled: bool


class KeyBar(Widget):
    """The active bindings that ask to be shown, and the command palette's key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--divider"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--divider {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._places: list[KeyPlace] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def _shown(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str] | None]:
        """(key, key display, description, enabled) of each binding to show, one per action,
        and the command palette's (key, key display, description) when the app has one."""
        shown: dict[str, tuple[str, str, str, bool]] = {}
        palette = None
        app = self.app
        for key, (_node, binding, enabled, _tip) in self.screen.active_bindings.items():
            if binding.show and binding.action not in shown:
                display = app.get_key_display(binding)
                shown[binding.action] = (binding.key, display, binding.description, enabled)
            elif key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), binding.description)
        return list(shown.values()), palette

    def render_line(self, y: int) -> Strip:
        """The line: each key and what it does, left to right; the palette's key at the right
        end. Drawn straight into segments (one line needs no Rich layout)."""
        width, base = self.size.width, self.rich_style
        if y:
            return Strip.blank(width, base)
        key_style = base + self.get_component_rich_style("key-bar--key")
        text_style = base + self.get_component_rich_style("key-bar--description")
        dim = Style(dim=True)
        segments: list[Segment] = []
        places = []
        cells = 0
        bindings, palette = self._shown()
        for key, display, description, enabled in bindings:
            start = cells
            segments.append(Segment(f" {display} ", key_style if enabled else key_style + dim))
            segments.append(Segment(f"{description} ", text_style if enabled else text_style + dim))
            cells += cell_len(display) + cell_len(description) + 3
            places.append(KeyPlace(start, cells, key, enabled))
        if palette is not None:
            key, display, description = palette
            divider = base + self.get_component_rich_style("key-bar--divider")
            right = [
                Segment("▏", divider),
                Segment(display, key_style),
                Segment(f" {description} ", text_style),
            ]
            right_cells = 3 + cell_len(display) + cell_len(description)
            start = max(width - right_cells, cells + 1)
            segments.append(Segment(" " * (start - cells), base))
            segments.extend(right)
            places.append(KeyPlace(start, start + right_cells, key, True))
        self._places = places
        return Strip(segments).crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        """A click on a key presses it (a disabled one rings the bell)."""
        for place in self._places:
            if place.start <= event.x < place.end:
                if place.enabled:
                    self.app.simulate_key(place.key)
                else:
                    self.app.bell()
                return
