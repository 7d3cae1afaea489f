"""The retry lesson replayed on real Celery: what the learner sees is what self.retry() does.

Each assertion reads a value the learner is shown (a filled step, a tracker cell, a panel, a
what-if outcome) and checks it against the fact the lesson teaches: retry() publishes a new
message from the worker and raises; RETRY is stored between tries; the countdown is spent in
the worker's timer with the queue empty; the retries header counts up; max_retries stops it.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.content.loader import load_course
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import real_answers
from tutor.render.hood import queue_panel, under_the_hood
from tutor.render.page import variant_outcome

COURSE = load_course()
LESSON = COURSE.lesson("retry")


def plain_text(renderable) -> str:
    """What the learner reads: the renderable printed without colour, wide enough not to wrap."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def played():
    """The lesson's own run, every step reached (about 2 s: two 1 s countdowns)."""
    with LessonRun(LESSON) as lesson_run:
        results = lesson_run.play_all()
        tracker = {
            v.name: [lesson_run.tracker_value(v.name, c.after_step) for c in LESSON.tracker]
            for v in LESSON.variables
        }
        yield results, tracker


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
    retry_sent = results[3]
    assert retry_sent.snapshot.stop.thread == "worker-1"
    short_id = sent.snapshot.task.short_id
    assert retry_sent.evaluation.endswith(f"same id {short_id}, sent by worker-1")
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


def test_the_countdown_is_spent_in_the_workers_timer_not_in_the_queue(played):
    results, _ = played
    waiting = results[6].snapshot
    assert waiting.stage is Stage.SCHEDULED
    assert waiting.depth == 0 and waiting.task.id in waiting.scheduled
    assert results[6].result.startswith("Queue depth 0: the message has left the broker")
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
    assert results[8].result.startswith("Queue depth 0 again; the task waits in the worker's timer")
    assert results[9].result == "Returns tea costs 42 (after 2 retries) in worker-1-timer"
    final = results[10].snapshot
    assert final.task.state == "SUCCESS" and final.depth == 0
    puts = [e for e in final.events if e.source == "broker" and e.name == "put"]
    assert [e.task_id for e in puts] == [final.task.id] * 3
    assert tracker["state"] == ["undefined", "STARTED", "RETRY", "STARTED", "SUCCESS"]
    assert tracker["queue depth"] == ["undefined", "0", "1", "0", "0"]
    assert tracker["last error"][1] == "undefined" and "call 1" in tracker["last error"][2]
    assert tracker["result"][-1] == "tea costs 42 (after 2 retries)"


def _variant(name):
    with LessonRun(LESSON, name) as lesson_run:
        return lesson_run.finish()


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
    answers = real_answers(LESSON, COURSE.quiz("retry"))
    assert answers[0][0].startswith("B (worker-1")
    assert answers[1][0].startswith("C (RETRY")
    assert answers[2][0].startswith("A (0")
    assert answers[3][0].startswith("B (tea costs 42 (after 2 retries)")
