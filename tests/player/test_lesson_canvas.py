"""The canvas lesson replayed on real Celery: what the learner reads is what chain, group and
chord really do (one message for a chain, four at once for a group, the chord's callback sent by
a worker with the list of results), and the what-ifs show the failures for real."""

from __future__ import annotations

import pytest

from tests.player.played import plain_text, play_lesson
from tutor.content.loader import load_course
from tutor.player.quiz import real_answers
from tutor.player.whatif import has_steps, run_variant
from tutor.render.canvas import canvas_graph, graph_nodes
from tutor.render.page import variant_outcome

COURSE = load_course()
LESSON = COURSE.lesson("canvas")


@pytest.fixture(scope="module")
def played():
    return play_lesson(LESSON)


def test_a_chain_sends_one_message_and_its_links_wait_inside_it(played):
    results, _ = played
    sent = results[1]
    assert "Queue depth 1: one message for three links" in sent.result
    graph = plain_text(canvas_graph(sent.snapshot))
    assert graph.count("embed.chain, not a task yet") == 2


def test_a_worker_sends_the_next_link_with_the_result_first(played):
    results, _ = played
    assert "with args [4, 4], sent by worker-" in results[2].evaluation


def test_the_group_fans_out_over_both_workers_and_the_chord_joins(played):
    results, tracker = played
    assert "Queue depth 4: all four at once" in results[4].result
    assert "[2, 4, 6, 8]" in results[6].evaluation
    assert "args [[2, 4, 6, 8]], sent by worker-" in results[7].evaluation
    assert tracker["chain result"][-1] == "16"
    assert tracker["chord result"][-1] == "20"
    final = results[-1].snapshot
    states = [node.state for _, nodes in graph_nodes(final) for node in nodes]
    assert states == ["succeeded"] * 12
    workers = {task.executed_by for task in final.tasks}
    assert workers == {"worker-1", "worker-2"}


def test_a_middle_link_that_raises_stops_the_chain():
    assert has_steps(LESSON, "middle-fails")
    outcome = run_variant(LESSON, "middle-fails")
    states = [node.state for _, nodes in graph_nodes(outcome.snapshot) for node in nodes]
    assert states == ["succeeded", "failed", "never ran"]
    assert "raised ValueError: refusing to add 4 to 4" in plain_text(
        variant_outcome(outcome.snapshot)
    )


def test_a_failing_header_task_means_the_callback_never_runs():
    outcome = run_variant(LESSON, "header-fails")
    nodes = graph_nodes(outcome.snapshot)[0][1]
    assert nodes[-1].state == "never ran" and nodes[2].state == "failed"
    stored = [meta for _, meta in outcome.snapshot.backend.entries]
    assert any("ChordError" in str(meta.get("result")) for meta in stored)


def test_a_chord_without_a_result_backend_refuses_to_start():
    outcome = run_variant(LESSON, "no-backend")
    text = plain_text(variant_outcome(outcome.snapshot))
    assert "NotImplementedError: Starting chords requires a result backend" in text
    assert outcome.snapshot.tasks == ()


def test_the_quiz_is_graded_by_what_the_run_showed():
    answers = real_answers(LESSON, COURSE.quiz("canvas"))
    assert answers[0][0].startswith("B (1")
    assert answers[1][0].startswith("B ([4, 4]")
    assert answers[2][0].startswith("C (4")
    assert answers[3][0].startswith("B ([[2, 4, 6, 8]]")


def test_get_inside_a_task_holding_the_only_worker_times_out():
    outcome = run_variant(LESSON, "get-inside")
    outer, inner = outcome.snapshot.tasks
    assert outer.name == "tasks.add_then_double" and outer.state == "FAILURE"
    assert outer.exception is not None and outer.exception.startswith("TimeoutError")
    # the task it waited for ran only once the worker was free again
    assert inner.return_value == 4 and inner.started_at is not None
    assert outer.finished_at is not None and inner.started_at >= outer.finished_at
