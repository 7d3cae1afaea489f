"""Quizzes through Pilot: each question kind, graded against real runs, and progress kept."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import (
    at_step,
    first_prediction,
    make_app,
    press_and_settle,
    ready,
    text_of,
    wait_until,
)
from tutor.content.loader import load_course
from tutor.content.models import OrderQuestion
from tutor.player.quiz import shown_order
from tutor.progress.store import ProgressStore
from tutor.ui.screens.feedback import FeedbackScreen
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.predict import PredictScreen
from tutor.ui.screens.quiz import QuizScreen

COURSE = load_course()


async def _answer(pilot, key: str):
    """Answer the current question and return the feedback shown, then continue."""
    quiz = pilot.app.screen
    assert isinstance(quiz, QuizScreen)
    await wait_until(pilot, lambda: not quiz.busy)
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen))
    feedback = pilot.app.screen.feedback
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen is quiz and not quiz.busy)
    return feedback


async def _order(pilot, question_index: int):
    quiz = pilot.app.screen
    question = COURSE.quiz("delay").questions[question_index]
    assert isinstance(question, OrderQuestion)
    shown = shown_order(COURSE.lesson("delay"), question_index, question)
    for item in range(len(question.items)):  # the file lists them in the real order
        await pilot.press(str(shown.index(item) + 1))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen))
    feedback = pilot.app.screen.feedback
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen is quiz and not quiz.busy)
    return feedback


async def test_the_delay_quiz_grades_every_kind_scores_and_retries_the_missed(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    app = make_app(progress=store)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.open_quiz("delay")
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        wrong = await _answer(pilot, "a")  # predict: 0 messages in the queue
        assert not wrong.correct and wrong.observed and wrong.expected == "1"
        right = await _answer(pilot, "b")  # predict: the state while the body runs
        assert right.correct and right.expected == "STARTED"
        assert (await _answer(pilot, "c")).expected == "10"  # predict: the return value
        await wait_until(pilot, lambda: not quiz.busy)
        await pilot.press("h")
        assert "?4" in text_of(quiz.query_one("#quiz-table")).replace(" ", "")
        assert (await _answer(pilot, "c")).correct  # reference question 1
        assert not (await _answer(pilot, "a")).correct  # reference question 2 (B is right)
        assert (await _answer(pilot, "a")).correct  # reference question 3
        order = await _order(pilot, 6)
        assert order.correct and order.observed
        assert quiz.session.finished and quiz.session.score == (5, 7)
        assert "Score: 5/7" in text_of(quiz.query_one("#quiz-status"))
        await pilot.press("r")  # retry the two missed, on a fresh real run
        await wait_until(pilot, lambda: quiz.session.indices == [0, 4])
        assert (await _answer(pilot, "b")).correct
        assert (await _answer(pilot, "b")).correct
        assert quiz.session.score == (2, 2)
    saved = ProgressStore.open(tmp_path, "ada").get("delay")
    assert saved.best_score == "5/7" and saved.attempts == 1


async def test_a_prediction_in_the_lesson_is_asked_before_its_step_and_graded_after(tmp_path):
    app = make_app(lesson_id="delay", progress=ProgressStore.open(tmp_path, "ada"))
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await pilot.press("right")
        await wait_until(pilot, lambda: screen.steps_shown == 1 and not screen.busy)
        await pilot.press("right")
        await wait_until(pilot, lambda: isinstance(app.screen, PredictScreen))
        assert screen.steps_shown == 1  # asked before the run moved
        await pilot.press("b")
        banner = screen.query_one("#feedback-banner")
        await wait_until(pilot, lambda: banner.feedback is not None)
        assert app.screen is screen  # graded in place: no pop-up over the panels
        feedback = banner.feedback
        assert feedback.correct and feedback.expected == "1"
        said = text_of(banner)
        assert "✔ Right" in said and "the real run: 1" in said
        hood = screen.query_one("#hood")
        assert hood.has_class("-answer") and screen.query_one("#table").has_class("-answer")
        assert not screen.query_one("#tracker").has_class("-answer")
        assert "depth 1" in text_of(hood)  # the queue that proves it, visible beside the verdict
        assert screen.steps_shown == 2 and screen.snapshot.queue_depth("celery") == 1
        await press_and_settle(pilot, "right")  # moving on clears the banner and the marks
        assert not banner.display and not hood.has_class("-answer")


async def test_progress_is_shown_at_home_and_a_lesson_reopens_where_it_was_left(tmp_path):
    store = ProgressStore.open(tmp_path, "ada")
    app = make_app(lesson_id="delay", progress=store)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await at_step(pilot, screen, 3)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "◐ at step 3" in str(app.screen.query_one("#lessons").get_option("delay").prompt)
    assert store.get("delay").last_step == 3
    again = make_app(progress=ProgressStore.open(tmp_path, "ada"))
    async with again.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(again.screen, HomeScreen))
        assert "at step 3" in str(again.screen.query_one("#lessons").get_option("delay").prompt)
        await pilot.press("enter")
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.steps_shown == 3 and not screen.busy)
        assert screen.snapshot.stage == "executing"


async def test_a_wrong_prediction_is_graded_in_place_and_the_hood_still_shows_the_queue():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await first_prediction(pilot)
        await pilot.press("a")  # 0 messages: wrong, the real queue holds 1
        banner = screen.query_one("#feedback-banner")
        await wait_until(pilot, lambda: banner.feedback is not None)
        assert not banner.feedback.correct and banner.has_class("-wrong")
        said = text_of(banner)
        assert "✘ Not this time" in said and "you said A  0" in said and "the real run: 1" in said
        hood = screen.query_one("#hood")
        assert hood.has_class("-answer") and "depth 1" in text_of(hood)
        visible = screen.query_one("#panels-scroll").region
        assert visible.y <= hood.region.y and hood.region.bottom <= visible.bottom  # in sight
