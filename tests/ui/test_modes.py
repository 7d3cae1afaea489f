"""Challenge, review and chapter quiz through Pilot, on real runs, with progress saved."""

from __future__ import annotations

from pathlib import Path

from celery.exceptions import DuplicateTaskNameWarning

from tests.progress.test_review_and_bests import Clock
from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.content.loader import load_course
from tutor.content.models import OrderQuestion, PredictQuestion
from tutor.player.quiz import shown_order
from tutor.progress.bests import challenge_bests
from tutor.progress.cards import add_cards, due_cards
from tutor.progress.store import ProgressStore
from tutor.ui.messages import OpenMode
from tutor.ui.screens.challenge import ChallengeScreen
from tutor.ui.screens.feedback import FeedbackScreen
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.quiz import QuizScreen
from tutor.ui.screens.review import ReviewScreen

COURSE = load_course()
DELAY = COURSE.lesson("delay")
DELAY_QUIZ = COURSE.quiz("delay")


async def _challenge_answer(pilot, *keys: str):
    """Press the keys of one answer; return its feedback once the real run graded it."""
    screen = pilot.app.screen
    await wait_until(pilot, lambda: not screen.busy)
    answered = screen.session.position
    await pilot.press(*keys)
    feedback = screen.session.feedback

    def shown() -> bool:  # graded in its thread, then taken in by the screen
        return len(feedback) > answered and screen.last is feedback[answered]

    await wait_until(pilot, lambda: shown() or screen.over)
    return feedback[-1]


def _real_order_keys(index: int) -> list[str]:
    question = DELAY_QUIZ.questions[index]
    assert isinstance(question, OrderQuestion)
    shown = shown_order(DELAY, index, question)
    return [str(shown.index(item) + 1) for item in range(len(question.items))] + ["enter"]


async def test_a_challenge_grades_on_a_real_run_saves_the_best_and_the_missed(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    app = make_app(progress=store, mode=OpenMode("challenge", lesson_id="delay"))
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengeScreen))
        screen = app.screen
        assert screen.session.indices == [0, 1, 2, 6]  # predictions and the ordering only
        assert "left" in text_of(screen.query_one("#challenge-clock"))
        wrong = await _challenge_answer(pilot, "a")
        assert not wrong.correct and wrong.expected == "1"  # the real queue's depth
        assert "the real run said 1" in text_of(screen.query_one("#challenge-clock"))
        assert not isinstance(app.screen, FeedbackScreen)  # no pause against the clock
        assert (await _challenge_answer(pilot, "b")).expected == "STARTED"
        assert (await _challenge_answer(pilot, "c")).expected == "10"
        assert (await _challenge_answer(pilot, *_real_order_keys(6))).correct
        await wait_until(pilot, lambda: screen.over)
        assert not screen.timed_out
        shown = text_of(screen.query_one("#quiz-question"))
        assert "Score: 3/4" in shown and "new personal best" in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "challenge best 3/4 in" in str(
            app.screen.query_one("#lessons").get_option("delay").prompt
        )
    best = challenge_bests(ProgressStore.open(tmp_path, "ada"))["delay"]
    assert (best.correct, best.total) == (3, 4)
    assert [card.card_id for card in due_cards(store)] == ["delay/question/0"]


async def test_when_the_clock_runs_out_the_questions_left_count_as_missed(tmp_path: Path, recwarn):
    store = ProgressStore.open(tmp_path, "ada")
    app = make_app(progress=store, mode=OpenMode("challenge", lesson_id="delay"))
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengeScreen))
        screen = app.screen
        assert (await _challenge_answer(pilot, "b")).correct
        screen.allowed = screen.elapsed  # the time is up at the next tick
        await wait_until(pilot, lambda: screen.over)
        assert screen.timed_out
        await pilot.press("b")  # too late: nothing is graded any more
        await pilot.pause()
        assert screen.session.position == 1
        assert "Time is up!" in text_of(screen.query_one("#quiz-question"))
        assert "0:00 left" in text_of(screen.query_one("#challenge-clock"))
    best = challenge_bests(store)["delay"]
    assert (best.correct, best.total) == (1, 4)
    cards = {card.card_id for card in due_cards(store)}
    assert cards == {"delay/question/1", "delay/question/2"}  # the ordering is no card
    # one thread moves the challenge's run (two once defined its task twice in one app)
    assert not [w for w in recwarn if w.category is DuplicateTaskNameWarning]


async def test_review_brings_back_snapshot_lines_and_missed_questions_on_leitner_boxes(
    tmp_path: Path,
):
    store = ProgressStore.open(tmp_path, "ada")
    clock = Clock()
    store.clock = clock
    store.record_completed("delay")
    add_cards(store, ["delay/question/0"])
    clock.now += 60  # the snapshot lines become cards a minute later, as the review opens
    app = make_app(progress=store, mode=OpenMode("review"))
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert len(screen.deck) == len(DELAY.concept_snapshot) + 1
        points = [card.point for card in screen.deck if card.point is not None]
        assert points == list(DELAY.concept_snapshot)
        assert screen.card.card_id == "delay/question/0"  # missed first: it waited longest
        await pilot.press("b")  # one message in the queue: graded on a fresh real run
        await wait_until(pilot, lambda: screen.feedback is not None)
        assert screen.feedback.correct and screen.feedback.expected == "1"
        await pilot.press("enter")
        assert DELAY.concept_snapshot[0] in text_of(screen.query_one("#review-card"))
        await pilot.press("k")
        assert "back in 2 days" in text_of(screen.query_one("#review-card"))
        await pilot.press("enter", "n", "enter")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        due = len(DELAY.concept_snapshot) - 2
        assert f"{due} cards are due" in text_of(app.screen.query_one("#intro"))
    clock.days(1)  # tomorrow: the card said again comes back, the known ones do not
    tomorrow = {card.card_id for card in due_cards(store)}
    assert "delay/point/1" in tomorrow and "delay/point/0" not in tomorrow
    assert "delay/question/0" not in tomorrow
    clock.days(1)
    assert {"delay/point/0", "delay/question/0"} <= {card.card_id for card in due_cards(store)}


async def test_a_lesson_played_to_its_end_gives_its_snapshot_lines_as_cards(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    app = make_app(lesson_id="delay", progress=store)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while screen.steps_shown < len(DELAY.steps):
            await press_and_settle(pilot, "right")
        await wait_until(pilot, lambda: store.get("delay").completed)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        due = len(DELAY.concept_snapshot)
        assert f"Review: {due} cards are due" in text_of(app.screen.query_one("#intro"))
        assert "▶ next" in str(
            app.screen.query_one("#lessons").get_option("direct-vs-delay").prompt
        )
    assert len(due_cards(store)) == len(DELAY.concept_snapshot)


async def test_the_chapter_quiz_mixes_the_predictions_of_its_lessons_each_on_its_real_run():
    app = make_app()
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        lessons = app.screen.query_one("#lessons")
        lessons.highlighted = lessons.get_option_index("chapter-quiz-1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, QuizScreen))
        quiz = app.screen
        chapter = COURSE.outline.chapters[0]
        items = quiz.session.items
        assert [lesson.id for lesson, _, _ in items[:3]] == list(chapter.lessons)  # in turn
        assert all(isinstance(q.questions[i], PredictQuestion) for _, q, i in items)
        predictions = sum(
            isinstance(q, PredictQuestion)
            for lesson_id in chapter.lessons
            for q in COURSE.quiz(lesson_id).questions
        )
        assert len(items) == predictions
        await wait_until(pilot, lambda: not quiz.busy)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, FeedbackScreen))
        assert app.screen.feedback.correct and app.screen.feedback.expected == "1"
        await pilot.press("enter")
        status = quiz.query_one("#quiz-status")
        await wait_until(pilot, lambda: "Question 2 of" in text_of(status) and not quiz.busy)
        assert quiz.session.lesson.id == chapter.lessons[1]
        assert f"from lesson '{COURSE.lesson(chapter.lessons[1]).title}'" in text_of(status)


async def test_the_home_keys_open_the_next_lesson_a_challenge_and_the_review(tmp_path: Path):
    store = ProgressStore.open(tmp_path, "ada")
    store.record_completed("delay")
    app = make_app(progress=store)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        assert home.suggested == "direct-vs-delay"
        await pilot.press("n")
        screen = await ready(pilot)
        assert screen.lesson.id == "direct-vs-delay"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)
        await pilot.press("up")  # from the suggested lesson to delay
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ChallengeScreen))
        assert app.screen.lesson.id == "delay"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is home)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert len(app.screen.deck) == len(DELAY.concept_snapshot)


async def test_a_missed_what_if_prediction_is_reviewed_on_the_variants_own_fresh_run(
    tmp_path: Path,
):
    store = ProgressStore.open(tmp_path, "ada")
    add_cards(store, ["failure/question/3", "failure/question/4"])  # a what-if, a choice
    app = make_app(progress=store, mode=OpenMode("review"))
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        screen = app.screen
        assert screen.card.card_id == "failure/question/3"
        assert "its what-if (" in text_of(screen.query_one("#review-card"))
        await pilot.press("a")  # AgeError: but the backend kept its built-in base
        await wait_until(pilot, lambda: screen.feedback is not None)
        assert not screen.feedback.correct and screen.feedback.expected == "ValueError"
        await pilot.press("enter", "c")  # the choice question: graded by its answer key
        await wait_until(pilot, lambda: screen.feedback is not None)
        assert screen.feedback.correct
        await pilot.press("enter")
        assert "Review done: 1 known, 1 again." in text_of(screen.query_one("#review-card"))
    assert [card.card_id for card in due_cards(store)] == []
