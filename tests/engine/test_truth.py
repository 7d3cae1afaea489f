"""Truth first: what a learner sees is what the run really did, at the stop it describes.

Real Celery, no mocks. The learner's pauses (time.sleep between advances) never count against the
sample's own clocks; snapshots are read while every other thread is held; tracebacks are the
sample's own.
"""

from __future__ import annotations

import time

import pytest

from tutor.engine import RunStalled, Stage

FILENAME = "<lesson failure>"

TASKS = """from celery import shared_task

@shared_task
def add(x, y):
    return x + y

@shared_task
def divide(x, y):
    return x / y

"""


def play(run, pause=0.0, until=None):
    """Advance to the end (or to `until`), holding each stop `pause` seconds like a reader."""
    snapshots = []
    while True:
        snapshot = run.advance()
        snapshots.append(snapshot)
        if snapshot.stage is Stage.FINISHED or snapshot.stage is until:
            return snapshots
        time.sleep(pause)


def events(snapshot, name):
    return [event for event in snapshot.events if event.name == name]


# ---------------------------------------------------------------------------- 1. the run's clock
def test_a_get_timeout_counts_the_runs_time_not_the_learners_pauses(start_run):
    run = start_run(TASKS + "r = add.delay(2, 3)\nr.get(timeout=1)\n", filename=FILENAME)
    final = play(run, pause=0.35)[-1]
    held = sum(end - start for start, end in final.pauses)
    assert held > 2.0  # far longer than the sample's timeout
    call = final.calls[1]
    assert call.error is None and call.value == 5
    # the wait itself was short in run time: the pauses are not in it
    assert 0 < call.waited_ms < 500
    [waited] = events(final, "waited")
    assert waited.data["polls"] >= 1 and waited.run_at is not None


def test_a_get_timeout_still_times_out_in_run_time_when_nothing_answers(start_run):
    run = start_run(TASKS + "r = add.delay(2, 3)\nr.get(timeout=0.3)\n", workers=())
    final = play(run, pause=0.2)[-1]
    call = final.calls[1]
    assert call.error is not None and call.error.startswith("TimeoutError")
    assert 250 <= call.waited_ms < 3000
    # the FINISHED stop came only once the wait had really timed out
    assert final.caller_done


def test_a_wait_longer_than_the_stage_limit_is_reported_at_its_line(start_run):
    code = TASKS + "r = add.delay(2, 3)\nr.get(timeout=30)\n"
    run = start_run(code, workers=(), stage_timeout=0.5)
    with pytest.raises(RunStalled) as stalled:
        play(run)
    assert stalled.value.line == code.splitlines().index("r.get(timeout=30)") + 1


def test_a_countdown_fires_after_its_seconds_of_run_time_however_long_the_pause(start_run):
    run = start_run(TASKS + "r = add.apply_async((2, 3), countdown=1)\n")
    scheduled = play(run, until=Stage.SCHEDULED)[-1]
    assert scheduled.stage is Stage.SCHEDULED
    [entry] = scheduled.timer
    assert 0.8 < entry.seconds_left <= 1.0
    time.sleep(2.0)  # the learner reads the SCHEDULED stop for 2 s
    again = run.snapshot(scheduled.stop)
    assert abs(again.timer[0].seconds_left - entry.seconds_left) < 0.02  # the clock stood still
    moved_on = time.monotonic()
    executing = run.advance()
    waited_after = time.monotonic() - moved_on
    assert executing.stage is Stage.EXECUTING and executing.stop.thread == "worker-1-timer"
    assert waited_after > 0.8  # it still waited its countdown after the learner moved on
    [put] = events(executing, "put")
    [fired] = events(executing, "fired")
    assert fired.run_at - put.run_at >= 0.95
    assert fired.at - put.at >= 2.9  # wall time: the pause plus the countdown
    assert executing.timer == ()


def test_expires_counts_the_runs_time_not_the_learners_pauses(start_run):
    run = start_run(TASKS + "r = add.apply_async((2, 3), expires=0.5)\n")
    final = play(run, pause=0.4)[-1]
    assert sum(end - start for start, end in final.pauses) > 1.0
    assert final.task.state == "SUCCESS" and final.task.return_value == 5


# ---------------------------------------------------------------------------- 2. tracebacks
def test_the_traceback_is_the_samples_own_frames_as_plain_lines(start_run):
    run = start_run(TASKS + "r = divide.delay(1, 0)\nr.get(propagate=False)\n", filename=FILENAME)
    final = play(run)[-1]
    task = final.task
    line = (TASKS.splitlines().index("    return x / y")) + 1
    assert task.traceback_lines == (
        "Traceback (most recent call last):",
        f'  File "{FILENAME}", line {line}, in divide',
        "    return x / y",
        "ZeroDivisionError: division by zero",
    )
    assert task.traceback == "\n".join(task.traceback_lines)
    assert task.stored["traceback"] == task.traceback  # what the backend holds, too
    for text in (task.traceback, task.stored["traceback"]):
        assert "site-packages" not in text and "tutor" not in text and "\\n" not in text
    assert task.exception_type == "ZeroDivisionError"
    assert task.exception == "ZeroDivisionError: division by zero"


def test_a_task_that_raised_is_told_from_one_that_never_ran(start_run):
    raised = play(start_run(TASKS + "divide.delay(1, 0)\n"))[-1].task
    assert raised.raised and raised.started_at is not None and raised.outcome == "failure"
    never = play(start_run(TASKS + "divide.delay(1, 0)\n", workers=()))[-1].task
    assert not never.raised and never.started_at is None and never.exception is None
    assert never.outcome is None and never.state == "PENDING"


# ---------------------------------------------------------------------------- 3. read at the stop
def test_each_snapshot_shows_the_state_at_its_own_stop(start_run):
    code = TASKS + "r = add.delay(2, 3)\nr.ready()\nr.state\n"
    run = start_run(code)
    snapshots = play(run)
    for index, snapshot in enumerate(snapshots):
        reached = {s.stage for s in snapshots[: index + 1]}
        task = snapshot.task
        if task is None:
            continue
        if Stage.EXECUTING not in reached:
            assert task.state == "PENDING", (snapshot.stop, task.state)
        if Stage.STORED not in reached:
            assert task.state != "SUCCESS", (snapshot.stop, task.state)
    state_line = code.splitlines().index("r.state") + 1
    [at_state_line] = [
        s for s in snapshots if s.stage is Stage.CALLING and s.stop.line == state_line
    ]
    assert at_state_line.task.state == "PENDING"  # the worker only received it so far
    assert [c.value for c in at_state_line.calls] == [None, False]
    # the caller read the state the worker was really in when line 13 ran
    assert snapshots[-1].calls[2].value == "STARTED"


FLAKY = """
@shared_task(bind=True, max_retries=3)
def flaky(self, n):
    if self.request.retries < 2:
        raise self.retry(countdown=0.1)
    return n * 2

"""


def test_the_stops_and_what_each_shows_are_the_same_every_time(start_run):
    for code in (
        TASKS + "r = add.delay(2, 3)\nr.get(timeout=5)\nr.state\n",
        TASKS + FLAKY + "r = flaky.delay(21)\nr.get(timeout=5)\n",
    ):
        plays = set()
        for _ in range(4):
            plays.add(
                tuple(
                    (s.stage, s.stop.thread, s.stop.line, tuple(e.name for e in s.events))
                    for s in play(start_run(code))
                )
            )
        assert len(plays) == 1


def test_the_caller_goes_on_after_the_result_is_stored_not_during(start_run):
    run = start_run(TASKS + "r = add.delay(2, 3)\nr.get(timeout=5)\nr.state\n")
    snapshots = play(run)
    stages = [s.stage for s in snapshots]
    stored = stages.index(Stage.STORED)
    assert stages[stored + 1] is Stage.CALLING  # the next line, after the STORED stop
    waited = events(snapshots[-1], "waited")[0]
    polls = [e for e in snapshots[-1].events if e.name == "poll"]
    assert polls[0].data["state"] == "PENDING" and polls[-1].data["state"] == "SUCCESS"
    assert polls[-1].seq < waited.seq
