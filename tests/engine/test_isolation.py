"""Many runs in one process: no cross-talk, no leaked threads, prompt closing wherever held."""

from __future__ import annotations

import gc
import weakref

import pytest

from tests.conftest import ADD_SAMPLE, live_threads_beyond
from tutor.engine import Run, RunClosed, RunConfig, Stage


def test_fifty_runs_in_one_process_never_see_each_other(thread_baseline):
    for number in range(50):
        code = ADD_SAMPLE.replace("add.delay(4, 6)", f"add.delay({number}, 1000)")
        with Run.start(RunConfig(code=code)) as run:
            final = run.run_to_end()[-1]
            assert [t.args for t in final.tasks] == [(number, 1000)]
            assert final.task.return_value == number + 1000
            assert len(final.backend.entries) == 1
    assert live_threads_beyond(thread_baseline) == []


def test_a_later_run_uses_its_own_task_code_not_an_earlier_one():
    first = ADD_SAMPLE
    second = ADD_SAMPLE.replace("return x + y", "return x * y")
    with Run.start(RunConfig(code=first)) as run:
        assert run.run_to_end()[-1].task.return_value == 10
    with Run.start(RunConfig(code=second)) as run:
        assert run.run_to_end()[-1].task.return_value == 24


def test_two_runs_alive_at_once_keep_their_own_queues(start_run):
    one = start_run()
    two = start_run(ADD_SAMPLE.replace("add.delay(4, 6)", "add.delay(1, 1)"))
    one_queued = one.advance_to(Stage.QUEUED)
    two_queued = two.advance_to(Stage.QUEUED)
    assert one_queued.queues["celery"][0].args == (4, 6)
    assert two_queued.queues["celery"][0].args == (1, 1)
    assert two.run_to_end()[-1].task.return_value == 2
    assert one.run_to_end()[-1].task.return_value == 10


@pytest.mark.parametrize(
    "stage",
    [Stage.CALLING, Stage.QUEUED, Stage.RECEIVED, Stage.EXECUTING, Stage.RETURNED, Stage.STORED],
)
def test_closing_a_run_held_anywhere_leaves_no_thread(stage, thread_baseline):
    run = Run.start(RunConfig(code=ADD_SAMPLE))
    assert run.advance_to(stage).stage is stage
    run.close()
    assert live_threads_beyond(thread_baseline) == []
    with pytest.raises(RunClosed):
        run.advance()


def test_closing_while_held_inside_the_task_stops_the_task_body(thread_baseline):
    code = ADD_SAMPLE.replace("    return x + y", "    RAN.append(x)\n    return x + y")
    code = code.replace(
        "from celery import shared_task", "from celery import shared_task\nRAN = []"
    )
    run = Run.start(RunConfig(code=code))
    run.advance_to(Stage.EXECUTING)
    run.close()
    assert run.namespace["RAN"] == []
    assert live_threads_beyond(thread_baseline) == []


def test_a_closed_run_is_freed_not_kept_by_celery_or_kombu_globals():
    refs = []
    for _ in range(3):
        run = Run.start(RunConfig(code=ADD_SAMPLE))
        run.run_to_end()
        run.close()
        refs.append(weakref.ref(run))
        del run
    gc.collect()
    assert [ref() for ref in refs] == [None, None, None]
