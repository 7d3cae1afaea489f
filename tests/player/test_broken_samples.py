"""A lesson whose sample is broken gives one line naming what really happened, from a real run."""

from __future__ import annotations

import pytest

from tutor.content.loader import load_course
from tutor.engine import RunStalled, SampleError
from tutor.player.lesson_run import LessonMismatch, LessonRun, run_config_for

LESSON = load_course().lesson("delay")
TASK = "from celery import shared_task{extra}\n\n@shared_task\ndef add(x, y):\n    {body}\n\n"


def lesson_run(calls: str, extra: str = "", body: str = "return x + y", **config) -> LessonRun:
    code = TASK.format(extra=extra, body=body) + calls
    base = run_config_for(LESSON, code, LESSON.run)
    return LessonRun(LESSON, config=type(base)(**{**base.__dict__, **config}))


def play_until_mismatch(calls: str, extra: str = "") -> LessonMismatch:
    with lesson_run(calls, extra) as run, pytest.raises(LessonMismatch) as caught:
        run.play_all()
    return caught.value


def test_a_call_of_a_task_that_does_not_exist_names_the_line_and_the_error():
    mismatch = play_until_mismatch("ad.delay(4, 6)\n")
    assert str(mismatch) == (
        "<lesson delay>: line 7 raised NameError: name 'ad' is not defined "
        "(step 2 waits for stage 'queued'; the run finished without reaching it)"
    )
    assert (mismatch.step, mismatch.stage, mismatch.line) == (2, "queued", 7)
    assert mismatch.error == "NameError: name 'ad' is not defined"


@pytest.mark.parametrize(
    ("extra", "call"),
    [
        (", current_app", "current_app.send_task('tasks.nope')\n"),
        (", signature", "signature('tasks.nope').delay()\n"),
    ],
    ids=["send_task", "signature"],
)
def test_a_message_for_an_unregistered_task_says_the_worker_rejected_it(extra, call):
    mismatch = play_until_mismatch(call, extra)
    assert str(mismatch) == (
        "<lesson delay>: line 7 sent a message for the unknown task name 'tasks.nope', and "
        "worker-1 rejected it (no task of that name is registered) "
        "(step 3 waits for stage 'executing'; the run finished without reaching it)"
    )
    assert (mismatch.step, mismatch.line, mismatch.error) == (
        3,
        7,
        "unknown task name 'tasks.nope'",
    )


def test_a_task_body_that_fails_is_named_when_the_step_needs_its_return():
    mismatch = play_until_mismatch("add.delay(4, 'six')\n")
    assert str(mismatch) == (
        "<lesson delay>: the task body of tasks.add (line 5) raised TypeError: unsupported "
        "operand type(s) for +: 'int' and 'str' "
        "(step 4 waits for stage 'returned'; the run finished without reaching it)"
    )


def test_definitions_that_raise_stop_the_lesson_with_the_sample_line():
    with (
        lesson_run("add.delay(4, 6)\n", extra="\nimport nope") as run,
        pytest.raises(SampleError) as caught,
    ):
        run.play_all()
    assert (
        str(caught.value)
        == "<lesson delay>: line 2 raised ModuleNotFoundError: No module named 'nope'"
    )


def test_a_task_body_that_never_returns_stalls_with_one_line():
    with lesson_run("add.delay(4, 6)\n", body="while True: pass", stage_timeout=0.2) as run:
        assert [run.next_step().step.at.value for _ in range(3)][-1] == "executing"
        with pytest.raises(RunStalled) as caught:
            run.next_step()
    assert str(caught.value) == (
        "<lesson delay>: the task body of tasks.add (line 5) ran past the 0.2 s limit for one "
        "stage (after stage 'executing')"
    )
