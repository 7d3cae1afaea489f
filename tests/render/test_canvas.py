"""The canvas graph against real runs: a chain's later links wait inside the first message, a
failed middle link leaves the next one never run, a chord's callback comes after its header."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.engine import RunConfig, Stage
from tutor.engine.run import Run, WorkerSpec
from tutor.render.canvas import canvas_graph, canvas_lines, graph_nodes, uses_canvas

TASKS = """from celery import shared_task, chain, group, chord

@shared_task
def add(x, y):
    if x == 40:
        raise ValueError("no forty")
    return x + y

@shared_task
def total(numbers):
    return sum(numbers)

"""
WORKERS = (WorkerSpec("worker-1", ("celery",)), WorkerSpec("worker-2", ("celery",)))


def _text(renderable) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def _stops(calls: str):
    run = Run.start(RunConfig(code=TASKS + calls, workers=WORKERS))
    try:
        return run.run_to_end()
    finally:
        run.close()


def _states(snapshot) -> list[str]:
    return [node.state for _, nodes in graph_nodes(snapshot) for node in nodes]


@pytest.fixture(scope="module")
def chain_stops():
    return _stops("r = chain(add.s(2, 2), add.s(4), add.s(8)).delay()\nr.get(timeout=5)\n")


def test_a_chains_pending_links_ride_in_the_first_message(chain_stops):
    queued = next(s for s in chain_stops if s.stage is Stage.QUEUED)
    assert not uses_canvas(chain_stops[0])
    assert _states(queued) == ["queued", "waiting", "waiting"]
    first = queued.queues[next(iter(queued.queues))][0]
    text = _text(canvas_graph(queued))
    assert f"rides in message {first.short_id}'s embed.chain" in text
    assert "◷ queued" in text and "… waiting" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_the_last_link_rides_in_the_newest_links_message(chain_stops):
    later = next(s for s in chain_stops if _states(s)[1:] == ["queued", "waiting"])
    second = graph_nodes(later)[0][1][1].task
    assert second is not None and second.published_by != "main-app"
    assert f"rides in message {second.short_id}'s embed.chain" in _text(canvas_graph(later))


def test_a_finished_chain_shows_every_real_result(chain_stops):
    final = chain_stops[-1]
    assert _states(final) == ["succeeded"] * 3
    lines = canvas_lines(final)
    assert any("ran with [4, 4], returned 8" in line for line in lines)
    assert any("ran with [8, 8], returned 16" in line for line in lines)
    assert sum(line.startswith("edge ") for line in lines) == 2


def test_a_failed_middle_link_leaves_the_next_one_never_ran():
    stops = _stops("r = chain(add.s(20, 20), add.s(4), add.s(8)).delay()\nr.get(timeout=5)\n")
    final = stops[-1]
    assert _states(final) == ["succeeded", "failed", "never ran"]
    text = _text(canvas_graph(final))
    assert "✗ failed" in text and "ValueError: no forty" in text
    assert "∅ never ran" in text and "no message was ever sent for it" in text


def test_a_chords_callback_runs_after_its_header_and_a_group_fans_out():
    stops = _stops(
        "g = group(add.s(1, 1), add.s(2, 2)).delay()\ng.get(timeout=5)\n"
        "c = chord([add.s(1, 1), add.s(2, 2), add.s(3, 3)], total.s()).delay()\n"
        "c.get(timeout=5)\n"
    )
    final = stops[-1]
    (group, group_nodes), (chord, chord_nodes) = graph_nodes(final)
    assert (group.kind, chord.kind) == ("group", "chord")
    assert [node.state for node in group_nodes] == ["succeeded", "succeeded"]
    header, callback = chord_nodes[:-1], chord_nodes[-1]
    assert callback.task is not None and callback.task.return_value == 12
    assert callback.task.args == ([2, 4, 6],)
    stored = [node.task.finished_at for node in header if node.task is not None]
    assert callback.task.published_at is not None and len(stored) == 3
    assert all(at is not None and at <= callback.task.published_at for at in stored)
    # before the callback is sent, it waits
    waiting = [
        s for s in stops if [n.state for _, ns in graph_nodes(s) for n in ns][-1:] == ["waiting"]
    ]
    assert waiting and "chord callback" in _text(canvas_graph(waiting[-1]))
    text = _text(canvas_graph(final))
    assert "join: runs once all 3 header results are stored" in text
