"""A delay() goes through every stage in order, and each stop shows the real state."""

from __future__ import annotations

from tests.conftest import ADD_STAGES
from tutor.engine import CALLER_THREAD, Stage


def test_delay_passes_every_stage_in_order(start_run):
    run = start_run()
    stages = [snapshot.stage for snapshot in run.run_to_end()]
    assert stages == ADD_STAGES


def test_queued_message_is_really_in_the_queue_and_pending(start_run):
    run = start_run()
    queued = run.advance_to(Stage.QUEUED)
    assert queued.queue_depth("celery") == 1
    [message] = queued.queues["celery"]
    assert message.task == "tasks.add"
    assert message.args == (4, 6)
    task = queued.task
    assert task is not None and task.id == message.id
    assert task.state == "PENDING"
    assert queued.stop.task_id == message.id
    # the caller already got its AsyncResult back, for that very message
    [call] = queued.calls
    assert call.done and message.id in str(call.value)


def test_worker_takes_the_message_and_acks_before_running(start_run):
    run = start_run()
    received = run.advance_to(Stage.RECEIVED)
    assert received.depth == 0
    assert [m.id for m in received.unacked] == [received.stop.task_id]
    assert received.stop.thread == "worker-1"
    executing = run.advance()
    assert executing.stage is Stage.EXECUTING
    assert executing.unacked == ()
    assert executing.task.state == "STARTED"
    assert executing.workers[0].status == "executing"


def test_returned_value_is_not_stored_until_the_store_stage(start_run):
    run = start_run()
    returned = run.advance_to(Stage.RETURNED)
    assert returned.task.return_value == 10
    assert returned.task.state == "STARTED"
    # the backend holds only the STARTED meta (track_started), not the value yet
    [(_, meta)] = returned.backend.entries
    assert meta["status"] == "STARTED" and meta["result"] != 10
    stored = run.advance()
    assert stored.stage is Stage.STORED
    assert stored.task.state == "SUCCESS"
    [(key, meta)] = stored.backend.entries
    assert key == f"celery-task-meta-{stored.task.id}"
    assert meta["status"] == "SUCCESS" and meta["result"] == 10


def test_the_end_holds_ten_and_the_tracked_values(start_run):
    final = start_run().run_to_end()[-1]
    task = final.task
    assert task.return_value == 10
    assert task.arguments == {"x": 4, "y": 6}
    assert task.locals == {"x": 4, "y": 6}
    assert task.executed_by == "worker-1"
    assert final.caller_done


def test_trace_events_carry_the_thread_they_happened_in(start_run):
    final = start_run().run_to_end()[-1]
    by_name = {f"{e.source}:{e.name}": e for e in final.events}
    assert by_name["broker:put"].thread == CALLER_THREAD
    assert by_name["broker:get"].thread == "worker-1"
    assert by_name["signal:task_received"].thread == "worker-1"
    assert by_name["broker:put"].at <= by_name["broker:get"].at <= by_name["broker:ack"].at
    put = by_name["broker:put"]
    assert put.task_id == final.task.id and put.data["args"] == [4, 6]


def test_the_caller_is_done_before_the_worker_receives(start_run):
    final = start_run().run_to_end()[-1]
    names = [f"{e.source}:{e.name}" for e in final.events]
    assert names.index("caller:call-returned") < names.index("signal:task_received")
