"""The scheduling lesson, replayed on real Celery: what the learner reads is what Celery did.

A countdown message leaves the queue at once and waits in the worker's timer (queues empty, state
PENDING, one message in worker-1's timer); a message routed to 'emails' is taken by the worker
consuming 'emails' only, and with nobody on 'emails' (the what-if played step by step) it stays
there; delay() refuses options with a TypeError in the caller; expires= turns a late message into
REVOKED.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.player.played import play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.player.whatif import run_variant

COURSE = load_course()
LESSON = COURSE.lesson("scheduling")


@pytest.fixture(scope="module")
def played():
    """The lesson played headless to its last step: (step results, tracker rows)."""
    return play_lesson(LESSON)


def test_the_routed_message_waits_in_its_own_queue_and_only_its_worker_takes_it(played):
    results, _ = played
    queued = results[1].snapshot
    assert queued.queue_depth("emails") == 1 and queued.queue_depth("celery") == 0
    [message] = queued.queues["emails"]
    assert message.task == "tasks.send_welcome" and message.queue == "emails"
    assert "Queue 'emails' holds 1 message, 'celery' 0 (state PENDING); worker-1 is idle" in (
        results[1].result
    )

    received = results[2].snapshot
    assert received.stop.thread == "worker-2"
    welcome = received.tasks[0]
    assert welcome.received_by == "worker-2" and welcome.state == "PENDING"
    assert results[2].action.startswith("worker-2 takes message ")
    assert "Queue 'emails' is down to 0" in results[2].result


def test_the_countdown_message_enters_the_queue_with_an_eta_then_leaves_it_at_once(played):
    results, _ = played
    sent = results[3].snapshot
    [message] = sent.queues["celery"]
    assert message.task == "tasks.add" and message.eta is not None
    assert results[3].action == "Call add.apply_async((4, 6), countdown=2)"
    assert "('celery' holds 1, 'emails' 0; state PENDING)" in results[3].result
    assert f"carries the ETA {message.eta[:23]} (UTC)" in results[3].evaluation

    waiting = results[4].snapshot
    add = waiting.tasks[1]
    assert waiting.depth == 0
    assert add.id in waiting.scheduled  # in worker-1's timer, not in any queue
    assert add.received_by == "worker-1" and add.executed_by is None
    assert add.state == "PENDING"
    assert results[4].result == "'celery' holds 0, 'emails' 0; add's state: PENDING"
    # the timer as the learner reads it: one message, the ETA step 4 showed, two seconds to go
    evaluation = results[4].evaluation
    assert evaluation.startswith("It does not run it yet: 1 message waits in worker-1's timer ")
    assert f"until {add.eta[:23]}, " in evaluation
    seconds_left = float(evaluation.rsplit(", ", 1)[1].removesuffix(" s from now"))
    assert 1.5 <= seconds_left <= 2.0  # the countdown is barely spent when worker-1 parks it


def test_the_timer_runs_add_two_seconds_after_it_was_sent(played):
    results, _ = played
    running = results[5].snapshot
    add = running.tasks[1]
    assert running.stop.thread == "worker-1-timer" and add.executed_by == "worker-1-timer"
    assert add.state == "STARTED" and running.depth == 0
    assert running.at - add.published_at >= 1.9  # the body starts no sooner than the countdown
    eta = datetime.fromisoformat(add.eta)
    welcome_done = datetime.fromisoformat(running.tasks[0].stored["date_done"])
    assert (eta - welcome_done).total_seconds() > 1.5  # sent second, add runs well after the mail
    assert results[5].action == "The ETA has come: worker-1-timer runs add(4, 6)"


def test_both_tasks_end_where_they_were_routed(played):
    results, tracker = played
    final = results[-1].snapshot
    welcome, add = final.tasks
    assert (welcome.executed_by, welcome.return_value, welcome.state) == (
        "worker-2",
        "welcome mail for ada@example.com",
        "SUCCESS",
    )
    assert (add.executed_by, add.return_value, add.state) == ("worker-1-timer", 10, "SUCCESS")
    assert all(call.work_ms < 500 for call in final.calls)  # neither option made the caller wait
    assert tracker == {
        "'emails' queue": ["undefined", "1", "0", "0", "0"],
        "'celery' queue": ["undefined", "0", "1", "0", "0"],
        "in a worker's timer": ["undefined", "0", "0", "1", "0"],
        "welcome taken by": ["undefined", "undefined", "worker-2", "worker-2", "worker-2"],
        "add state": ["undefined", "undefined", "PENDING", "PENDING", "SUCCESS"],
        "add run by": ["undefined", "undefined", "undefined", "undefined", "worker-1-timer"],
    }


def test_delay_with_a_countdown_raises_typeerror_in_the_caller_and_sends_nothing():
    with LessonRun(LESSON, "delay-with-options") as lesson_run:
        final = lesson_run.finish()
    [call] = final.calls
    assert call.source == "add.delay(4, 6, countdown=3)"
    assert call.error == "TypeError: add() got an unexpected keyword argument 'countdown'"
    assert final.tasks == () and final.depth == 0


def test_with_nobody_on_emails_the_variant_steps_show_the_message_staying_there():
    outcome = run_variant(LESSON, "no-emails-worker")
    assert outcome.played is not None
    sent, parked, running, end = outcome.played.results
    assert sent.result == "'emails' holds 1; worker-1, consuming 'celery', is idle; state PENDING"
    assert parked.action == "worker-1 takes the add message off 'celery' and keeps it in its timer"
    assert parked.evaluation.startswith("1 message in worker-1's timer, due in ")
    assert parked.result == "'emails' still holds 1, 'celery' 0; add is PENDING"
    assert running.action == "The ETA has come: worker-1-timer runs add(4, 6)"
    assert running.result == "'emails' still holds 1; send_welcome is PENDING"
    welcome, add = end.snapshot.tasks
    assert end.action == "Nothing more happens: worker-1 is idle"
    assert end.evaluation == f"emails still holds 1: message {welcome.short_id}, taken by nobody"
    assert end.result == "send_welcome is PENDING and will stay so; add is SUCCESS (10)"
    final = outcome.snapshot
    assert final.queue_depth("emails") == 1 and final.queues["emails"][0].id == welcome.id
    assert welcome.received_by is None and add.executed_by == "worker-1-timer"
    played = outcome.played
    tracker = {
        v.name: [played.tracker_value(v.name, c.after_step) for c in played.lesson.tracker]
        for v in played.lesson.variables
    }
    assert tracker == {
        "'emails' queue": ["undefined", "1", "1", "1"],
        "'celery' queue": ["undefined", "0", "0", "0"],
        "welcome state": ["undefined", "PENDING", "PENDING", "PENDING"],
        "add run by": ["undefined", "undefined", "worker-1-timer", "worker-1-timer"],
    }


def test_an_expired_message_is_revoked_and_never_runs():
    with LessonRun(LESSON, "expires") as lesson_run:
        final = lesson_run.finish()
    report, add = final.tasks
    assert report.return_value == "report ready" and report.state == "SUCCESS"
    assert add.state == "REVOKED" and not add.returned and add.executed_by is None
    assert add.stored["result"]["exc_message"] == ["expired"]


def test_eta_given_by_hand_waits_like_a_countdown():
    with LessonRun(LESSON, "eta") as lesson_run:
        final = lesson_run.finish()
    [add] = final.tasks
    assert add.return_value == 10 and add.executed_by == "worker-1-timer"
    assert add.started_at - add.published_at >= 1.9


def test_the_predictions_are_what_the_runs_show():
    answers = shipped_answers("scheduling")
    assert answers[0][0].startswith("B (worker-2,")
    assert answers[1][0].startswith("A (PENDING,")  # add in worker-1's timer, at step 5
    assert answers[2][0].startswith("C (worker-1-timer,")
    welcome, why = answers[3]  # the no-emails-worker what-if, at its last step
    assert welcome.startswith("B (PENDING,")
    assert why.startswith("PENDING: 'emails' still holds 1 message at the end.")
