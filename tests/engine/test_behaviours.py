"""Every Celery behaviour the course needs, each against the real engine: no mocks."""

from __future__ import annotations

from tutor.engine import NOT_CONFIGURED, Stage, WorkerSpec

TASKS = """from celery import shared_task, chain, group, chord

@shared_task
def add(x, y):
    return x + y

@shared_task
def total(numbers):
    return sum(numbers)

@shared_task
def divide(x, y):
    return x / y

@shared_task(bind=True, max_retries=3)
def flaky(self, n):
    if self.request.retries < 1:
        raise self.retry(countdown=0.2)
    return n * 2

"""


def test_a_task_that_raises_is_stored_as_failure_with_its_traceback(start_run):
    run = start_run(TASKS + "r = divide.delay(1, 0)\nr.get(propagate=False)\n")
    raised = run.advance_to(Stage.RAISED)
    assert "ZeroDivisionError" in raised.stop.detail
    final = run.run_to_end()[-1]
    task = final.task
    assert task.state == "FAILURE"
    assert task.exception.startswith("ZeroDivisionError")
    assert "ZeroDivisionError" in task.stored["traceback"]
    assert "return x / y" in task.traceback
    # the caller's get(propagate=False) really returned the exception
    assert "ZeroDivisionError" in str(final.calls[1].value)


def test_a_retry_with_countdown_waits_in_the_timer_then_succeeds(start_run):
    run = start_run(TASKS + "r = flaky.delay(21)\n")
    stored = run.advance_to(Stage.STORED)
    assert stored.task.state == "RETRY"
    [retry_message] = stored.queues["celery"]
    assert retry_message.retries == 1 and retry_message.eta is not None
    scheduled = run.advance_to(Stage.SCHEDULED)
    assert scheduled.depth == 0
    assert list(scheduled.scheduled) == [scheduled.task.id]
    executing = run.advance()
    assert executing.stage is Stage.EXECUTING
    assert executing.stop.thread == "worker-1-timer"
    final = run.run_to_end()[-1]
    assert final.task.state == "SUCCESS" and final.task.return_value == 42


def test_apply_async_countdown_waits_in_the_worker_timer_not_the_queue(start_run):
    run = start_run(TASKS + "r = add.apply_async((2, 3), countdown=0.3)\nr.get(timeout=5)\n")
    queued = run.advance_to(Stage.QUEUED)
    assert queued.queues["celery"][0].eta is not None
    scheduled = run.advance_to(Stage.SCHEDULED)
    assert scheduled.depth == 0
    assert scheduled.task.id in scheduled.scheduled
    assert [m.id for m in scheduled.unacked] == [scheduled.task.id]
    final = run.run_to_end()[-1]
    assert final.calls[1].value == 5


def test_chain_passes_each_result_to_the_next_task(start_run):
    run = start_run(TASKS + "r = chain(add.s(1, 2), add.s(3)).delay()\nr.get(timeout=5)\n")
    final = run.run_to_end()[-1]
    assert [t.args for t in final.tasks] == [(1, 2), (3, 3)]
    assert final.calls[1].value == 6
    # the second message was published by the worker, after the first task ran
    assert final.tasks[1].published_by == "worker-1"


def test_group_runs_every_task_and_collects_the_results(start_run):
    run = start_run(TASKS + "g = group(add.s(1, 1), add.s(2, 2)).delay()\ng.get(timeout=5)\n")
    first = run.advance_to(Stage.QUEUED)
    second = run.advance()
    # delay() of a group publishes every message before it returns: both wait in the queue
    assert first.depth == 2 and second.stage is Stage.QUEUED
    assert {first.stop.task_id, second.stop.task_id} == {m.id for m in first.queues["celery"]}
    final = run.run_to_end()[-1]
    assert final.calls[1].value == [2, 4]


def test_chord_runs_its_callback_on_the_header_results(start_run):
    run = start_run(
        TASKS + "c = chord([add.s(1, 1), add.s(2, 2)], total.s()).delay()\nc.get(timeout=5)\n"
    )
    final = run.run_to_end()[-1]
    callback = final.tasks[-1]
    assert callback.name == "tasks.total" and callback.args == ([2, 4],)
    assert final.calls[1].value == 6


def test_two_named_queues_are_served_by_their_own_workers(start_run):
    code = TASKS + (
        "a = add.apply_async((1, 2), queue='fast')\n"
        "b = total.apply_async(([1, 2, 3],), queue='slow')\n"
    )
    workers = (WorkerSpec("worker-fast", ("fast",)), WorkerSpec("worker-slow", ("slow",)))
    run = start_run(code, workers=workers)
    final = run.run_to_end()[-1]
    by_name = {t.name: t for t in final.tasks}
    assert by_name["tasks.add"].queue == "fast"
    assert by_name["tasks.add"].executed_by == "worker-fast"
    assert by_name["tasks.total"].queue == "slow"
    assert by_name["tasks.total"].executed_by == "worker-slow"
    assert {t.state for t in final.tasks} == {"SUCCESS"}


def test_without_a_result_backend_get_raises_the_real_error_explained(start_run):
    run = start_run(TASKS + "r = add.delay(4, 6)\nr.get(timeout=5)\n", result_backend=False)
    final = run.run_to_end()[-1]
    assert final.task.return_value == 10  # the worker did run it
    assert final.task.state == NOT_CONFIGURED
    assert not final.backend.configured
    error = final.calls[1].error
    assert error.startswith("NotImplementedError: No result backend is configured")
    assert "caller cannot get it" in error


def test_ignore_result_leaves_the_state_pending_and_stores_nothing(start_run):
    run = start_run(TASKS + "r = add.delay(4, 6)\nr.get(timeout=5)\n", ignore_result=True)
    final = run.run_to_end()[-1]
    assert final.task.return_value == 10
    assert final.task.state == "PENDING"
    assert final.backend.entries == ()
    assert final.calls[1].error is None and final.calls[1].value is None
    stored = [s for s in run.snapshots if s.stage is Stage.STORED]
    assert "ignore_result" in stored[0].stop.detail


def test_without_a_worker_the_message_just_waits(start_run):
    run = start_run(workers=())
    final = run.run_to_end()[-1]
    assert final.stage is Stage.FINISHED
    assert final.queue_depth("celery") == 1
    assert final.task.state == "PENDING" and final.task.executed_by is None


def test_a_direct_call_runs_in_the_callers_thread_and_blocks_it(start_run):
    code = """import hashlib
from celery import shared_task

@shared_task
def slow(word):
    return hashlib.pbkdf2_hmac("sha256", word.encode(), b"salt", 200_000).hex()[:8]

slow("a")
slow.delay("a")
"""
    run = start_run(code)
    executing = run.advance_to(Stage.EXECUTING)
    assert executing.stop.thread == "main-app"
    assert executing.depth == 0
    final = run.run_to_end()[-1]
    direct, sent = final.tasks
    assert direct.direct and direct.state == "not sent" and direct.executed_by == "main-app"
    assert sent.executed_by == "worker-1"
    direct_call, delay_call = final.calls
    # the direct call kept the caller busy for the whole body; delay() did not
    assert direct_call.work_ms >= direct.runtime_ms
    assert delay_call.work_ms < sent.runtime_ms


def test_a_worker_stopped_mid_run_leaves_the_message_in_the_queue(start_run):
    run = start_run()
    run.stop_worker("worker-1")
    final = run.run_to_end()[-1]
    assert final.workers[0].status == "stopped"
    assert final.queue_depth("celery") == 1
