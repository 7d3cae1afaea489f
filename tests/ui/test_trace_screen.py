"""A developer's own tasks.py, traced, played in the lesson screen (Pilot, real Celery)."""

from __future__ import annotations

from tests.traced import TASKS_MODULE
from tests.ui.conftest import make_app, press_and_settle, ready, text_of, wait_until
from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.trace_export import write_lesson
from tutor.player.trace_lesson import trace_lesson, trace_quiz, trace_run
from tutor.player.trace_source import read_source

TASKS = TASKS_MODULE.format(port=1)  # a port nothing listens on: never contacted


def traced_app(tmp_path, call: str):
    """The app on the trace's lesson, as `tutor trace` opens it (a one-lesson course)."""
    (tmp_path / "tasks.py").write_text(TASKS, encoding="utf-8")
    lesson = trace_lesson(trace_run(read_source(str(tmp_path / "tasks.py"), [call])))
    written, _ = write_lesson(lesson, trace_quiz(lesson), tmp_path / f"{lesson.id}.toml")
    return make_app(load_course(written), lesson.id)


async def test_the_trace_moves_stage_by_stage_and_steps_back(tmp_path):
    app = traced_app(tmp_path, "mul.delay(6, 7)")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        stages = []
        while screen.snapshot is None or screen.snapshot.stage is not Stage.FINISHED:
            await press_and_settle(pilot, "right")
            stages.append(screen.snapshot.stage)
        assert stages[:3] == [Stage.DEFINED, Stage.CALLING, Stage.QUEUED]
        table = text_of(screen.query_one("#table"))
        assert "Returned 42" in table and "State SUCCESS" in table
        await press_and_settle(pilot, "left")
        assert screen.snapshot.stage is stages[-2]  # a recorded stop, replayed


async def test_a_chain_of_their_tasks_shows_the_canvas_panel(tmp_path):
    app = traced_app(tmp_path, "chain(mul.s(6, 7), add.s(8)).delay()")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while screen.snapshot is None or screen.snapshot.stage is not Stage.FINISHED:
            await press_and_settle(pilot, "right")
        canvas = screen.query_one("#canvas")
        assert canvas.display
        drawn = text_of(canvas)
        assert "mul(6, 7)" in drawn and "add(8)" in drawn and "succeeded" in drawn


async def test_a_long_task_shows_its_elapsed_time_and_q_quits(tmp_path):
    (tmp_path / "slow.py").write_text(
        "import time\nfrom celery import shared_task\n\n\n@shared_task\ndef crunch(n):\n"
        "    time.sleep(n)\n    return n\n"
    )
    lesson = trace_lesson(trace_run(read_source(str(tmp_path / "slow.py"), ["crunch.delay(1.5)"])))
    written, _ = write_lesson(lesson, trace_quiz(lesson), tmp_path / f"{lesson.id}.toml")
    app = make_app(load_course(written), lesson.id)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        while screen.snapshot is None or screen.snapshot.stage is not Stage.EXECUTING:
            await press_and_settle(pilot, "right")
        run = screen.lesson_run.run
        await pilot.press("right")  # the body sleeps for real: the run is busy meanwhile
        status = screen.query_one("#status")
        await wait_until(pilot, lambda: "s so far" in text_of(status))
        assert "q quits at once" in text_of(status)
        await pilot.press("q")
    assert run.conductor.closing
