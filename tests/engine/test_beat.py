"""celery beat inside a run: Celery's real scheduler sends on the run's clock, for real."""

from __future__ import annotations

import itertools
import time

import pytest

from tests.conftest import live_threads_beyond
from tutor.engine import BeatEntrySpec, BeatSpec, SampleError, Stage

QUICK = """from celery import shared_task

@shared_task
def send_report(label):
    return f"report {label}"

print("the main app does its own work")
"""

SLOW = """import time
from celery import shared_task

@shared_task
def send_report(label):
    time.sleep(0.6)  # slower than the schedule, in plain sight
    return f"report {label}"

print("the main app does its own work")
"""


def _beat(every: float = 0.3, stop_after: int = 3, services: int = 1) -> BeatSpec:
    entry = BeatEntrySpec("report", "tasks.send_report", every, args=("daily",))
    return BeatSpec(schedule=(entry,), stop_after=stop_after, services=services)


def _beat_publishes(snapshot):
    return [t for t in snapshot.tasks if t.published_by and t.published_by.startswith("beat")]


def test_beat_sends_each_entry_when_due_on_the_run_clock(start_run):
    run = start_run(QUICK, beat=_beat(every=0.3, stop_after=3))
    snapshots = run.run_to_end()
    last = snapshots[-1]
    sent = _beat_publishes(last)
    assert [t.name for t in sent] == ["tasks.send_report"] * 3
    assert [t.args for t in sent] == [("daily",)] * 3
    assert all(t.state == "SUCCESS" and t.executed_by == "worker-1" for t in sent)
    run_times = [last.active_time(t.published_at) for t in sent]
    gaps = [later - earlier for earlier, later in itertools.pairwise(run_times)]
    assert all(gap >= 0.25 for gap in gaps), gaps  # never sooner than due (send lag aside)
    queued = [s for s in snapshots if s.stage is Stage.QUEUED]
    assert [s.stop.thread for s in queued] == ["beat"] * 3
    publish_events = [e for e in last.events if e.name == "before_task_publish"]
    assert [e.thread for e in publish_events] == ["beat"] * 3
    (entry,) = last.beat
    assert (entry.name, entry.task, entry.total_run_count) == ("report", "tasks.send_report", 3)
    assert entry.active is False and entry.seconds_left is None
    assert entry.every == 0.3 and entry.schedule.startswith("<freq: ")  # Celery's own repr


def test_the_countdown_to_the_next_send_stands_still_while_the_run_is_paused(start_run):
    run = start_run(QUICK, beat=_beat(every=0.3, stop_after=3))
    first = run.advance_to(Stage.QUEUED)
    assert first.stop.thread == "beat"
    (entry,) = first.beat
    assert entry.total_run_count == 1 and entry.last_run_at is not None
    assert 0.0 < entry.seconds_left <= 0.3
    time.sleep(1.0)  # the learner reads: three intervals of real time pass
    (again,) = run.snapshot(first.stop).beat
    assert again.total_run_count == 1
    assert again.seconds_left == pytest.approx(entry.seconds_left, abs=0.02)
    after = run.advance()  # the worker takes the one message; beat sent nothing meanwhile
    assert after.stage is Stage.RECEIVED and after.depth == 0
    assert after.beat[0].total_run_count == 1


def test_a_worker_slower_than_the_schedule_lets_messages_pile_up(start_run):
    run = start_run(SLOW, beat=_beat(every=0.2, stop_after=4))
    snapshots = run.run_to_end()
    depths = [s.depth for s in snapshots]
    assert max(depths) >= 2, depths
    last = snapshots[-1]
    first, second = _beat_publishes(last)[:2]
    assert second.published_at < first.finished_at  # beat did not wait for the slow body
    assert len(_beat_publishes(last)) == 4
    assert all(t.state == "SUCCESS" for t in last.tasks)


def test_beat_only_sends_with_no_worker_nothing_runs(start_run):
    run = start_run(QUICK, beat=_beat(every=0.2, stop_after=3), workers=())
    last = run.run_to_end()[-1]
    assert last.depth == 3
    assert all(t.state == "PENDING" and t.executed_by is None for t in last.tasks)


def test_two_beat_services_send_every_message_twice(start_run):
    run = start_run(QUICK, beat=_beat(every=0.3, stop_after=2, services=2))
    last = run.run_to_end()[-1]
    senders = sorted(t.published_by for t in _beat_publishes(last))
    assert senders == ["beat", "beat", "beat-2", "beat-2"]
    assert [e.service for e in last.beat] == ["beat", "beat-2"]


def test_closing_a_run_stops_beat_and_leaves_no_thread(start_run, thread_baseline):
    run = start_run(QUICK, beat=_beat(every=0.2, stop_after=50))
    run.advance_to(Stage.QUEUED)
    run.close()
    assert live_threads_beyond(thread_baseline) == []


def test_an_entry_naming_no_task_of_the_sample_is_one_clear_line(start_run):
    spec = BeatSpec(schedule=(BeatEntrySpec("report", "tasks.nope", 1.0),))
    with pytest.raises(SampleError) as raised:
        start_run(QUICK, beat=spec)
    text = str(raised.value)
    assert "beat entry 'report' sends 'tasks.nope'" in text and "tasks.send_report" in text
    assert "\n" not in text


def test_the_time_before_the_first_advance_is_not_run_time(start_run):
    run = start_run(QUICK, beat=_beat(every=0.3, stop_after=2))
    time.sleep(0.8)  # the learner reads the lesson's first screen
    first = run.advance()
    assert first.stage is Stage.DEFINED
    (entry,) = first.beat
    assert entry.total_run_count == 0 and entry.seconds_left > 0.25
    assert first.depth == 0 and first.tasks == ()


def test_beat_keeps_its_schedule_in_memory_and_writes_no_file(start_run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # `celery beat` would write celerybeat-schedule here
    run = start_run(QUICK, beat=_beat(every=0.2, stop_after=2))
    run.run_to_end()
    run.close()
    assert list(tmp_path.iterdir()) == []
