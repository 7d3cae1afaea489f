"""Helpers for driving the real app with Pilot: wait for the real run, not for a fixed time."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from tutor.content.loader import Course, load_course
from tutor.ui.app import TutorApp
from tutor.ui.screens.lesson import LessonScreen


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app run until `condition()` holds (the real run moves in threads)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.02)


def make_app(course: Course | None = None, lesson_id: str | None = None, **kwargs) -> TutorApp:
    """The real app, with animations off (they only slow Pilot down)."""
    app = TutorApp(course or load_course(), lesson_id, **kwargs)
    app.animation_level = "none"
    return app


def lesson_screen(app: TutorApp) -> LessonScreen:
    """The lesson screen on top (fails the test if it is not there)."""
    screen = app.screen
    assert isinstance(screen, LessonScreen), screen
    return screen


async def ready(pilot: Pilot) -> LessonScreen:
    """Wait for the lesson screen's real run to be started."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    screen = lesson_screen(pilot.app)
    await wait_until(pilot, lambda: screen.lesson_run is not None)
    return screen


async def press_and_settle(pilot: Pilot, key: str) -> LessonScreen:
    """Press a key on the lesson screen and wait until the real run has answered.

    A prediction the lesson asks on the way is skipped (esc), as a learner may.
    """
    from tutor.ui.screens.predict import PredictScreen

    screen = lesson_screen(pilot.app)
    await pilot.press(key)
    await pilot.pause()
    while isinstance(pilot.app.screen, PredictScreen):
        await pilot.press("escape")
        await pilot.pause()
    await wait_until(pilot, lambda: not screen.busy)
    return screen


async def at_step(pilot: Pilot, screen: LessonScreen, step: int) -> None:
    """Go to `step` of the lesson on screen and wait until the real run shows it."""
    screen.go_to_step(step)
    await wait_until(pilot, lambda: screen.steps_shown == step and not screen.busy)


async def first_prediction(pilot: Pilot) -> LessonScreen:
    """The lesson opened at step 1, then → until its next step's prediction is asked (open)."""
    from tutor.ui.screens.predict import PredictScreen

    screen = await ready(pilot)
    await press_and_settle(pilot, "right")
    await pilot.press("right")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PredictScreen))
    return screen


def text_of(widget: Static, width: int = 250) -> str:
    """What a Static shows, as plain text (wide, so that cells do not wrap)."""
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(widget.content)
    return console.file.getvalue()
