"""The home screen, and every lesson pressed through to its end in the real app."""

from __future__ import annotations

import shutil

import pytest
from textual.markup import escape

from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.content.loader import CONTENT_ENV, Course, content_root, load_course
from tutor.content.models import Lesson
from tutor.engine import Stage
from tutor.ui.app import TutorApp
from tutor.ui.screens.broken import BrokenContentScreen
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.lesson import LessonScreen

COURSE = load_course()


async def test_home_lists_every_lesson_in_its_chapter_and_enter_opens_the_highlighted_one():
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        lessons = app.screen.query_one("#lessons")
        chapters = COURSE.outline.chapters
        assert lessons.option_count == len(COURSE.lessons) + 2 * len(chapters)  # title, quiz
        assert "○ new" in str(lessons.get_option(COURSE.ids[0]).prompt)
        assert lessons.highlighted == 1  # the first lesson, under its chapter's title
        await pilot.press("down", "enter")
        screen = await ready(pilot)
        assert screen.lesson.id == COURSE.ids[1]


@pytest.mark.parametrize("lesson_id", COURSE.ids)
async def test_every_lesson_can_be_pressed_through_to_its_end(lesson_id):
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.open_lesson(lesson_id)
        screen = await ready(pilot)
        presses = 0
        while not (
            screen.lesson_run.finished and screen.position == len(screen.lesson_run.stops) - 1
        ):
            await press_and_settle(pilot, "right")
            presses += 1
            assert presses < 100  # the canvas lesson has about 70 stops
        assert screen.failure is None
        assert screen.steps_shown == len(screen.lesson.steps)
        table = text_of(screen.query_one("#table"))
        for result in screen.lesson_run.results:
            assert result.action[:15] in table
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        lessons = app.screen.query_one("#lessons")
        assert "● done" in str(lessons.get_option(lesson_id).prompt)


def _failing_lesson() -> Lesson:
    data = COURSE.lesson("delay").model_dump(mode="json")
    data["id"] = "failing"
    data["sample"]["code"] = data["sample"]["code"].replace("return x + y", "return x / 0")
    data["steps"] = [
        {**data["steps"][0]},
        {**data["steps"][1]},
        {**data["steps"][3], "at": "raised", "result": "Raises {task.exception}"},
        {**data["steps"][4], "evaluation": "Stored state {task.state}"},
    ]
    data["tracker"] = [{"label": "Start", "after_step": 0}, {"label": "Final", "after_step": 4}]
    data["key_moments"] = [{**m, "step": 1} for m in data["key_moments"]]
    return Lesson.model_validate(data)


async def test_a_task_that_raises_shows_in_the_table_and_panels_not_as_a_traceback():
    lesson = _failing_lesson()
    course = Course(lessons=(lesson,), quizzes={}, root=COURSE.root)
    app = make_app(course, "failing")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while not screen.lesson_run.finished:
            await press_and_settle(pilot, "right")
        assert screen.failure is None
        assert screen.snapshot.stage is Stage.FINISHED
        table = text_of(screen.query_one("#table"))
        assert "Raises ZeroDivisionError: division by zero" in table
        assert "Stored state FAILURE" in table
        assert '"status": "FAILURE"' in text_of(screen.query_one("#hood"))
        assert isinstance(app.screen, LessonScreen)


async def test_a_lesson_that_no_longer_matches_its_run_says_so_in_the_status_line():
    data = COURSE.lesson("delay").model_dump(mode="json")
    data["run"]["workers"] = []  # nothing will ever receive the task
    lesson = Lesson.model_validate(data)
    app = make_app(Course(lessons=(lesson,), quizzes={}, root=COURSE.root), "delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while screen.failure is None:
            await press_and_settle(pilot, "right")
        status = text_of(screen.query_one("#status"))
        assert "step 3 waits for stage 'executing'" in status
        assert "press r to restart" in status


async def test_the_first_screen_comes_before_the_course_is_validated_then_lessons_open():
    app = TutorApp(None, "delay")  # as `tutor delay` starts it: only the lesson list is read
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: app.course is not None)
        screen = await ready(pilot)
        assert screen.lesson.id == "delay"


async def test_a_broken_lesson_file_found_after_the_first_paint_shows_its_line_and_q_ends_with_1(
    tmp_path, monkeypatch
):
    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    lesson = tmp_path / "lessons" / "delay.toml"
    lesson.write_text(lesson.read_text().replace('level = "beginner"', 'level = "expert"'))
    monkeypatch.setenv(CONTENT_ENV, str(tmp_path))
    app = TutorApp(None)
    app.animation_level = "none"
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, BrokenContentScreen)
                and bool(app.screen.query("#broken-body"))
            ),  # pushed, then composed
        )
        shown = text_of(app.screen.query_one("#broken-body"))
        assert "✘ lessons/delay.toml: level: input should be" in shown
        assert "tutor check" in shown
        await pilot.press("q")
    assert app.return_code == 1
    assert app.broken_content.startswith("lessons/delay.toml: level: input should be")


async def test_rich_markup_in_a_lessons_words_is_shown_as_written_never_parsed(
    tmp_path, monkeypatch
):
    """A title, a flow label, a step and a variant label with [markup] do not crash the TUI."""
    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    lesson = tmp_path / "lessons" / "delay.toml"
    text = lesson.read_text()
    text = text.replace('title = "Calling tasks asynchronously"', 'title = "Calling [/i] tasks"')
    text = text.replace('label = "Define task function"', 'label = "Define [bold]task"')
    text = text.replace('action = "Call add.delay(4, 6)"', 'action = "Call [red]add.delay[/]"')
    text = text.replace('label = "no result backend"', 'label = "no [/] backend"')
    lesson.write_text(text)
    monkeypatch.setenv(CONTENT_ENV, str(tmp_path))
    app = make_app(load_course(tmp_path), lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        for _ in range(3):
            await press_and_settle(pilot, "right")
        await pilot.press("3")  # its variant's label goes into the banner
        await wait_until(pilot, lambda: "no-backend" in screen.variant_outcomes)
        assert "no [/] backend" in text_of(screen.query_one("#variant-banner"))
        await pilot.press("v")
        await wait_until(pilot, lambda: screen.playing is None and not screen.busy)
        assert "Call [red]add.delay[/]" in text_of(screen.query_one("#table"))
        assert "Define [bold]task" in text_of(screen.query_one("#flow"))
        # the title reads back as markup that stands for the literal text
        assert escape("Calling [/i] tasks") in str(screen.query_one("#flow").border_title)
