"""What the course's lessons on results, failures, retries and scheduling read from a snapshot."""

from __future__ import annotations

from tutor.engine import Stage, WorkerSpec

TASKS = """import time
from celery import shared_task

@shared_task
def add(x, y):
    return x + y

@shared_task
def slow():
    time.sleep(0.6)
    return "done"

@shared_task(bind=True, max_retries=3)
def flaky(self, n):
    if self.request.retries < 2:
        raise self.retry(countdown=0.1)
    return n * 2

"""


def play(run):
    return run.run_to_end()


def test_a_queue_no_worker_consumes_shows_its_waiting_message(start_run):
    run = start_run(TASKS + "add.apply_async((1, 2), queue='emails')\n")
    final = play(run)[-1]
    assert [m.args for m in final.queues["emails"]] == [(1, 2)]
    assert final.queues["celery"] == ()
    assert final.task.state == "PENDING" and final.task.started_at is None


def test_two_workers_on_two_queues_each_take_only_their_own(start_run):
    workers = (WorkerSpec("worker-1", ("celery",)), WorkerSpec("emails-worker", ("emails",)))
    code = TASKS + "add.delay(1, 2)\nadd.apply_async((3, 4), queue='emails')\n"
    final = play(start_run(code, workers=workers))[-1]
    by_args = {task.args: task for task in final.tasks}
    assert by_args[(1, 2)].executed_by == "worker-1" and by_args[(1, 2)].queue == "celery"
    assert by_args[(3, 4)].executed_by == "emails-worker" and by_args[(3, 4)].queue == "emails"
    assert all(task.state == "SUCCESS" for task in final.tasks)


def test_the_timer_view_names_each_waiting_entry(start_run):
    run = start_run(TASKS + "add.apply_async((2, 3), countdown=2)\n")
    scheduled = run.advance_to(Stage.SCHEDULED)
    [entry] = scheduled.timer
    assert entry.task_id == scheduled.task.id and entry.task_name == "tasks.add"
    assert entry.worker == "worker-1" and entry.eta == scheduled.task.eta is not None
    assert 1.5 < entry.seconds_left <= 2.0
    assert list(scheduled.scheduled) == [entry.task_id]


def test_retries_count_up_at_each_stop_with_retry_stored_between_tries(start_run):
    snapshots = play(start_run(TASKS + "r = flaky.delay(21)\n"))
    final = snapshots[-1]
    puts = [e for e in final.events if e.name == "put"]
    assert [e.data["retries"] for e in puts] == [0, 1, 2]
    assert len([e for e in final.events if e.name == "task_retry"]) == 2
    stored = [s for s in snapshots if s.stage is Stage.STORED]
    assert [s.task.state for s in stored] == ["RETRY", "RETRY", "SUCCESS"]
    for snapshot in snapshots:
        seen = [e for e in snapshot.events if e.name == "put"]
        if snapshot.task is not None:
            assert snapshot.task.retries == seen[-1].data["retries"]
            assert snapshot.task.publishes == len(seen)
    assert final.task.retries == 2 and final.task.return_value == 42
    assert final.task.outcome == "success" and not final.task.raised


def test_a_message_that_expired_behind_a_busy_worker_is_revoked_unrun(start_run):
    code = TASKS + "slow.delay()\nr = add.apply_async((1, 2), expires=0.3)\n"
    snapshots = play(start_run(code))
    final = snapshots[-1]
    expired = next(task for task in final.tasks if task.name == "tasks.add")
    assert expired.state == "REVOKED" and expired.outcome == "revoked"
    assert expired.started_at is None and not expired.returned and not expired.raised
    assert not [e for e in final.events if e.name == "executing" and e.task_id == expired.id]
    [revoked] = [e for e in final.events if e.name == "task_revoked"]
    assert revoked.task_id == expired.id and "expired" in revoked.summary
    last_stored = [s for s in snapshots if s.stage is Stage.STORED][-1]
    assert last_stored.stop.task_id == expired.id and "REVOKED" in last_stored.stop.detail


def test_delay_with_a_countdown_is_a_type_error_in_the_caller_and_sends_nothing(start_run):
    final = play(start_run(TASKS + "add.delay(4, 6, countdown=3)\n"))[-1]
    [call] = final.calls
    assert call.error is not None and call.error.startswith("TypeError")
    assert final.tasks == () and final.depth == 0
    assert not [e for e in final.events if e.name == "put"]
