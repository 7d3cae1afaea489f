"""Worker pools, prefetch, acks_late and a worker lost mid-task, against the real engine."""

from __future__ import annotations

import time

import pytest

from tutor.engine import Stage, WorkerSpec

EIGHT = """from celery import shared_task

@shared_task
def slow(n):
    return n

results = [slow.delay(i) for i in range(8)]
"""

ONE = """from celery import shared_task

@shared_task
def slow(n):
    return n

r = slow.delay(1)
"""


def _while_first_body_held(run):
    """Every snapshot from the first body's EXECUTING stop until it returns."""
    seen = []
    snapshot = run.advance_to(Stage.EXECUTING)
    while snapshot.stage is not Stage.RETURNED:
        seen.append(snapshot)
        snapshot = run.advance()
    return seen


def _prefetched(snapshots, worker=0):
    """The most messages the worker had received and not started while it ran a body, with the
    queue's depth then."""
    busy = [s for s in snapshots if s.workers[worker].active]
    best = max(busy, key=lambda s: len(s.workers[worker].reserved))
    return len(best.workers[worker].reserved), len(best.queues["celery"])


def test_solo_pool_never_reserves_ahead(start_run):
    run = start_run(EIGHT)
    held = _while_first_body_held(run)
    assert held[0].stop.thread == "worker-1"
    assert _prefetched(held + run.run_to_end()) == (0, 7)


def test_threads_pool_prefetches_while_a_body_runs(start_run):
    run = start_run(EIGHT, workers=(WorkerSpec(pool="threads"),))
    held = _while_first_body_held(run)
    first = held[0]
    assert first.stop.thread == "worker-1-pool-1"
    assert first.workers[0].active == (first.task.id,)
    # the busy worker already received the next message (not acknowledged, still PENDING)
    last = held[-1]
    [reserved] = last.workers[0].reserved
    assert [m.id for m in last.unacked] == [reserved]
    assert last.stage is Stage.RECEIVED and last.stop.thread == "worker-1"
    assert next(t for t in last.tasks if t.id == reserved).state == "PENDING"
    # concurrency 1 × multiplier 4: at most 4 reserved while one body runs
    snapshots = run.run_to_end()
    assert _prefetched(snapshots) == (4, 2)
    final = snapshots[-1]
    assert all(t.state == "SUCCESS" for t in final.tasks)
    assert final.workers[0].reserved == () and final.workers[0].active == ()


def test_prefetch_multiplier_one(start_run):
    run = start_run(EIGHT, workers=(WorkerSpec(pool="threads", prefetch_multiplier=1),))
    assert _prefetched(run.run_to_end()) == (1, 6)


def test_acks_late_with_multiplier_one_leaves_the_next_message_to_an_idle_worker(start_run):
    workers = (
        WorkerSpec(pool="threads", prefetch_multiplier=1),
        WorkerSpec(name="worker-2", pool="threads", prefetch_multiplier=1),
    )
    run = start_run(EIGHT, workers=workers, acks_late=True)
    held = _while_first_body_held(run)
    executing = [s for s in held if s.stage is Stage.EXECUTING]
    assert [s.stop.thread for s in executing] == ["worker-1-pool-1", "worker-2-pool-1"]
    assert len(executing[-1].unacked) == 2  # each running message is not acknowledged yet
    snapshots = run.run_to_end()
    assert _prefetched(held + snapshots) == (0, 6)
    final = snapshots[-1]
    assert all(t.state == "SUCCESS" for t in final.tasks)


def _stopped_mid_task(start_run, **config):
    workers = (WorkerSpec(), WorkerSpec(name="worker-2"))
    run = start_run(ONE, workers=workers, stop_worker=("worker-1", "executing"), **config)
    executing = run.advance_to(Stage.EXECUTING)
    assert executing.stop.thread == "worker-1"
    return run.run_to_end()


def test_a_worker_stopped_mid_task_loses_a_message_acknowledged_early(start_run):
    snapshots = _stopped_mid_task(start_run)
    final = snapshots[-1]
    assert final.task.state == "STARTED"  # it never finishes
    assert final.queues["celery"] == () and final.unacked == ()
    assert [w.status for w in final.workers] == ["stopped", "idle"]
    assert not any(s.stage is Stage.RETURNED for s in snapshots)
    assert any(e.name == "stopped" for e in final.events)


def test_a_worker_stopped_mid_task_gives_back_an_unacknowledged_message(start_run):
    snapshots = _stopped_mid_task(start_run, acks_late=True, reject_on_worker_lost=True)
    lost_at = next(i for i, s in enumerate(snapshots) if s.stage is Stage.EXECUTING)
    after = snapshots[lost_at + 1 :]
    requeued = next(s for s in after if s.stage is Stage.QUEUED)
    [message] = requeued.queues["celery"]
    assert message.redelivered and message.id == requeued.task.id
    assert requeued.stop.thread == "broker" and "redelivered" in requeued.stop.detail
    assert requeued.task.state == "STARTED"
    again = next(s for s in after if s.stage is Stage.EXECUTING)
    assert again.stop.thread == "worker-2"
    final = snapshots[-1]
    assert final.task.state == "SUCCESS" and final.task.return_value == 1
    assert [w.status for w in final.workers] == ["stopped", "idle"]


def test_a_threads_worker_stopped_mid_task_redelivers_to_the_other(start_run):
    workers = (WorkerSpec(pool="threads"), WorkerSpec(name="worker-2", pool="threads"))
    run = start_run(
        ONE,
        workers=workers,
        acks_late=True,
        reject_on_worker_lost=True,
        stop_worker=("worker-1", "executing"),
    )
    threads = [s.stop.thread for s in run.run_to_end() if s.stage is Stage.EXECUTING]
    assert threads == ["worker-1-pool-1", "worker-2-pool-1"]
    assert run.snapshots[-1].task.state == "SUCCESS"


def test_the_lesson_set_up_maps_to_the_run_config():
    from types import SimpleNamespace

    from pydantic import ValidationError

    from tutor.content.models import RunSetup
    from tutor.player.lesson_run import run_config_for

    setup = RunSetup.model_validate(
        {
            "acks_late": True,
            "reject_on_worker_lost": True,
            "stop_worker": {"name": "worker-1", "at": "executing"},
            "workers": [
                {"name": "worker-1", "pool": "threads", "prefetch_multiplier": 1},
                {"name": "worker-2", "pool": "threads", "concurrency": 2},
            ],
        }
    )
    config = run_config_for(SimpleNamespace(id="lost-work"), ONE, setup)
    assert config.acks_late and config.reject_on_worker_lost
    assert config.stop_worker == ("worker-1", "executing")
    assert config.workers == (
        WorkerSpec("worker-1", ("celery",), "threads", 1, 1),
        WorkerSpec("worker-2", ("celery",), "threads", 2, 4),
    )
    with pytest.raises(ValidationError, match="not one of"):
        RunSetup.model_validate({"stop_worker": {"name": "worker-9", "at": "executing"}})
    with pytest.raises(ValidationError):
        RunSetup.model_validate({"stop_worker": {"name": "worker-1", "at": "exploded"}})
    with pytest.raises(ValidationError):
        RunSetup.model_validate({"workers": [{"pool": "prefork"}]})


@pytest.mark.parametrize("pool", ["solo", "threads"])
@pytest.mark.parametrize("acks_late", [False, True])
def test_closing_runs_with_pools_and_a_lost_worker_leaves_no_thread(
    pool, acks_late, thread_baseline
):
    from tests.conftest import live_threads_beyond
    from tutor.engine import Run, RunConfig

    workers = (WorkerSpec(pool=pool), WorkerSpec(name="worker-2", pool=pool))
    for stop_worker in (None, ("worker-1", "executing")):
        config = RunConfig(
            code=EIGHT, workers=workers, acks_late=acks_late, stop_worker=stop_worker
        )
        run = Run.start(config)
        run.advance_to(Stage.EXECUTING)
        run.advance()
        run.close()
    deadline = time.monotonic() + 2  # idle pool threads end on their own after shutdown
    while live_threads_beyond(thread_baseline) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert live_threads_beyond(thread_baseline) == []
