"""The lesson screen's place-keeping: one position indicator, the current row in view, clicks
that jump, full ids on i, hints only on h, and panels that fit the terminal (real runs)."""

from __future__ import annotations

import re

from tests.ui.conftest import (
    at_step,
    first_prediction,
    make_app,
    press_and_settle,
    ready,
    text_of,
    wait_until,
)
from tutor.engine import Stage
from tutor.ui.screens.details import DetailsScreen
from tutor.ui.widgets.lesson_panels import LessonPanels


async def test_one_position_indicator_step_n_of_m_with_the_stops_between_as_marks():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await press_and_settle(pilot, "right")
        status = text_of(screen.query_one("#status"))
        assert status.lstrip().startswith("Step 1/5  ◆")
        assert "Stage " not in status  # no second numbering
        await press_and_settle(pilot, "right")  # the call: between step 1 and step 2
        status = text_of(screen.query_one("#status"))
        assert status.lstrip().startswith("Step 1→2/5  ◆─●")
        assert "calling in main-app" in status
        table = text_of(screen.query_one("#table"))
        assert re.search(r"▷2\s+on the way: calling in main-app", table)  # lit with the flow
        assert "▶ Trigger" in text_of(screen.query_one("#flow"))


async def test_the_hint_shows_only_on_h():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await first_prediction(pilot)
        predict = app.screen
        question = predict.question
        assert question.hint not in text_of(predict.query_one("#predict-body"))
        assert "h for a hint" in text_of(predict.query_one("#predict-body"))
        await pilot.press("h")
        assert question.hint in text_of(predict.query_one("#predict-body"))
        assert screen.steps_shown == 1  # the run waits for the prediction


async def test_the_current_row_stays_in_view_at_80_by_24():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        scroll = screen.query_one("#panels-scroll")
        panels = screen.query_one(LessonPanels)

        def row_in_view(step: int) -> bool:
            span = panels.row_span(step)
            if span is None:
                return False
            top = screen.query_one("#table").region.y + 1
            visible = scroll.content_region
            return visible.y <= top + span[0] and top + span[1] <= visible.bottom

        for step in range(1, 6):
            await at_step(pilot, screen, step)
            await wait_until(pilot, lambda s=step: row_in_view(s), timeout=5)  # the whole row


async def test_a_click_on_a_table_row_or_a_flow_box_jumps_to_that_step():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await at_step(pilot, screen, 4)
        await pilot.pause()
        line = screen.query_one(LessonPanels).row_line(2)
        assert line is not None
        await pilot.click("#table", offset=(10, 1 + line))
        await wait_until(pilot, lambda: screen.steps_shown == 2)
        assert screen.snapshot.stage is Stage.QUEUED
        await pilot.click("#flow", offset=(4, 1))  # the first box: "Define task function"
        await wait_until(pilot, lambda: screen.steps_shown == 1)
        assert screen.snapshot.stage is Stage.DEFINED


async def test_i_shows_full_ids_and_the_stored_meta():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await ready(pilot)
        await at_step(pilot, screen, 5)
        task_id = screen.snapshot.tasks[0].id
        await pilot.press("i")
        assert isinstance(app.screen, DetailsScreen)
        body = text_of(app.screen.query_one("#details-body"))
        assert f"celery-task-meta-{task_id}" in body  # the whole key, not cut
        assert '"status": "SUCCESS"' in body and '"result": 10' in body
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.click("#hood", offset=(2, 2))  # a click on the hood opens it too
        assert isinstance(app.screen, DetailsScreen)


async def test_panels_stack_at_80_by_24_and_spread_at_160_by_50():
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.pause()
        region = {name: screen.query_one(f"#{name}").region for name in ("flow", "sample")}
        assert region["flow"].y < region["sample"].y  # where the run is comes first
        tracker, hood = screen.query_one("#tracker").region, screen.query_one("#hood").region
        assert hood.y > tracker.y and hood.width > 60  # one under the other, full width
    app = make_app(lesson_id="delay")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await ready(pilot)
        await pilot.pause()
        table, tracker = screen.query_one("#table").region, screen.query_one("#tracker").region
        hood, sample = screen.query_one("#hood").region, screen.query_one("#sample").region
        assert tracker.x > table.right - 1 and hood.x == tracker.x  # beside the table
        assert sample.x < screen.query_one("#flow").region.x  # the sample beside the flow
