"""How the screens look (SVG snapshots). Task ids and the trace clock are made deterministic here,
so that a snapshot changes only when the look does; the Celery run itself is real."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.content.loader import load_course
from tutor.player.review import snapshot_cards
from tutor.progress.bests import record_challenge
from tutor.progress.cards import add_cards
from tutor.progress.store import ProgressStore
from tutor.ui.messages import OpenMode
from tutor.ui.screens.challenge import ChallengeScreen
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.predict import PredictScreen
from tutor.ui.screens.review import ReviewScreen

COURSE = load_course()


@pytest.fixture(autouse=True)
def stable_values(monkeypatch):
    """Sequential task ids and a clock that ticks 0.25 ms per reading."""
    ids = (f"{n:08x}-0000-4000-8000-000000000000" for n in itertools.count(0xA1B2C301))
    monkeypatch.setattr("celery.app.base.uuid", lambda: next(ids))
    ticks = itertools.count()
    monkeypatch.setattr("tutor.engine.trace.CLOCK", lambda: next(ticks) * 0.00025)


async def settled_scroll(pilot, container) -> None:
    """Let the screen refresh until the panels' scroll position stays put (the current row is
    scrolled into view after each layout)."""
    still = 0
    last = None
    while still < 3:
        await pilot.pause()
        now = (container.scroll_y, container.virtual_size.height)
        still = still + 1 if now == last else 0
        last = now


def _lesson(size: tuple[int, int], presses: int, snap_compare) -> bool:
    app = make_app(lesson_id="delay")
    return snap_compare(app, terminal_size=size, run_before=_to_stage(presses))


def _to_stage(presses: int):
    async def run_before(pilot) -> None:
        screen = await ready(pilot)
        for _ in range(presses):
            await press_and_settle(pilot, "right")
        await settled_scroll(pilot, screen.query_one("#panels-scroll"))

    return run_before


def test_home_screen(snap_compare):
    """A new learner's home: the course in three chapters, each lesson with what it comes after,
    each chapter ending with its mixed quiz, the first lesson suggested next, no cards due."""

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))

    assert snap_compare(make_app(), terminal_size=(120, 35), run_before=run_before)


def test_lesson_mid_run_message_in_the_queue(snap_compare):
    """Lesson delay at stage 3: the message waits in the queue, step 2 highlighted."""
    assert snap_compare(
        make_app(lesson_id="delay"), terminal_size=(120, 35), run_before=_to_stage(3)
    )


def test_lesson_finished(snap_compare):
    """Lesson delay at its end: every row, the tracker full, SUCCESS stored."""
    assert snap_compare(
        make_app(lesson_id="delay"), terminal_size=(120, 35), run_before=_to_stage(8)
    )


def test_lesson_at_80_by_24(snap_compare):
    """The smallest supported terminal: the panels stack, the flow first, the current row in
    view."""
    assert snap_compare(
        make_app(lesson_id="delay"), terminal_size=(80, 24), run_before=_to_stage(3)
    )


def test_home_screen_with_progress(snap_compare, tmp_path):
    """A learner who finished delay: done, a challenge best, the next lesson suggested, and
    the lesson's snapshot lines due as review cards."""
    store = ProgressStore.open(tmp_path, "ada")
    store.record_completed("delay")
    store.record_quiz("delay", 5, 7)
    record_challenge(store, "delay", 3, 4, 42.0)
    add_cards(store, snapshot_cards(COURSE.lesson("delay")))

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))

    app = make_app(COURSE, progress=store)
    assert snap_compare(app, terminal_size=(120, 35), run_before=run_before)


def test_challenge_after_a_missed_prediction(snap_compare, monkeypatch):
    """Challenge on delay: the clock (held still here), the last answer's line with the real
    run's value, the next prediction and the challenge's own run in the table."""
    monkeypatch.setattr("tutor.ui.screens.challenge.time", SimpleNamespace(monotonic=lambda: 5.0))

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ChallengeScreen))
        screen = pilot.app.screen
        await wait_until(pilot, lambda: not screen.busy)
        await pilot.press("a")
        await wait_until(pilot, lambda: screen.session.position == 1 and not screen.busy)

    app = make_app(COURSE, mode=OpenMode("challenge", lesson_id="delay"))
    assert snap_compare(app, terminal_size=(120, 35), run_before=run_before)


def test_review_of_a_missed_prediction(snap_compare, tmp_path):
    """Review: a missed prediction asked again, graded against a fresh real run, its box and
    lesson in the status line."""
    store = ProgressStore.open(tmp_path, "ada")
    store.clock = lambda: 1_800_000_000.0
    add_cards(store, ["delay/question/0"])

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))
        screen = pilot.app.screen
        await pilot.press("b")
        await wait_until(pilot, lambda: screen.feedback is not None)

    app = make_app(COURSE, progress=store, mode=OpenMode("review"))
    assert snap_compare(app, terminal_size=(120, 35), run_before=run_before)


def test_review_of_a_snapshot_line(snap_compare, tmp_path):
    """Review: a concept snapshot line of a finished lesson, with known / again and when each
    brings it back."""
    store = ProgressStore.open(tmp_path, "ada")
    store.clock = lambda: 1_800_000_000.0
    store.record_completed("delay")

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen))

    app = make_app(COURSE, progress=store, mode=OpenMode("review"))
    assert snap_compare(app, terminal_size=(120, 35), run_before=run_before)


def test_chapter_quiz_second_question(snap_compare):
    """Chapter 1's mixed quiz after one answer: the next prediction comes from the next lesson,
    the status line names the chapter and the lesson, the table is that lesson's own run."""
    from tutor.ui.screens.feedback import FeedbackScreen
    from tutor.ui.screens.quiz import QuizScreen

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, QuizScreen))
        quiz = pilot.app.screen
        await wait_until(pilot, lambda: not quiz.busy)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, FeedbackScreen))
        await pilot.press("enter")
        status = quiz.query_one("#quiz-status")
        await wait_until(
            pilot,
            lambda: pilot.app.screen is quiz and "Question 2" in text_of(status) and not quiz.busy,
        )

    app = make_app(COURSE, mode=OpenMode("chapter", chapter=1))
    assert snap_compare(app, terminal_size=(120, 35), run_before=run_before)


def test_lesson_feedback_in_place(snap_compare):
    """A prediction graded in a banner over lesson delay at step 2: the panels stay, the table
    and the hood (the queue at depth 1) marked as where the real value shows."""

    async def run_before(pilot) -> None:
        screen = await ready(pilot)
        await press_and_settle(pilot, "right")
        await pilot.press("right")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PredictScreen))
        await pilot.press("b")
        banner = screen.query_one("#feedback-banner")
        await wait_until(pilot, lambda: banner.feedback is not None and not screen.busy)
        await settled_scroll(pilot, screen.query_one("#panels-scroll"))

    assert snap_compare(make_app(lesson_id="delay"), terminal_size=(120, 35), run_before=run_before)


def test_lesson_what_if_played_in_the_panels(snap_compare):
    """Key moment 3 of lesson delay: the no-backend what-if's own run in the same panels, its
    banner, its rows marked ≠ where they differ, NotImplementedError in the caller's row."""

    async def run_before(pilot) -> None:
        screen = await ready(pilot)
        await pilot.press("3")
        await wait_until(pilot, lambda: "no-backend" in screen.variant_outcomes)
        await wait_until(pilot, lambda: not screen.busy and screen.frame.view.at_live_end)
        await settled_scroll(pilot, screen.query_one("#panels-scroll"))

    assert snap_compare(make_app(lesson_id="delay"), terminal_size=(120, 35), run_before=run_before)


def test_lesson_at_160_by_50(snap_compare):
    """A wide terminal: the tracker and the hood beside the table."""
    assert snap_compare(
        make_app(lesson_id="delay"), terminal_size=(160, 50), run_before=_to_stage(8)
    )
