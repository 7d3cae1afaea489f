"""The retry lesson replayed on real Celery: what the learner sees is what self.retry() does.

Each assertion reads a value the learner is shown (a filled step, a tracker cell, a panel, a
what-if outcome) and checks it against the fact the lesson teaches: retry() publishes a new
message from the worker and raises; RETRY is stored between tries; the countdown is spent in
the worker's timer with the queue empty; the retries header counts up; the caller's get() waits
through RETRY; max_retries stops it, and the never-recovering what-if plays that stage by stage.
"""

from __future__ import annotations

import pytest

from tests.player.played import plain_text, play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.whatif import has_steps, variant_lesson, variant_lesson_run
from tutor.render.hood import queue_panel, under_the_hood
from tutor.render.page import variant_outcome

COURSE = load_course()
LESSON = COURSE.lesson("retry")


@pytest.fixture(scope="module")
def played():
    """The lesson's own run, every step reached (about 2 s: two 1 s countdowns)."""
    return play_lesson(LESSON)


def _queued_messages(stops, thread_prefix):
    """The messages in the queue at each queued stop of a thread (what the queue panel lists)."""
    return [
        message
        for stop in stops
        if stop.stage is Stage.QUEUED and stop.stop.thread.startswith(thread_prefix)
        for message in stop.queues["celery"]
    ]


def test_the_caller_sends_one_message_and_the_worker_sends_the_retry(played):
    results, _ = played
    sent = results[1]
    assert sent.snapshot.stop.thread == "main-app"
    assert sent.result == "Queue 'celery' depth 1; state PENDING"
    assert "and retries header 0, sent by main-app" in sent.evaluation
    retry_sent = results[3]
    assert retry_sent.snapshot.stop.thread == "worker-1"
    short_id = sent.snapshot.task.short_id
    assert retry_sent.evaluation.endswith(
        f"same id {short_id}, sent by worker-1, with retries header 1"
    )
    # the new message exists before anything is stored for the first try
    assert "Queue depth 1 again, and the state is still STARTED" in retry_sent.result
    [message] = retry_sent.snapshot.queues["celery"]
    assert message.id == sent.snapshot.task.id and message.retries == 1
    assert "retries 1" in plain_text(queue_panel(retry_sent.snapshot))


def test_retry_raises_and_ends_the_try_then_retry_is_stored(played):
    results, _ = played
    raised = results[4]
    assert raised.snapshot.stage is Stage.RAISED
    assert raised.evaluation == (
        "retry requested: Retry in 1s: ConnectionError('server busy (call 1)')"
    )
    assert not raised.snapshot.task.returned
    stored = results[5]
    assert stored.evaluation == "The backend holds status RETRY with the server's error"
    assert stored.snapshot.task.stored["result"]["exc_type"] == "ConnectionError"
    # RETRY does not wake the caller: it is still in get()
    assert stored.result.endswith("so the caller's result.get(timeout=5) keeps waiting")
    assert not stored.snapshot.calls[-1].done


def test_the_countdown_is_spent_in_the_workers_timer_not_in_the_queue(played):
    results, _ = played
    waiting = results[6].snapshot
    assert waiting.stage is Stage.SCHEDULED
    assert waiting.depth == 0 and waiting.task.id in waiting.scheduled
    assert results[6].result.startswith("Queue depth 0: the message has left the broker")
    # the timer view, read at that stop: one message, due in about a second
    assert results[6].evaluation.startswith("It has a countdown, so the worker keeps it: 1 message")
    seconds_left = float(results[6].evaluation.rsplit("due in ", 1)[1].removesuffix(" s"))
    assert 0.5 < seconds_left <= 1.0
    hood = plain_text(under_the_hood(waiting))
    assert "in the workers' timers (not in a queue): 1" in hood and "s left)" in hood
    second_try = results[7].snapshot
    assert second_try.stage is Stage.EXECUTING
    assert second_try.task.executed_by == "worker-1-timer"
    # the retry message was put at the end of the first try; the second try starts when its
    # 1 s countdown is over (the test does not pause at stops, so this is the timer's real wait)
    puts = [e for e in second_try.events if e.source == "broker" and e.name == "put"]
    assert len(puts) == 2
    assert 0.9 <= second_try.at - puts[1].at <= 3.0


def test_the_retries_header_counts_up_and_the_third_try_returns(played):
    results, tracker = played
    every_stop = [stop for result in results for stop in result.stops]
    from_worker = _queued_messages(every_stop, "worker-1")
    assert [m.retries for m in from_worker] == [1, 2]
    assert "call 2" in results[8].evaluation
    assert results[8].result.startswith(
        "Queue depth 0 again; retries header 2; 1 in the timer, due in"
    )
    # the retries header as each try reads it: 0 (the caller's message), 1, 2
    assert "self.request.retries is 0" in results[2].evaluation
    assert "self.request.retries is 1" in results[7].result
    assert "self.request.retries = 2" in results[9].evaluation
    assert results[9].result == "Returns tea costs 42 (after 2 retries) in worker-1-timer"
    final = results[10].snapshot
    assert final.task.state == "SUCCESS" and final.depth == 0
    puts = [e for e in final.events if e.source == "broker" and e.name == "put"]
    assert [e.task_id for e in puts] == [final.task.id] * 3
    assert [c.label for c in LESSON.tracker] == [
        "After Step 3",
        "After Step 6",
        "After Step 7",
        "After Step 9",
        "Final",
    ]
    assert tracker["state"] == ["STARTED", "RETRY", "RETRY", "RETRY", "SUCCESS"]
    assert tracker["retries"] == ["0", "1", "1", "2", "2"]
    assert tracker["queue depth"] == ["0", "1", "0", "0", "0"]
    assert tracker["in the timer"] == ["0", "0", "1", "1", "0"]
    assert tracker["last error"][0] == "undefined" and "call 1" in tracker["last error"][1]
    assert tracker["result"][-1] == "tea costs 42 (after 2 retries)"


def test_the_callers_get_waits_through_both_retries_on_the_runs_own_clock(played):
    results, _ = played
    assert "the caller is in result.get(timeout=5)" in results[2].result
    end = results[10]
    delay_call, get_call = end.snapshot.calls
    assert get_call.value == "tea costs 42 (after 2 retries)" and get_call.error is None
    # two 1 s countdowns; the test does not pause, and pauses would not count anyway
    assert 1900 <= get_call.work_ms <= 4000
    assert end.result == (
        f"delay() took {delay_call.work_ms:.1f} ms; get() waited {get_call.work_ms:.0f} ms "
        "through both RETRYs and returned tea costs 42 (after 2 retries)"
    )
    # the second try starts about a second into the run's own clock
    assert "ms into the run (the run's own clock: your reading time is left out)" in (
        results[7].evaluation
    )


def _variant(name):
    with LessonRun(LESSON, name) as lesson_run:
        return lesson_run.finish()


@pytest.fixture(scope="module")
def never_recovers():
    """The 'server never recovers' what-if played step by step (about 3 s: three countdowns)."""
    assert has_steps(LESSON, "always-fails")
    with variant_lesson_run(LESSON, "always-fails") as lesson_run:
        results = lesson_run.play_all()
        variant = variant_lesson(LESSON, "always-fails")
        tracker = {
            v.name: [lesson_run.tracker_value(v.name, c.after_step) for c in variant.tracker]
            for v in variant.variables
        }
        yield results, tracker


def test_a_server_that_never_recovers_is_played_try_by_try(never_recovers):
    results, tracker = never_recovers
    assert len(results) == 6
    first, second, third, last_try, stored, end = results
    for step, call in ((first, 1), (second, 2), (third, 3)):
        assert step.snapshot.stage is Stage.SCHEDULED
        assert step.evaluation == (
            f"retry requested: Retry in 1s: ConnectionError('server busy (call {call})')"
        )
    assert first.result.startswith("State RETRY; retries header 1; 1 in the timer, due in")
    assert second.result == "State RETRY; retries header 2; 1 in the timer"
    assert third.result.startswith("Retries header 3:")
    # the fourth try: retry() gives up and re-raises the exc= it was given, sending nothing
    assert last_try.snapshot.stage is Stage.RAISED
    assert "self.request.retries = 3, not below max_retries" in last_try.action
    assert last_try.evaluation == (
        "It re-raises the exc= it was given: ConnectionError: server busy (call 4)"
    )
    assert last_try.result.startswith("No Retry this time, and queue depth 0, 0 in the timer")
    # FAILURE stored with a traceback through the sample's own lines
    assert stored.evaluation == "The backend holds FAILURE"
    lines = stored.result.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-1] == "ConnectionError: server busy (call 4)"
    assert "    raise self.retry(exc=exc, countdown=1)" in lines
    assert all("always-fails>" in line for line in lines if line.lstrip().startswith("File "))
    # the caller's get() raised the task's own error, about three countdowns later
    assert end.evaluation.startswith("It raised ConnectionError: server busy (call 4), the task")
    waited = end.snapshot.calls[-1].work_ms
    assert 2900 <= waited <= 5000
    assert end.result.endswith("is FAILURE after 3 retries; nothing more happens")
    assert tracker["retries"] == ["1", "2", "3", "3", "3"]
    assert tracker["in the timer"] == ["1", "1", "1", "0", "0"]
    assert tracker["state"][-1] == "FAILURE"
    assert tracker["the caller's get()"] == ["undefined"] * 4 + [
        "ConnectionError: server busy (call 4)"
    ]


@pytest.mark.parametrize(
    ("variant", "error"),
    [
        ("always-fails", "ConnectionError: server busy (call 4)"),
        ("default-limit", "ConnectionError: server busy (call 4)"),
        ("no-exc", "MaxRetriesExceededError: Can't retry tasks.fetch_price"),
    ],
)
def test_a_server_that_never_recovers_gets_three_retries_then_failure(variant, error):
    final = _variant(variant)
    assert final.task.state == "FAILURE"
    assert final.calls[-1].error.startswith(error)
    retried = [e for e in final.events if e.source == "broker" and e.name == "put"]
    assert len(retried) == 4  # the first message and 3 retries: max_retries is 3 by default too
    assert f"raised {error}" in plain_text(variant_outcome(final))


@pytest.mark.parametrize("variant", ["no-raise", "autoretry"])
def test_without_raise_or_with_autoretry_the_outcome_is_the_same(variant):
    final = _variant(variant)
    assert final.task.state == "SUCCESS"
    assert final.task.return_value == "tea costs 42 (after 2 retries)"
    waits = [e for e in final.events if e.source == "timer" and e.name == "scheduled"]
    assert len(waits) == 2


def test_the_quiz_is_graded_by_what_the_run_showed():
    answers = shipped_answers("retry")
    assert answers[0][0].startswith("B (worker-1")
    assert answers[1][0].startswith("C (RETRY")
    assert answers[2][0].startswith("A (0")
    assert answers[3][0].startswith("B (tea costs 42 (after 2 retries)")
    # the prediction about the never-recovering what-if, graded by its own run
    assert answers[4][0].startswith("B (FAILURE")
    assert answers[4][1].startswith("It stored FAILURE: retry() found no retry left")
