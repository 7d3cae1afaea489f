"""The engine's inner seams: the ledger hands out copies, and a Run is what the player needs."""

from __future__ import annotations

import pytest

from tutor.engine import RunLike
from tutor.engine.ledger import Ledger
from tutor.engine.records import CallRecord


def test_the_ledger_snapshot_is_a_copy_that_later_updates_do_not_change():
    ledger = Ledger()
    ledger.update("id-1", "tasks.add", args=[4, 6])
    ledger.worker_joined("worker-1")
    ledger.worker_holds("worker-1", "id-1")
    ledger.waits_in_timer("id-1", "soon")
    before = ledger.snapshot()
    ledger.update("id-1", outcome="success")
    ledger.worker_released("worker-1", "id-1")
    ledger.left_timer("id-1")
    assert before.task("id-1") is not None and before.task("id-1").outcome is None
    assert before.busy_with == {"worker-1": "id-1"} and before.in_timer == {"id-1": "soon"}
    after = ledger.snapshot()
    assert after.task("id-1").outcome == "success"
    assert after.busy_with == {"worker-1": None} and after.in_timer == {}


def test_the_ledger_refuses_a_field_records_do_not_have():
    ledger = Ledger()
    with pytest.raises(AttributeError, match="outcom"):
        ledger.update("id-1", "tasks.add", outcom="success")
    call = CallRecord(index=1, line=3, source="add(1, 2)", thread="main-app", started_at=0.0)
    ledger.add_call(call)
    with pytest.raises(AttributeError, match="valu"):
        ledger.update_call(call, valu=3)


def test_a_worker_released_from_another_task_keeps_its_task():
    ledger = Ledger()
    ledger.worker_holds("worker-1", "id-2")
    ledger.worker_released("worker-1", "id-1")
    ledger.worker_holds("worker-2", "id-3", only_known=True)
    assert ledger.snapshot().busy_with == {"worker-1": "id-2"}


def test_a_run_offers_what_the_player_needs(start_run):
    run = start_run()
    assert isinstance(run, RunLike)
    assert run.run_to_end()[-1].stage == "finished" and run.finished
