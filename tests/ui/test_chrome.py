"""The home screen's title line and key line: what they show, and that clicking them works as
Textual's Header and Footer do (the palette icon, a key under the pointer)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from textual.command import CommandPalette

from tests.ui.conftest import make_app, wait_until
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.widgets.key_bar import KeyBar
from tutor.ui.widgets.title_bar import TitleBar


def _line(widget) -> str:
    return "".join(widget.render_line(0).text)


@asynccontextmanager
async def _home():
    """The real app at 120x35, on its home screen: (app, pilot)."""
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        yield app, pilot


async def test_the_title_line_names_the_app_and_the_screen_and_its_icon_opens_the_palette():
    async with _home() as (app, pilot):
        title = app.screen.query_one(TitleBar)
        line = _line(title)
        assert line.lstrip().startswith("⭘")
        assert "Celery tutor — Choose a lesson" in line
        middle = line.index("Celery tutor") + len("Celery tutor — Choose a lesson") // 2
        assert abs(middle - 120 // 2) <= 2  # centred, as in Header
        await pilot.click(TitleBar, offset=(1, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_the_key_line_shows_the_home_keys_and_a_click_presses_one():
    async with _home() as (app, pilot):
        keys = app.screen.query_one(KeyBar)
        line = _line(keys)
        shown = ["n Next lesson", "k Quiz", "c Challenge", "v Review", "q Quit", "? Help"]
        positions = [line.index(label) for label in shown]
        assert positions == sorted(positions)  # the screen's keys, then the app's
        assert line.rstrip().endswith("▏^p palette")
        assert "Open" not in line  # Enter is the list's own key, shown by its highlight
        await pilot.click(KeyBar, offset=(line.index("v Review") + 3, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))


async def test_the_title_line_follows_a_sub_title_changed_later():
    async with _home() as (app, pilot):
        app.screen.sub_title = "Somewhere else"
        await pilot.pause()
        assert "Celery tutor — Somewhere else" in _line(app.screen.query_one(TitleBar))
