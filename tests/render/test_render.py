"""The Rich renderables show what the real run did, readable without colour."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.render.flow import LIT_MARK, flow_diagram
from tutor.render.hood import under_the_hood
from tutor.render.narrate import sentence
from tutor.render.timeline import BUSY, lane_spans, timeline
from tutor.render.tracker import CHANGED_MARK, variable_tracker

COURSE = load_course()


def _text(renderable, width: int = 120) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def played():
    with LessonRun(COURSE.lesson("delay")) as lesson_run:
        lesson_run.play_all()
        yield lesson_run


def test_tracker_marks_changed_cells_with_a_star_not_colour_alone(played):
    text = _text(variable_tracker(played))
    row_x = next(line for line in text.splitlines() if line.strip().startswith("x "))
    assert row_x.split() == ["x", "undefined", "4", CHANGED_MARK.strip(), "4", "4"]
    row_result = next(line for line in text.splitlines() if line.strip().startswith("result"))
    assert "10" + CHANGED_MARK in row_result


def test_flow_lights_the_box_of_the_current_stage(played):
    queued = played.results[1].snapshot
    text = _text(flow_diagram(played.lesson, queued, vertical=True))
    lit = [line for line in text.splitlines() if LIT_MARK.strip() in line]
    assert any("Task queued in broker" in line for line in lit)
    assert not any("Worker picks task" in line for line in lit)


def test_under_the_hood_shows_the_real_message_while_queued(played):
    queued = played.results[1].snapshot
    [message] = queued.queues["celery"]
    text = _text(under_the_hood(queued), width=200)
    assert "queue 'celery': depth 1" in text
    assert message.id[:20] in text
    assert "args [4, 6]" in text


def test_backend_panel_shows_the_stored_result(played):
    text = _text(under_the_hood(played.results[-1].snapshot), width=200)
    assert '{"status": "SUCCESS", "result": 10}' in text


def test_timeline_lanes_come_from_the_trace(played):
    final = played.results[-1].snapshot
    lanes, spans = lane_spans(final)
    assert lanes == ["main-app", "worker-1"]
    caller = [s for s in spans if s.lane == "main-app"]
    worker = [s for s in spans if s.lane == "worker-1"]
    assert caller and worker
    # the main app's delay() was over before the worker took the message
    assert caller[0].end <= worker[0].start
    text = _text(timeline(final, width=40))
    assert text.count(BUSY) >= 2


def test_narration_is_one_sentence_per_stop(played):
    sentences = [sentence(s) for r in played.results for s in r.stops]
    assert all(s.startswith("At ") and s.endswith(".") and "\n" not in s for s in sentences)
    assert any("queued in main-app" in s and "queue depth 1" in s for s in sentences)
