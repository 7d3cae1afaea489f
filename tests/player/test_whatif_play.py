"""A what-if played stop by stop: every stop of its own real run is a row, compared with the
lesson's run at the same stage."""

from __future__ import annotations

from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.whatif_play import StopByStopRun, row_differences

DELAY = load_course().lesson("delay")


def _played(name: str, baseline: LessonRun | None = None) -> tuple[StopByStopRun, dict]:
    with StopByStopRun(DELAY, name, baseline) as what_if:
        what_if.play_all()
    return what_if, dict(row_differences(what_if))


def test_every_stop_is_a_row_and_the_callers_error_shows_in_its_row():
    what_if, differences = _played("no-backend")
    assert len(what_if.results) == len(what_if.stops) and what_if.finished
    assert what_if.lesson.title == "What if: no result backend"
    rows = {result.index: result for result in what_if.results}
    raised = [r for r in rows.values() if "raised NotImplementedError" in r.result]
    assert len(raised) == 1  # the row of the stop where the caller's get() failed, only there
    assert raised[0].result.startswith("line 8 raised NotImplementedError: No result backend")
    first = differences[1]
    assert first["result backend"] == "not configured (the lesson's run: in-memory)"
    assert "raised NotImplementedError" in differences[raised[0].index]["the caller"]


def test_a_stop_the_lessons_run_never_had_is_marked_as_such():
    what_if, differences = _played("direct")
    executing = next(r for r in what_if.results if r.snapshot.stage is Stage.EXECUTING)
    assert executing.action == "executing in main-app"
    assert differences[executing.index] == {"stage": "the lesson's run has no such stop"}
    assert 1 not in differences  # defining the task: the same in both runs


def test_an_unfinished_lessons_run_is_replaced_by_a_finished_one_to_compare_with():
    with LessonRun(DELAY) as unfinished:
        unfinished.next_step()
        what_if, differences = _played("no-worker", baseline=unfinished)
    assert what_if.baseline is not unfinished and what_if.baseline.finished
    last = what_if.results[-1]
    assert last.snapshot.stage is Stage.FINISHED
    assert differences[last.index]["queue depth"] == "1 (the lesson's run: 0)"
    assert differences[last.index]["workers"] == "none (the lesson's run: worker-1)"
