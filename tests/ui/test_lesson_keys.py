"""Every key of the lesson screen, against real Celery runs (Pilot)."""

from __future__ import annotations

import threading

from textual.widgets import TabbedContent

from tests.conftest import live_threads_beyond
from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.ui.screens.help import HelpScreen
from tutor.ui.screens.home import HomeScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.too_small import TooSmallScreen


def _panel_text(screen: LessonScreen, panel_id: str) -> str:
    return text_of(screen.query_one(f"#{panel_id}"))


async def test_right_space_and_n_each_move_the_real_run_one_stage():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        assert screen.position == -1
        for key, stage in (("right", Stage.DEFINED), ("space", Stage.CALLING), ("n", Stage.QUEUED)):
            await press_and_settle(pilot, key)
            assert screen.snapshot.stage is stage
        assert len(screen.lesson_run.stops) == 3
        # the queue panel shows the real message that sits in the real queue
        [message] = screen.snapshot.queues["celery"]
        hood = _panel_text(screen, "hood")
        assert "depth 1" in hood and message.id[:8] in hood
        table = _panel_text(screen, "table")
        assert "Call add.delay(4, 6)" in table and message.short_id in table


async def test_left_replays_recorded_stages_and_right_returns_to_the_live_run():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        for _ in range(3):
            await press_and_settle(pilot, "right")
        live = len(screen.lesson_run.stops)
        await press_and_settle(pilot, "left")
        assert screen.snapshot.stage is Stage.CALLING
        await press_and_settle(pilot, "p")
        assert screen.snapshot.stage is Stage.DEFINED
        assert len(screen.lesson_run.stops) == live  # going back never touches the run
        await press_and_settle(pilot, "right")
        await press_and_settle(pilot, "right")
        assert screen.snapshot.stage is Stage.QUEUED and len(screen.lesson_run.stops) == live
        await press_and_settle(pilot, "right")  # past the live point: the real run moves again
        assert screen.snapshot.stage is Stage.RECEIVED
        assert len(screen.lesson_run.stops) == live + 1


async def test_r_restarts_with_a_fresh_real_run():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await press_and_settle(pilot, "right")
        await press_and_settle(pilot, "right")
        first = screen.lesson_run
        await pilot.press("r")
        await wait_until(
            pilot, lambda: screen.lesson_run is not None and screen.lesson_run is not first
        )
        assert screen.position == -1
        await wait_until(pilot, lambda: first.run.conductor.closing)
        await press_and_settle(pilot, "right")
        assert screen.snapshot.stage is Stage.DEFINED


async def test_a_autoplays_to_the_end_and_plus_minus_change_the_pace():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        pace = screen.pace
        await pilot.press("plus")
        assert screen.pace < pace
        await pilot.press("minus", "minus")
        assert screen.pace > pace
        for _ in range(6):
            await pilot.press("plus")
        await pilot.press("a")
        assert screen.autoplaying
        await wait_until(pilot, lambda: screen.lesson_run.finished and not screen.autoplaying)
        assert screen.snapshot.stage is Stage.FINISHED
        assert screen.steps_shown == len(screen.lesson.steps)


async def test_a_again_stops_autoplay():
    app = make_app(lesson_id="delay", pace=5.0)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("a")
        assert screen.autoplaying
        await pilot.press("a")
        assert not screen.autoplaying and screen.position == -1


async def test_tab_cycles_the_views():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        tabs = screen.query_one(TabbedContent)
        seen = [tabs.active]
        for _ in range(4):
            await pilot.press("tab")
            seen.append(tabs.active)
        assert seen == ["visualize", "moments", "snapshot", "transcript", "visualize"]


async def test_escape_goes_home_and_closes_the_run():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await press_and_settle(pilot, "right")
        run = screen.lesson_run.run
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert run.conductor.closing


async def test_q_quits_while_held_inside_the_task_leaving_no_thread():
    baseline = {t.ident for t in threading.enumerate()}
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while screen.snapshot is None or screen.snapshot.stage is not Stage.EXECUTING:
            await press_and_settle(pilot, "right")
        run = screen.lesson_run.run
        await pilot.press("q")
    assert run.conductor.closing
    # asyncio's own executor thread belongs to the test's event loop, not to the tutor
    left = [name for name in live_threads_beyond(baseline) if not name.startswith("asyncio_")]
    assert left == []


async def test_question_mark_shows_the_keys():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_a_key_moment_number_plays_its_what_if_in_the_panels_and_goes_to_its_step():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        own_run = screen.lesson_run
        await pilot.press("3")
        assert screen.playing == "no-backend"
        await wait_until(pilot, lambda: "no-backend" in screen.variant_outcomes)
        await wait_until(pilot, lambda: not screen.busy and screen.frame.view.at_live_end)
        assert screen.lesson_run is not own_run and screen.snapshot.stage is Stage.FINISHED
        outcome = screen.variant_outcomes["no-backend"]
        assert outcome.calls[-1].error.startswith("NotImplementedError")
        banner = text_of(screen.query_one("#variant-banner"))
        assert "What if: no result backend" in banner and "its own real run" in banner
        table = text_of(screen.query_one("#table"))
        assert "line 8 raised NotImplementedError: No result backend is configured" in table
        assert "≠ differs from the lesson's run here" in table
        assert "not configured" in text_of(screen.query_one("#hood"))
        assert screen.query_one("#hood").has_class("-differs")
        moments = text_of(screen.query_one("#moments-body"))
        assert "raised NotImplementedError: No result backend is configured" in moments
        await pilot.press("2")  # a key moment without a what-if: the lesson's own run
        await wait_until(pilot, lambda: screen.steps_shown == 3)
        assert screen.playing is None and screen.lesson_run is own_run
        assert screen.snapshot.stage is Stage.EXECUTING
        assert "The lesson's own run" in text_of(screen.query_one("#variant-banner"))
        await pilot.press("v")  # and back to the what-if, where it was
        assert screen.playing == "no-backend" and screen.snapshot.stage is Stage.FINISHED
        assert "What if: no result backend" in text_of(screen.query_one("#variant-banner"))


async def test_a_terminal_too_small_gets_a_message_and_recovers():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(70, 20)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, TooSmallScreen))
        assert "needs at least 80x24" in text_of(app.screen.query_one("#too-small-text"))
        await pilot.resize_terminal(120, 35)
        await wait_until(pilot, lambda: isinstance(app.screen, LessonScreen))


async def test_q_quits_while_the_task_body_loops_forever_and_cuts_the_body_off(tmp_path):
    """The body's thread cannot be joined: quitting lets go of it instead of waiting."""
    import shutil

    from tutor.content.loader import content_root, load_course

    shutil.copytree(content_root() / "lessons", tmp_path / "lessons")
    shutil.copytree(content_root() / "quizzes", tmp_path / "quizzes")
    lesson = tmp_path / "lessons" / "delay.toml"
    lesson.write_text(
        lesson.read_text().replace("    return x + y", "    while True:\n        pass")
    )
    app = make_app(load_course(tmp_path), lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        screen.quiz = None  # no prediction pop-up on the way
        while screen.snapshot is None or screen.snapshot.stage is not Stage.EXECUTING:
            await press_and_settle(pilot, "right")
        run = screen.lesson_run.run
        await pilot.press("right")  # the body starts looping; the run cannot reach its next stop
        await wait_until(pilot, lambda: screen.busy)
        await pilot.press("q")
    assert run.conductor.closing
    cut = [event for event in run.trace.events() if event.name == "cut-off"]
    assert cut and "tasks.add" in cut[0].summary


def test_the_status_line_counts_a_workers_timer_down_while_the_run_waits_it_out():
    """While the run waits out a countdown, the status line says how long is left (the wait
    itself is real; seen in tmux on the retry lesson's step 7)."""
    from tutor.content.loader import load_course
    from tutor.player.navigator import View
    from tutor.ui.widgets.frame import Frame
    from tutor.ui.widgets.run_status import status_text

    lesson = load_course().lesson("retry")
    with LessonRun(lesson) as lesson_run:
        while len(lesson_run.results) < 7:
            lesson_run.advance_stop()
        view = View(lesson_run, len(lesson_run.stops) - 1)
        [entry] = view.snapshot.timer
        waiting = status_text(Frame(view, busy=True, waiting_left=entry.seconds_left), 11)
        moving = status_text(Frame(view, busy=True), 11)
    assert f"counting down: {entry.seconds_left:.1f} s left" in waiting.plain
    assert "counting down" not in moving.plain


def test_the_status_line_says_the_main_app_waits_at_its_commit_while_the_worker_goes_first():
    """In a Django lesson the view's COMMIT waits while the worker's stops go by (seen in tmux on
    the on-commit lesson's stages 4 to 8); once it committed, the status line stops saying so."""
    from tutor.content.loader import load_course
    from tutor.player.navigator import View
    from tutor.ui.widgets.frame import Frame
    from tutor.ui.widgets.run_status import status_text

    lesson = load_course().lesson("on-commit")
    with LessonRun(lesson) as lesson_run:
        while len(lesson_run.results) < 5:
            lesson_run.advance_stop()
        lines = {
            snapshot.stage.value: status_text(Frame(View(lesson_run, index)), 8).plain
            for index, snapshot in enumerate(lesson_run.stops)
        }
    said = "the main app is about to COMMIT, waiting: the workers go first"
    assert all(said in lines[stage] for stage in ("queued", "received", "raised", "stored"))
    assert said not in lines["calling"]  # the last calling stop: after the COMMIT
