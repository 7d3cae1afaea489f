"""A key moment's variant with steps of its own plays stage by stage in the lesson's panels."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.predict import PredictScreen

COURSE = load_course(Path(__file__).parent.parent / "player" / "course" / "two-tasks.toml")


async def test_a_variant_with_steps_plays_in_the_same_panels_and_v_goes_back():
    app = make_app(COURSE, lesson_id="two-tasks")
    async with app.run_test(size=(130, 45)) as pilot:
        screen = await ready(pilot)
        await press_and_settle(pilot, "right")
        own_run = screen.lesson_run
        await pilot.press("2")  # the slow-queue what-if, which has steps of its own
        await wait_until(pilot, lambda: screen.playing == "slow-queue")
        await wait_until(pilot, lambda: screen.lesson_run is not None)
        assert screen.lesson_run is not own_run and screen.position == -1
        banner = text_of(screen.query_one("#variant-banner"))
        assert "What if: the division goes to queue 'slow'" in banner
        assert screen.sub_title == "What if: the division goes to queue 'slow'"
        assert 'queue="slow"' in text_of(screen.query_one("#sample"))
        while screen.steps_shown < 2:
            await press_and_settle(pilot, "right")
        table = text_of(screen.query_one("#table"))
        assert "queue slow holds 1" in table and "divide is PENDING" in table
        assert "no worker consumes it" in text_of(screen.query_one("#hood"))
        assert "End" in text_of(screen.query_one("#tracker"))
        await pilot.press("v")
        await pilot.pause()
        assert screen.playing is None and screen.lesson_run is own_run
        assert screen.snapshot.stage is Stage.DEFINED
        assert 'queue="slow"' not in text_of(screen.query_one("#sample"))
        assert "The lesson's own run" in text_of(screen.query_one("#variant-banner"))
        await pilot.press("v")  # again: the variant's run, where it was
        await pilot.pause()
        assert screen.playing == "slow-queue" and screen.steps_shown == 2
        await pilot.press("escape")  # esc from a variant: the lesson's run, not home
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and screen.playing is None
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_variant_without_steps_plays_stop_by_stop_compared_with_the_lessons_run():
    app = make_app(COURSE, lesson_id="two-tasks")
    async with app.run_test(size=(130, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("3")
        assert screen.playing == "countdown"
        await wait_until(pilot, lambda: "countdown" in screen.variant_outcomes, timeout=20)
        # once run to its end it lands on its key moment's step (1, queued), a moment later
        await wait_until(pilot, lambda: not screen.busy and screen.snapshot.stage is Stage.QUEUED)
        screen.go_to_step(len(screen.lesson_run.results))
        await wait_until(pilot, lambda: screen.snapshot.stage is Stage.FINISHED)
        assert "divide FAILURE" in text_of(screen.query_one("#table"))
        assert "The lesson's run" in text_of(screen.query_one("#tracker"))
        moments = text_of(screen.query_one("#moments-body"))
        assert "raised ZeroDivisionError: division by zero; state FAILURE" in moments
        assert "Press 2 to play the what-if stage by stage" in moments
        await pilot.press("left")  # its recorded stops, one by one
        assert screen.playing == "countdown" and not screen.frame.view.at_live_end


async def test_a_prediction_about_a_variant_is_asked_and_graded_in_its_run():
    app = make_app(COURSE, lesson_id="two-tasks")
    async with app.run_test(size=(130, 45)) as pilot:
        screen = await ready(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: screen.playing == "slow-queue")
        await wait_until(pilot, lambda: screen.lesson_run is not None)
        for _ in range(40):
            await pilot.press("right")
            await pilot.pause()
            if isinstance(app.screen, PredictScreen):
                break
            await wait_until(pilot, lambda: not screen.busy)
        assert isinstance(app.screen, PredictScreen)
        assert "queue 'slow'" in app.screen.question.prompt
        await pilot.press("b")
        banner = screen.query_one("#feedback-banner")
        await wait_until(pilot, lambda: banner.feedback is not None)
        assert banner.feedback.correct and banner.feedback.expected == "1"
        assert app.screen is screen and screen.playing == "slow-queue"


async def test_the_quiz_asks_a_prediction_about_a_variant_against_its_own_run():
    from tests.ui.test_quiz import _answer
    from tutor.ui.screens.quiz import QuizScreen

    app = make_app(COURSE, lesson_id="two-tasks", quiz=True)
    async with app.run_test(size=(130, 45)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        first = await _answer(pilot, "a")
        assert first.correct
        body = text_of(quiz.query_one("#quiz-question"))
        assert "the real run of the what-if (the division goes to queue 'slow')" in body
        second = await _answer(pilot, "b")
        assert second.correct and second.expected == "1"
