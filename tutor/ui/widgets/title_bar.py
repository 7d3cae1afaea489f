"""The line at the top of the home and review screens: the app's title and the screen's.

It looks like Textual's `Header` (the palette icon on the left, "Celery tutor — Choose a lesson"
centred) but is one widget instead of four: the first screen paints a few milliseconds sooner.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON = "⭘"
ICON_CELLS = 8
"""The icon's place at the left (a click there opens the command palette, as in `Header`)."""
RIGHT_CELLS = 10
"""The space `Header` keeps at the right (for its clock): the title is centred between."""


class TitleBar(Widget):
    """The app's title and the screen's sub-title; a click on the icon opens the palette."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for owner in (self.screen, self.app):  # as Header: a title changed later shows at once
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def render(self) -> Content:
        """The icon, then the titles centred in the line."""
        room = max(self.size.width - ICON_CELLS - RIGHT_CELLS, 0)
        title = self.app.format_title(
            self.screen.title or self.app.title, self.screen.sub_title or ""
        )
        title = title.truncate(room, ellipsis=True)
        icon = f" {ICON}" if self.app.ENABLE_COMMAND_PALETTE else ""
        before = ICON_CELLS - len(icon) + (room - title.cell_length) // 2
        return Content.assemble(icon, " " * before, title)

    async def on_click(self, event: events.Click) -> None:
        """The icon opens the command palette (when the app has one)."""
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
