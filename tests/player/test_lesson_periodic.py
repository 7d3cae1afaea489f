"""The periodic lesson replayed on real Celery: what the learner reads is what celery beat did.

beat (Celery's own scheduler, in a thread named beat) publishes send_report every 2 s of the
run's time; worker-1 runs each message; the main app only reads beat_schedule. With no worker the
messages pile up, PENDING; a report slower than the schedule lets the queue grow while beat keeps
sending; two beat services send every report twice.
"""

from __future__ import annotations

import itertools

import pytest

from tests.player.played import plain_text, play_lesson
from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.player.whatif import run_variant
from tutor.render.hood import queue_panel

COURSE = load_course()
LESSON = COURSE.lesson("periodic")


@pytest.fixture(scope="module")
def played():
    """The lesson played headless to its last step: (step results, tracker rows)."""
    return play_lesson(LESSON)


def test_before_anything_is_due_beat_counts_down_and_nothing_is_sent(played):
    results, _ = played
    first = results[0]
    assert first.evaluation == (
        "beat_schedule entry 'report-every-2s': tasks.send_report every 2 s, first due in 2.0 s"
    )
    assert first.result == "worker-1 is idle; the queue holds 0 messages; beat has sent 0"
    assert first.snapshot.tasks == ()


def test_beat_not_the_main_app_publishes_the_due_message(played):
    results, _ = played
    sent = results[1]
    snapshot = sent.snapshot
    [message] = snapshot.queues["celery"]
    assert message.task == "tasks.send_report" and message.args == ("daily",)
    assert message.headers["celery_beat_task"] is True  # Celery marks what beat sends
    [report] = snapshot.tasks
    assert report.published_by == "beat" and report.published_line is None
    assert snapshot.stop.thread == "beat"
    assert (
        sent.action == "2 s into the run, 'report-every-2s' is due: beat sends send_report('daily')"
    )
    assert sent.evaluation == (
        f"Message {report.short_id} was published by thread 'beat'; the main app only read the "
        "setting (dict) and is finished"
    )
    assert sent.result.startswith(
        "Queue 'celery' holds 1; state PENDING; beat has sent 1, next in "
    )
    [call] = snapshot.calls
    assert call.source == "current_app.conf.beat_schedule"
    entry = call.value["report-every-2s"]
    assert entry["task"] == "tasks.send_report" and entry["args"] == ["daily"]
    assert entry["schedule"] == "<freq: 2.00 seconds>"  # Celery's own schedule object
    hood = plain_text(queue_panel(snapshot))
    assert "sent by beat (header celery_beat_task)" in hood
    assert (
        "beat 'report-every-2s': tasks.send_report(\"daily\") every 2 s · sent 1 · next in" in hood
    )


def test_a_worker_runs_the_body_while_beat_counts_down_to_the_next_send(played):
    results, _ = played
    running = results[2]
    report = running.snapshot.tasks[0]
    assert report.executed_by == "worker-1" and report.state == "STARTED"
    assert running.evaluation == "The body runs in worker-1, not in beat; state STARTED"
    assert running.result.startswith("Queue depth 0; beat is running, its next send due in ")
    [entry] = running.snapshot.beat
    assert 0 < entry.seconds_left <= 2.0 and entry.total_run_count == 1


def test_beat_sends_every_two_seconds_of_run_time_then_is_stopped(played):
    results, tracker = played
    final = results[-1].snapshot
    reports = final.tasks
    assert [t.published_by for t in reports] == ["beat"] * 3
    assert [t.executed_by for t in reports] == ["worker-1"] * 3
    assert [t.state for t in reports] == ["SUCCESS"] * 3
    run_times = [final.active_time(t.published_at) for t in reports]
    assert all(b - a >= 1.9 for a, b in itertools.pairwise(run_times))  # never sooner than due
    assert results[4].result == (
        "Queue 'celery' holds 1; beat is stopped (this lesson stops it after 3 sends so the run "
        "can end)"
    )
    assert results[-1].evaluation == (
        "beat, beat and beat published; worker-1, worker-1 and worker-1 ran the bodies"
    )
    assert tracker == {
        "beat has sent": ["undefined", "1", "1", "2", "3"],
        "beat": ["undefined", "running", "running", "running", "stopped"],
        "queue depth": ["undefined", "1", "0", "1", "0"],
        "latest report state": ["undefined", "PENDING", "STARTED", "PENDING", "SUCCESS"],
        "worker-1": ["undefined", "idle", "executing", "idle", "idle"],
    }


def test_with_no_worker_beat_still_sends_and_the_messages_pile_up():
    outcome = run_variant(LESSON, "no-worker")
    assert outcome.played is not None
    first, second, end = outcome.played.results
    assert first.result.startswith("Queue 'celery' holds 1; state PENDING; next send in ")
    assert second.result == "Queue 'celery' holds 2; the first report is PENDING"
    assert end.evaluation == "Queue 'celery' holds 3 messages; the backend holds 0 results"
    assert end.result == "States PENDING, PENDING, PENDING: no body ran"
    final = outcome.snapshot
    assert final.depth == 3 and final.workers == ()
    assert all(t.published_by == "beat" and t.executed_by is None for t in final.tasks)


def test_a_report_slower_than_the_schedule_lets_the_queue_grow():
    outcome = run_variant(LESSON, "slow-report")
    assert outcome.played is not None
    started, returned, end = outcome.played.results
    assert started.snapshot.depth == 0
    assert returned.snapshot.depth == 2
    assert returned.result == "Queue 'celery' holds 2: both wait for worker-1"
    first, second, third = outcome.snapshot.tasks
    assert second.published_at < first.finished_at and third.published_at < first.finished_at
    assert end.result == "States SUCCESS, SUCCESS, SUCCESS; queue depth 0"


def test_two_beat_services_send_and_run_every_report_twice():
    outcome = run_variant(LESSON, "two-beats")
    final = outcome.snapshot
    assert sorted(t.published_by for t in final.tasks) == ["beat"] * 3 + ["beat-2"] * 3
    assert [t.state for t in final.tasks] == ["SUCCESS"] * 6
    assert [(e.service, e.total_run_count) for e in final.beat] == [("beat", 3), ("beat-2", 3)]
    assert outcome.played is not None
    assert outcome.played.results[-1].action == "Both services stopped: beat sent 3, beat-2 sent 3"


def test_the_predictions_are_what_the_runs_show():
    answers = shipped_answers("periodic")
    assert answers[0][0].startswith("B (beat,")
    assert answers[1][0].startswith("C (3,")
