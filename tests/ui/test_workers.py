"""The one error path of thread workers: each end is reported once, whenever its events arrive."""

from __future__ import annotations

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tutor.ui.workers import outcome


def _ended_worker(result: object) -> Worker[object]:
    worker: Worker[object] = Worker(Widget(), lambda: result, name="grade", thread=True)
    worker._state = WorkerState.SUCCESS  # the worker ended before its earlier events were handled
    worker._result = result
    return worker


def test_a_running_event_handled_after_the_end_reports_nothing():
    """Under load the RUNNING event of a quick worker is handled after the worker ended; reading
    the worker's state then reported the end twice (two feedback screens for one answer)."""
    worker = _ended_worker("graded")
    assert outcome(Worker.StateChanged(worker, WorkerState.RUNNING)) is None
    ended = outcome(Worker.StateChanged(worker, WorkerState.SUCCESS))
    assert ended is not None and ended.result == "graded" and ended.failure is None
