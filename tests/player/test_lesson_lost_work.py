"""The lost-work lesson replayed on real Celery: a worker stopped mid-task, early and late acks.

Each assertion reads a value the learner is shown and checks the fact the lesson teaches: with
the default early acknowledgement a lost worker's task is gone (STARTED for good, queue empty,
the other worker idle, get() times out); with acks_late the message comes back redelivered and
the other worker runs the body a second time.
"""

from __future__ import annotations

import pytest

from tests.player.played import play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.whatif import variant_lesson_run

COURSE = load_course()
LESSON = COURSE.lesson("lost-work")


@pytest.fixture(scope="module")
def played():
    """The lesson's own run (about 1 s: the caller's get(timeout=1) runs out)."""
    return play_lesson(LESSON)


def test_an_early_acknowledged_task_is_lost_with_its_worker(played):
    results, tracker = played
    assert len(results) == 5
    stopped = results[3].snapshot
    assert stopped.stage is Stage.EXECUTING and stopped.stop.thread == "worker-1"
    assert stopped.task.state == "STARTED" and stopped.depth == 0
    end = results[4]
    assert end.evaluation == "Queue depth 0; worker-2 is idle; the backend still says STARTED"
    assert end.result.startswith("The caller's get() raised TimeoutError")
    assert end.snapshot.calls[-1].work_ms < 2000
    assert not any(m.redelivered for stop in end.stops for q in stop.queues.values() for m in q)
    assert tracker["state"] == ["PENDING", "STARTED", "STARTED"]
    assert tracker["worker-1"] == ["idle", "executing", "stopped"]
    assert tracker["worker-2"] == ["idle", "idle", "idle"]
    assert tracker["the caller's get()"][-1].startswith("TimeoutError")
    assert end.snapshot.task.return_value is None


def test_with_acks_late_the_message_comes_back_and_the_body_runs_twice():
    with variant_lesson_run(LESSON, "acks-late") as lesson_run:
        results = lesson_run.play_all()
        stops = list(lesson_run.stops)
    first, stored, back, again, returned, end = results
    assert stored.snapshot.stop.thread == "worker-1"
    assert stored.action.startswith("worker-1 runs the whole body and stores its outcome")
    assert stored.evaluation == (
        "The body returned invoice for order 7 sent; the backend holds SUCCESS"
    )
    assert back.snapshot.stop.thread == "broker" and "redelivered" in back.evaluation
    assert back.result == "Queue depth 1; yet the backend already says SUCCESS from worker-1's run"
    [message] = back.snapshot.queues["celery"]
    assert message.redelivered and message.id == first.snapshot.task.id
    assert again.snapshot.stop.thread == "worker-2"
    assert returned.action == "worker-2 runs the body to its end"
    assert returned.result == "Returns invoice for order 7 sent"
    bodies = [s.stop.thread for s in stops if s.stage is Stage.RETURNED]
    assert bodies == ["worker-1", "worker-2"]  # the body ran twice, once in each worker
    assert end.snapshot.task.state == "SUCCESS"
    assert end.result.startswith("The caller's get() had returned invoice for order 7 sent")


def test_acks_late_alone_already_redelivers_on_the_memory_broker():
    with LessonRun(LESSON, "acks-late-only") as lesson_run:
        final = lesson_run.finish()
    assert final.task.state == "SUCCESS"
    assert final.task.return_value == "invoice for order 7 sent"
    assert final.task.executed_by == "worker-2"


def test_the_quiz_is_graded_by_what_the_run_showed():
    answers = shipped_answers("lost-work")
    assert answers[0][0].startswith("A (0")
    assert answers[1][0].startswith("B (STARTED")
    assert answers[2][0].startswith("C (worker-2")
