"""The 'results' lesson replayed on real Celery: what the learner reads at each step is what
Celery really did (an AsyncResult, PENDING as "no record", get() blocking, the stored meta)."""

from __future__ import annotations

import pytest

from tests.player.played import play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.player.whatif import variant_lesson_run

COURSE = load_course()
LESSON = COURSE.lesson("results")


@pytest.fixture(scope="module")
def played():
    return play_lesson(LESSON)


def test_delay_hands_back_an_async_result_while_the_message_waits(played):
    results, _ = played
    queued = results[1].snapshot
    [message] = queued.queues["celery"]
    handle = queued.caller_variables["r"]
    assert handle == f"<AsyncResult: {message.id}>"
    assert "value" not in queued.caller_variables
    assert queued.backend.entries == ()
    assert f"giving r = <AsyncResult: {message.id[:20]}" in results[1].evaluation
    assert "(depth 1)" in results[1].result and results[1].result.endswith("state is PENDING")


def test_state_is_pending_although_the_queue_is_already_empty(played):
    results, _ = played
    step = results[2].snapshot
    assert step.depth == 0 and step.tasks[0].received_by == "worker-1"
    assert step.caller_variables["state"] == "PENDING"
    assert step.caller_variables["done"] is False
    assert "state PENDING, ready False" in results[2].evaluation
    assert "backend still holds 0 entries" in results[2].result


def test_get_holds_the_caller_while_the_worker_runs_the_body(played):
    results, _ = played
    # step 4: the body starts while the main app is still before line 9 (read at that stop)
    assert [call.line for call in results[3].snapshot.calls] == [7, 8]
    assert results[3].snapshot.tasks[0].state == "STARTED"
    # step 5: the body returned inside the worker; line 9 has called get() and is not over
    get_call = results[4].snapshot.calls[-1]
    assert get_call.source == "value = r.get(timeout=5)"
    assert not get_call.done
    assert "line 9 done: False" in results[4].result
    assert results[4].snapshot.tasks[0].return_value == 5
    assert "still says STARTED" in results[4].result
    stored = results[5].snapshot
    get_call = stored.calls[2]
    assert get_call.done and stored.caller_variables["value"] == 5
    # get() blocked the caller until the worker stored the outcome; delay() never waits
    assert get_call.waited_ms > 0 and stored.calls[0].waited_ms == 0
    assert "status SUCCESS and result 5" in results[5].evaluation
    assert results[5].result.startswith("get() sees it and returns 5")


def test_the_backend_holds_the_outcome_under_the_task_id(played):
    results, _ = played
    final = results[-1].snapshot
    [(key, meta)] = final.backend.entries
    assert key == f"celery-task-meta-{final.tasks[0].id}"
    assert meta["status"] == "SUCCESS" and meta["result"] == 5


def test_after_get_ready_and_successful_are_true_and_an_unknown_id_is_pending(played):
    results, _ = played
    after = results[6].snapshot
    assert after.caller_variables["state"] == "SUCCESS" and after.caller_variables["done"] is True
    assert after.calls[4].value is True
    assert results[6].result == "r.successful() returns True"
    final = results[7].snapshot
    assert final.calls[-1].source == 'add.AsyncResult("no-such-id").state'
    assert final.calls[-1].value == "PENDING"
    assert results[7].result == "Celery still answers PENDING"


def test_the_tracker_shows_the_callers_reads_going_stale(played):
    _, tracker = played
    assert tracker == {
        "state": ["undefined", "PENDING", "PENDING", "PENDING", "SUCCESS"],
        "done": ["undefined", "False", "False", "False", "True"],
        "value": ["undefined", "undefined", "undefined", "5", "5"],
        "r.state now": ["undefined", "PENDING", "STARTED", "SUCCESS", "SUCCESS"],
    }


@pytest.fixture(scope="module")
def ignored():
    with variant_lesson_run(LESSON, "ignore-result") as played:
        results = played.play_all()
        tracker = {
            name: [played.tracker_value(name, n) for n in (0, 2, 4, 5)]
            for name in ("value", "worker returned", "backend entries", "r.state now")
        }
        yield results, played.finish(), tracker


def test_ignore_result_get_returns_none_before_the_body_even_ran(ignored):
    results, _, _ = ignored
    queued, got, returned = results[:3]
    assert (
        queued.result
        == "The message waits in queue 'celery' (depth 1); the backend holds 0 entries"
    )
    step = got.snapshot
    assert step.caller_variables["value"] is None and step.calls[1].done
    assert step.tasks[0].received_by == "worker-1" and step.tasks[0].return_value is None
    assert got.evaluation.startswith("get() is over after ") and got.evaluation.endswith(
        "value = None"
    )
    assert (
        got.result
        == "worker-1 has only taken the message: the body has not run, the state is PENDING"
    )
    assert returned.evaluation.startswith("The body returns 5 after")


def test_ignore_result_stores_nothing_and_pending_stays(ignored):
    results, final, tracker = ignored
    stored, end = results[3], results[4]
    assert stored.snapshot.backend.entries == ()
    assert stored.evaluation == (
        "ignore_result is set, so the outcome is not stored: the backend holds 0 entries"
    )
    assert stored.result == "The worker returned 5, yet r.state reads PENDING"
    assert end.evaluation == "r.successful() returned False; the backend still holds 0 entries"
    assert end.result == "r.state: PENDING, and it will never change"
    [task] = final.tasks
    assert task.return_value == 5 and task.state == "PENDING" and final.backend.entries == ()
    assert tracker == {
        "value": ["undefined", "None", "None", "None"],
        "worker returned": ["undefined", "undefined", "5", "5"],
        "backend entries": ["undefined", "0", "0", "0"],
        "r.state now": ["undefined", "PENDING", "PENDING", "PENDING"],
    }


def test_no_backend_variant_raises_the_real_not_implemented_error_before_the_body_runs():
    with variant_lesson_run(LESSON, "no-backend") as played:
        queued, executing, stored, end = played.play_all()
        final = played.finish()
    assert queued.result.endswith("backend: not configured")
    assert executing.snapshot.calls[1].error.startswith("NotImplementedError")
    assert "get() is already over (done: True)" in executing.evaluation
    assert stored.result == "The backend holds 0 entries; the task's state is not configured"
    assert end.evaluation == (
        "The worker returned 5, but the caller's value was never set: line 8 raised"
    )
    assert end.result.startswith("NotImplementedError: No result backend is configured")
    assert final.tasks[0].return_value == 5
    assert final.calls[-1].error.startswith("NotImplementedError: No result backend is configured")


def test_no_worker_variant_get_waits_out_its_timeout_and_the_message_stays():
    with variant_lesson_run(LESSON, "no-worker") as played:
        queued, before_get, end = played.play_all()
        final = played.finish()
    assert queued.result == "The message waits in queue 'celery' (depth 1); the state is PENDING"
    assert before_get.evaluation == "The queue still holds 1 message; the backend holds 0 entries"
    get_call = end.snapshot.calls[-1]
    assert get_call.source == "value = r.get(timeout=1)"
    assert get_call.error.startswith("TimeoutError: The operation timed out.")
    assert get_call.work_ms >= 1000  # the whole timeout, of the run's own time
    assert end.evaluation.startswith("Line 8 held the caller 1")
    assert "then raised TimeoutError: The operation timed out." in end.evaluation
    assert (
        end.result == "The message is still in queue 'celery' (depth 1); the state is still PENDING"
    )
    assert final.queue_depth("celery") == 1 and final.tasks[0].state == "PENDING"
    assert "value" not in final.caller_variables


def test_slow_task_variant_get_costs_the_whole_body_delay_does_not():
    with LessonRun(LESSON, "slow-task") as lesson_run:
        final = lesson_run.finish()
    delay_call, get_call = final.calls
    [task] = final.tasks
    assert get_call.value == task.return_value and len(task.return_value) == 16
    assert get_call.work_ms >= task.runtime_ms > 10 * delay_call.work_ms


def test_quiz_predictions_are_what_the_real_run_shows():
    answers = shipped_answers("results")
    predicted = [answers[index][0] for index in range(6)]
    assert predicted == [
        "A (PENDING, seen in the real run)",
        "B (False, seen in the real run)",
        "C (5, seen in the real run)",
        "A (PENDING, seen in the real run)",
        "B (None, seen in the real run)",  # ignore-result: get() gave None at once
        "B (1, seen in the real run)",  # no-worker: the message outlives get()'s timeout
    ]
    assert answers[4][1].startswith("value = None, after ")
    assert "the state was PENDING and the body had not even run" in answers[4][1]
    assert answers[5][1].startswith("Depth 1. get() held the caller 10")
    assert "then raised TimeoutError: The operation timed out." in answers[5][1]
