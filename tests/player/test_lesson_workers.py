"""The workers lesson replayed on real Celery: who takes which message, read from the run.

One solo worker with concurrency 1 runs the three bodies one after another while the rest wait
in the queue; a second solo worker takes the next message while the first is busy; two
threads-pool workers with the default prefetch leave everything to the busy one, which reserves
the next messages (received, still PENDING); prefetch 1 with acks_late shares them again.
"""

from __future__ import annotations

import pytest

from tests.player.played import play_lesson
from tutor.content.loader import load_course
from tutor.player.whatif import run_variant

COURSE = load_course()
LESSON = COURSE.lesson("workers")


@pytest.fixture(scope="module")
def played():
    """The lesson's own run, every step reached (about 1 s: three 0.3 s bodies)."""
    return play_lesson(LESSON)


def test_one_worker_runs_the_bodies_one_after_another_while_the_rest_wait(played):
    results, tracker = played
    sent = results[2].snapshot
    cup1, cup2, cup3 = sent.tasks
    assert sent.queue_depth("celery") == 2
    assert cup1.state == "STARTED" and cup2.state == "PENDING" and cup3.state == "PENDING"
    second = results[3].snapshot
    assert second.tasks[0].state == "SUCCESS" and second.tasks[1].state == "STARTED"
    assert results[3].action == "brew(1) returned; only now does worker-1 start brew(2)"
    end = results[4].snapshot
    assert {t.executed_by for t in end.tasks} == {"worker-1"}
    assert results[4].result == "cups = ['cup 1 ready', 'cup 2 ready', 'cup 3 ready']"
    assert tracker["cup 1"] == ["STARTED", "STARTED", "SUCCESS", "SUCCESS"]


def test_a_second_worker_takes_the_next_message_while_the_first_is_busy():
    outcome = run_variant(LESSON, "two-workers")
    taken = outcome.played.results[0].snapshot
    assert taken.tasks[1].received_by == "worker-2" and taken.tasks[0].state == "STARTED"
    assert [t.executed_by for t in outcome.snapshot.tasks] == ["worker-1", "worker-2", "worker-1"]


def test_default_prefetch_lets_the_busy_worker_reserve_the_rest_still_pending():
    outcome = run_variant(LESSON, "prefetch")
    reserved = outcome.played.results[0].snapshot
    cup1, cup2, _ = reserved.tasks
    assert cup1.state == "STARTED"
    assert cup2.received_by == "worker-1" and cup2.state == "PENDING"
    assert [t.received_by for t in outcome.snapshot.tasks] == ["worker-1"] * 3
    assert {t.executed_by for t in outcome.snapshot.tasks} == {"worker-1-pool-1"}


def test_prefetch_1_with_acks_late_leaves_the_next_message_for_the_idle_worker():
    outcome = run_variant(LESSON, "fair")
    taken = outcome.played.results[0].snapshot
    assert taken.tasks[1].received_by == "worker-2" and taken.tasks[0].state == "STARTED"
    assert [t.received_by for t in outcome.snapshot.tasks] == ["worker-1", "worker-2", "worker-1"]
