"""Instructor demo mode against real runs: auto-advance, pause, manual steps, notes, class
questions, what-ifs, moving on between lessons."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.ui.conftest import text_of, wait_until
from tutor.content.loader import load_course
from tutor.demo.notes import follow
from tutor.ui.app import TutorApp
from tutor.ui.screens.class_question import ClassQuestionScreen
from tutor.ui.screens.demo import DemoScreen

COURSE = load_course()


def demo_app(tmp_path: Path, lessons=("delay",), pace=0.1, loop=False) -> TutorApp:
    app = TutorApp(
        COURSE, pace=pace, demo=list(lessons), loop=loop, notes_socket=tmp_path / "demo.sock"
    )
    app.animation_level = "none"
    return app


async def demo_screen(pilot) -> DemoScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DemoScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.lesson_run is not None)
    return screen


async def test_the_demo_advances_on_its_own_then_space_pauses_and_arrows_step(tmp_path):
    app = demo_app(tmp_path, pace=0.1)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await demo_screen(pilot)
        await wait_until(pilot, lambda: screen.steps_shown >= 2)  # no key pressed
        assert app.theme == "presenter"
        await pilot.press("space")
        await wait_until(pilot, lambda: not screen.busy)  # an advance already under way ends
        paused_at = len(screen.lesson_run.stops)
        await pilot.pause(0.5)
        assert not screen.autoplaying and len(screen.lesson_run.stops) == paused_at
        assert "paused" in text_of(screen.query_one("#elapsed"))
        await pilot.press("left")
        assert screen.position == paused_at - 2
        await pilot.press("right", "right")
        # by hand, past the live point: the real run moves one stage
        await wait_until(pilot, lambda: len(screen.lesson_run.stops) == paused_at + 1)
        pace = screen.pace
        await pilot.press("minus")
        assert screen.pace > pace
        await pilot.press("plus")
        assert screen.pace < pace * 1.5
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.lesson_run.finished)


async def test_speaker_notes_toggle_and_a_follower_sees_them_move(tmp_path):
    app = demo_app(tmp_path, pace=0.15)
    seen: list[dict] = []

    def follower() -> None:
        for update in follow(tmp_path / "demo.sock"):
            seen.append(update)

    async with app.run_test(size=(120, 35)) as pilot:
        screen = await demo_screen(pilot)
        thread = threading.Thread(target=follower, daemon=True)
        thread.start()
        await pilot.press("s")
        notes = screen.query_one("#notes")
        assert notes.display and "Speaker notes" in text_of(notes)
        await wait_until(pilot, lambda: any(u["step"] >= 3 for u in seen))
        assert {u["lesson"] for u in seen} == {"delay"}
        step_three = next(u for u in seen if u["step"] == 3)
        assert step_three["notes"] == COURSE.lesson("delay").steps[2].notes
        await pilot.press("s")
        assert not notes.display
    thread.join(5)
    assert not thread.is_alive()  # the follower ends when the demo does


async def test_a_class_question_hides_its_answer_until_revealed(tmp_path):
    app = demo_app(tmp_path, pace=5.0)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await demo_screen(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, ClassQuestionScreen))
        question = app.screen
        assert not screen.autoplaying  # the demo waits while the class thinks
        assert "Answer" not in text_of(question.query_one("#class-answer"))
        assert "⏱" in text_of(question.query_one("#class-countdown"))
        await wait_until(pilot, lambda: question.answers is not None)
        await pilot.press("v")
        answer = text_of(question.query_one("#class-answer"))
        assert "Answer: B (1, seen in the real run)" in answer
        await pilot.press("escape")
        assert app.screen is screen and screen.autoplaying


async def test_each_what_if_plays_in_the_same_panels_with_what_differs_marked(tmp_path):
    app = demo_app(tmp_path, pace=0.05)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await demo_screen(pilot)
        await pilot.press("space")  # pause the lesson's run: the demo must not move on meanwhile
        own = screen.driver
        assert not own.autoplaying
        expected = {
            "b": "raised NotImplementedError: No result backend is configured",
            "w": "queue depth: 1",
            "d": "line 7 returned 10",
        }
        for key, text in expected.items():
            await pilot.press(key)
            assert screen.playing is not None and screen.driver is not own
            assert not own.autoplaying  # the lesson's run waits while the what-if plays
            assert "What if:" in text_of(screen.query_one("#variant-banner"))
            run = screen.driver
            await wait_until(
                pilot,
                lambda run=run: run.lesson_run is not None and run.lesson_run.finished,
                timeout=20,
            )
            await wait_until(pilot, lambda run=run: not run.autoplaying)
            assert app.screen is screen  # played in place: no pop-up
            shown = text_of(screen.query_one("#table"))
            assert text in shown, shown
            assert "≠" in shown
            await pilot.press(key)  # the same key again: the lesson's run
            assert screen.playing is None and screen.driver is own
            assert not screen.query_one("#variant-banner").display


async def test_the_demo_moves_on_to_the_next_lesson_and_loops(tmp_path):
    app = demo_app(tmp_path, lessons=("delay", "direct-vs-delay"), pace=0.05, loop=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await demo_screen(pilot)
        await wait_until(pilot, lambda: app.screen.lesson.id == "direct-vs-delay", timeout=30)
        await wait_until(pilot, lambda: app.screen.lesson.id == "delay", timeout=30)
        assert app.demo_index == 0
