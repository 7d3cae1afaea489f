"""What-if re-runs change one thing and really run: the difference is Celery's, not ours."""

from __future__ import annotations

from tutor.content.loader import load_course
from tutor.player.whatif import run_what_if, what_if_code

DELAY = load_course().lesson("delay")


def test_backend_off_makes_the_callers_get_fail_for_real():
    code, final = run_what_if(DELAY, "no-backend")
    assert "result.get(timeout=5)" in code
    assert final.task.return_value == 10
    assert final.calls[-1].error.startswith("NotImplementedError: No result backend is configured")


def test_worker_stopped_leaves_the_message_waiting():
    _, final = run_what_if(DELAY, "no-worker")
    assert final.queue_depth("celery") == 1 and final.task.executed_by is None


def test_a_direct_call_runs_in_the_caller_and_sends_nothing():
    code, final = run_what_if(DELAY, "direct")
    assert code.rstrip().endswith("add(4, 6)")
    assert what_if_code(DELAY.sample.code, "direct").count(".delay(") == 0
    assert final.depth == 0 and final.task.direct and final.task.executed_by == "main-app"
    assert final.calls[0].value == 10
