"""The lost-work lesson played on a real Redis with real `celery worker` processes.

worker-1's process group is killed for real (SIGKILL). With Celery's default the task is lost;
with acks_late the message waits in Redis's `unacked` hash for the visibility timeout, comes
back to the queue marked redelivered, and worker-2's process runs the body a second time.
Skipped, with the reason, when redis-server is not installed and cannot be.
"""

from __future__ import annotations

import pytest

from tests.redis_server import alive, wait_gone
from tutor.content.loader import load_course
from tutor.defaults import BROKER_ENV
from tutor.engine import Stage
from tutor.player.lesson_run import LessonRun, run_config
from tutor.player.whatif import variant_lesson_run

pytest.importorskip("redis", reason="the 'redis' package is not installed")

LESSON = load_course().lesson("lost-work")


@pytest.fixture
def on_redis(broker_url, monkeypatch):
    """Lesson runs of this test go to the private Redis."""
    monkeypatch.setenv(BROKER_ENV, broker_url)
    return broker_url


def test_the_lesson_is_marked_for_a_real_broker_with_a_short_visibility_timeout():
    from tutor.engine.realbroker.setup import transport_options

    assert LESSON.real_broker
    for variant in ("acks-late", "acks-late-only"):
        config = run_config(LESSON, variant)
        assert config.acks_late and config.visibility_timeout == 2.0
        assert transport_options(config)["visibility_timeout"] == 2.0


def test_on_redis_a_killed_worker_takes_the_early_acknowledged_task_with_it(on_redis):
    with LessonRun(LESSON) as lesson_run:
        results = lesson_run.play_all()
        stops = list(lesson_run.stops)
    stopped, end = results[3].snapshot, results[4]
    assert stopped.stage is Stage.EXECUTING and stopped.stop.thread == "worker-1"
    assert stopped.broker.unacked == 0  # acknowledged before the body ran
    killed = [stopped.workers[0].pid, stopped.workers[0].pool_pid]
    assert end.evaluation == "Queue depth 0; worker-2 is idle; the backend still says STARTED"
    assert end.result.startswith("The caller's get() raised TimeoutError")
    assert [s.stage for s in stops].count(Stage.EXECUTING) == 1
    assert not any(m.redelivered for s in stops for q in s.queues.values() for m in q)
    assert end.snapshot.task.return_value is None
    assert wait_gone(killed, 1.0) == []


def test_on_redis_acks_late_redelivers_and_the_body_runs_again_in_worker_2(on_redis):
    with variant_lesson_run(LESSON, "acks-late") as lesson_run:
        results = lesson_run.play_all()
        stops = list(lesson_run.stops)
        survivor = [results[-1].snapshot.workers[1].pid, results[-1].snapshot.workers[1].pool_pid]
        assert all(alive(pid) for pid in survivor)
    first, stored, back, again, returned, end = results
    assert stored.snapshot.stop.thread == "worker-1"
    assert stored.snapshot.broker.unacked == 1  # worker-1 never acknowledged it
    assert (
        stored.evaluation == "The body returned invoice for order 7 sent; the backend holds SUCCESS"
    )
    killed = [stored.snapshot.workers[0].pid, stored.snapshot.workers[0].pool_pid]
    assert back.snapshot.stop.thread == "broker" and back.snapshot.broker.unacked == 0
    assert back.result == "Queue depth 1; yet the backend already says SUCCESS from worker-1's run"
    [message] = back.snapshot.queues["celery"]
    assert message.redelivered and message.id == first.snapshot.task.id
    assert again.snapshot.stop.thread == "worker-2"
    assert returned.result == "Returns invoice for order 7 sent"
    bodies = [s for s in stops if s.stage is Stage.RETURNED]
    assert [s.stop.thread for s in bodies] == ["worker-1", "worker-2"]  # the body ran twice
    pools = {
        s.workers[0].pool_pid if s.stop.thread == "worker-1" else s.workers[1].pool_pid
        for s in bodies
    }
    assert len(pools) == 2  # in two different processes
    assert end.snapshot.task.state == "SUCCESS" and end.snapshot.task.executed_by == "worker-2"
    assert end.snapshot.broker.unacked == 0
    assert wait_gone(killed, 1.0) == []
    assert wait_gone(survivor, 3.0) == []  # closing the run ends worker-2 too
