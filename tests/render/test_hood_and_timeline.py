"""Under the hood shows every queue, the workers' timers, retries and a second worker; the
timeline shows the caller blocked in get(); a variant's outcome says a task raised."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from tutor.engine import RunConfig
from tutor.engine.run import Run, WorkerSpec
from tutor.player.timers import timer_entries
from tutor.render.hood import under_the_hood
from tutor.render.page import variant_outcome
from tutor.render.timeline import WAITING, lane_spans, timeline

CODE = """from celery import shared_task
import time

@shared_task(bind=True, default_retry_delay=0.3)
def flaky(self, n):
    if self.request.retries < 1:
        raise self.retry(exc=ValueError("not yet"))
    return n

@shared_task
def slow(n):
    time.sleep(0.05)
    return n / 0

flaky.apply_async((4,), countdown=0.3)
flaky.apply_async((5,), queue="parked")
r = slow.apply_async((1,), queue="other")
r.get(timeout=5)
"""


def _text(renderable, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


@pytest.fixture(scope="module")
def stops():
    workers = (WorkerSpec("worker-1", ("celery",)), WorkerSpec("worker-2", ("other",)))
    run = Run.start(RunConfig(code=CODE, workers=workers))
    try:
        yield run.run_to_end()
    finally:
        run.close()


def test_every_queue_is_shown_with_its_depth_even_one_no_worker_consumes(stops):
    text = _text(under_the_hood(stops[-1]))
    assert "queue 'parked': depth 1 · no worker consumes it" in text
    assert "queue 'other': depth 0" in text and "queue 'celery': depth 0" in text
    assert "worker-2 · queue other" in text and "Workers" in text


def test_the_workers_timer_shows_what_waits_for_its_eta(stops):
    waiting = next(s for s in stops if s.scheduled)
    [entry] = timer_entries(waiting)
    text = _text(under_the_hood(waiting))
    assert "in the workers' timers (not in a queue): 1" in text
    assert f"tasks.flaky {entry.task_id[:8]} due {entry.eta}" in text


def test_seconds_left_in_the_workers_timer_are_shown_in_the_runs_own_time(stops):
    waiting = next(s for s in stops if s.timer)
    [entry] = timer_entries(waiting)
    assert entry.task_id in waiting.scheduled and entry.worker == "worker-1"
    assert entry.seconds_left is not None and 0 < entry.seconds_left <= 1.0
    assert f"({entry.seconds_left:.1f} s left)" in _text(under_the_hood(waiting))


def test_the_retries_of_the_task_a_worker_runs_are_shown(stops):
    again = next(
        s for s in stops if s.stage.value == "executing" and any(t.retries for t in s.tasks)
    )
    assert "tasks.flaky(4,) · retry 1" in _text(under_the_hood(again))


def test_the_timeline_shows_the_caller_blocked_in_get(stops):
    final = stops[-1]
    _, spans = lane_spans(final)
    [wait] = [s for s in spans if s.kind == "waiting"]
    worker = next(s for s in spans if s.lane == "worker-2")
    assert wait.lane == "main-app"
    assert wait.start < worker.end and worker.start < wait.end  # blocked while worker-2 works
    text = _text(timeline(final, width=60))
    main = next(line for line in text.splitlines() if line.startswith("main app"))
    assert WAITING in main and "blocked in get()" in main


def test_a_task_that_raised_is_not_one_that_never_ran(stops):
    text = _text(variant_outcome(stops[-1]))
    assert "raised ZeroDivisionError: division by zero; state FAILURE" in text
    assert "never ran" in text  # the one in the queue nobody consumes
    assert "returned 4 after 1 retry" in text


BEAT_CODE = """from celery import shared_task

@shared_task
def send_report(label):
    return label

print("up")
"""


def test_the_hood_shows_each_beat_entry_counting_down_then_stopped():
    from tutor.engine import BeatEntrySpec, BeatSpec, Stage

    beat = BeatSpec((BeatEntrySpec("report", "tasks.send_report", 0.3, ("daily",)),), stop_after=2)
    with Run.start(RunConfig(code=BEAT_CODE, beat=beat)) as run:
        first = run.advance_to(Stage.QUEUED)
        last = run.run_to_end()[-1]
    shown = _text(under_the_hood(first), width=420)
    left = first.beat[0].seconds_left
    assert "beat 'report': tasks.send_report(\"daily\") every 0.3 s · sent 1" in shown
    assert f"next in {left:.1f} s" in shown
    assert "sent by beat (header celery_beat_task)" in shown
    assert "sent 2 · stopped" in _text(under_the_hood(last), width=420)


def test_the_timeline_gives_each_beat_service_a_lane_with_one_mark_per_send():
    from tutor.engine import BeatEntrySpec, BeatSpec

    beat = BeatSpec((BeatEntrySpec("report", "tasks.send_report", 0.3, ("daily",)),), stop_after=3)
    with Run.start(RunConfig(code=BEAT_CODE, beat=beat)) as run:
        last = run.run_to_end()[-1]
    lanes, spans = lane_spans(last)
    assert lanes == ["main-app", "worker-1", "beat"]
    sends = [span for span in spans if span.lane == "beat"]
    assert len(sends) == 3 and all(span.kind == "busy" for span in sends)
    [row] = [line for line in _text(timeline(last)).splitlines() if line.startswith("beat")]
    assert len(re.findall("█+", row)) == 3  # three marks, apart
