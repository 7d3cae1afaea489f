"""The failure lesson, replayed on real Celery: what the learner reads is what Celery really did."""

from __future__ import annotations

from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import real_answers, real_order
from tutor.player.whatif import run_variant

COURSE = load_course()
LESSON = COURSE.lesson("failure")
VALUE_ERROR = "ValueError: invalid literal for int() with base 10: 'forty'"
# The traceback as the learner reads it: the sample's own frame, then the exception.
TRACEBACK = (
    "Traceback (most recent call last):\n"
    '  File "<lesson failure>", line 5, in parse_age\n'
    "    return int(text)\n"
    f"{VALUE_ERROR}"
)


def _tracker(lesson_run: LessonRun) -> dict[str, list[str]]:
    return {
        v.name: [lesson_run.tracker_value(v.name, c.after_step) for c in LESSON.tracker]
        for v in LESSON.variables
    }


def test_the_body_raises_in_the_worker_and_the_backend_stores_failure():
    with LessonRun(LESSON) as lesson_run:
        results = lesson_run.play_all()
    queued, raised, stored = results[0], results[1], results[2]
    assert "holds 1 message; state PENDING" in queued.result
    # The body really ran, in the worker, and raised there: STARTED, not PENDING.
    assert raised.snapshot.stop.thread.startswith("worker")
    assert raised.action == "worker-1 runs parse_age with args ['forty']"
    assert raised.evaluation == f"int() cannot parse it and raises {VALUE_ERROR}"
    assert "the backend still says STARTED" in raised.result
    # Then the worker writes the failure down.
    meta = stored.snapshot.task.stored
    assert meta["status"] == "FAILURE"
    assert meta["result"]["exc_type"] == "ValueError"
    assert "line 5, in parse_age" in meta["traceback"]
    assert "status FAILURE with exc_type ValueError" in stored.evaluation
    assert stored.result == f"State is now FAILURE; the stored traceback: {TRACEBACK}"


def test_the_caller_sees_the_failure_three_ways():
    with LessonRun(LESSON) as lesson_run:
        results = lesson_run.play_all()
    caught, returned, where = results[3], results[4], results[5]
    expected = "ValueError(\"invalid literal for int() with base 10: 'forty'\")"
    # get() re-raised it: the try statement ended without an error, and `caught` holds it.
    try_call = caught.snapshot.calls[1]
    assert try_call.source.startswith("try:") and try_call.error is None
    assert caught.snapshot.caller_variables["caught"] == expected
    assert caught.evaluation == f"The caller's except ValueError caught {expected}"
    # propagate=False: the same exception, as a value, and no error on that line.
    assert returned.snapshot.calls[2].error is None
    assert returned.result == f"error = {expected}"
    # The traceback the caller reads back is the one the worker stored: the task's own line.
    assert where.snapshot.caller_variables["tb"] == TRACEBACK
    assert where.result == f"tb = {TRACEBACK}"


def test_the_same_worker_runs_the_next_task_and_stays_alive():
    with LessonRun(LESSON) as lesson_run:
        results = lesson_run.play_all()
        tracker = _tracker(lesson_run)
    running, final = results[6], results[7]
    bad, good = running.snapshot.tasks
    assert bad.state == "FAILURE" and good.executed_by == bad.executed_by == "worker-1"
    assert running.result == "State STARTED; worker-1 is executing, not crashed"
    assert final.evaluation == "First task FAILURE, second task SUCCESS"
    assert final.result == "age = 42; worker-1 is idle, ready for more"
    assert [w.status for w in final.snapshot.workers] == ["idle"]
    assert tracker["bad state"] == ["undefined", "STARTED", "FAILURE", "FAILURE"]
    assert tracker["good state"] == ["undefined", "undefined", "undefined", "SUCCESS"]
    assert tracker["raised in worker"][1:] == [VALUE_ERROR] * 3


def test_a_task_that_never_ran_stays_pending_not_failure():
    outcome = run_variant(LESSON, "no-worker")
    assert outcome.played is not None
    queued, end = outcome.played.results
    assert queued.result == "Queue 'celery' holds 1 message; state PENDING"
    assert end.evaluation == (
        "Nobody took the message: queue 'celery' still holds 1, the backend holds 0 results"
    )
    assert end.result == "bad.state returned PENDING: still PENDING, never FAILURE"
    final = outcome.snapshot
    assert final.task.executed_by is None and final.task.exception is None
    assert final.depth == 1
    assert final.calls[-1].value == "PENDING"
    tracker = {
        v: [outcome.played.tracker_value(v, c) for c in (0, 1, 2)]
        for v in ("bad state", "queue depth", "results stored")
    }
    assert tracker == {
        "bad state": ["undefined", "PENDING", "PENDING"],
        "queue depth": ["undefined", "1", "1"],
        "results stored": ["undefined", "0", "0"],
    }


def test_a_custom_exception_is_caught_by_its_builtin_base_in_the_caller():
    outcome = run_variant(LESSON, "custom-exception")
    assert outcome.played is not None
    raised, stored, caught, end = outcome.played.results
    # In the worker the body raised the sample's own class...
    assert raised.result == (
        "Raised in the worker: AgeError: not an age: 'forty'; state STARTED, nothing stored yet"
    )
    # ...but the sample lives in no importable module, so Celery could not pickle AgeError and
    # stored its nearest built-in base, ValueError, with the traceback of the sample's raise.
    meta = stored.snapshot.task.stored
    assert meta["status"] == "FAILURE"
    assert meta["result"]["exc_type"] == "ValueError"
    assert 'raise AgeError(f"not an age: {text!r}")' in meta["traceback"]
    assert stored.evaluation == "The backend holds exc_type ValueError from module builtins"
    assert stored.result == (
        "State FAILURE; Celery now reports the task's exception as ValueError: not an age: 'forty'"
    )
    # The caller's `except ValueError` caught what get() raised (no error on the try line)...
    assert caught.snapshot.calls[1].error is None
    assert (
        caught.evaluation
        == "The caller's except ValueError caught ValueError(\"not an age: 'forty'\")"
    )
    # ...and the last line shows the class the caller got back: the base, not AgeError.
    assert end.result == "type(caught) = <class 'ValueError'>"
    assert outcome.snapshot.calls[-1].value == "<class 'ValueError'>"
    assert outcome.played.tracker_value("task's exception", 1) == "AgeError: not an age: 'forty'"
    assert outcome.played.tracker_value("stored exc_type", 2) == "ValueError"


def test_every_prediction_has_its_real_answer_among_the_choices():
    answers = real_answers(LESSON, COURSE.quiz("failure"))
    assert answers[0][0] == "C (FAILURE, seen in the real run)"
    assert answers[1][0].startswith("C (ValueError(")
    assert answers[2][0] == "A (worker-1, seen in the real run)"
    # The prediction about the custom-exception variant, graded against that variant's run.
    assert answers[3][0] == "B (ValueError, seen in the real run)"
    assert answers[3][1].startswith("The backend stored ValueError from module builtins")


def test_the_order_question_follows_the_real_run():
    question = COURSE.quiz("failure").questions[-1]
    with LessonRun(LESSON) as lesson_run:
        lesson_run.play_all()
        assert lesson_run.run is not None
        stops = lesson_run.run.run_to_end()
    # Listed in the file in the true order: queued, received, raised, stored, then the next
    # task's return.
    assert real_order(question, stops) == list(range(len(question.items)))
