"""Every lesson is replayed headless against real Celery: each step is reached, each text filled."""

from __future__ import annotations

import pytest

from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import QuizSession

COURSE = load_course()


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=COURSE.ids)
def test_every_step_of_every_lesson_is_reached_with_every_value_filled(lesson):
    with LessonRun(lesson) as lesson_run:
        results = lesson_run.play_all()
        assert [r.index for r in results] == list(range(1, len(lesson.steps) + 1))
        for result in results:
            for column in (result.action, result.evaluation, result.result):
                assert "…" not in column, f"step {result.index}: a value is missing: {column}"
        final = lesson.tracker[-1].after_step
        for variable in lesson.variables:
            assert lesson_run.tracker_value(variable.name, final) != "undefined", variable.name


@pytest.mark.parametrize(
    ("lesson", "variant"),
    [(lesson, name) for lesson in COURSE.lessons for name in lesson.variants],
    ids=lambda value: value if isinstance(value, str) else value.id,
)
def test_every_variant_runs_to_its_end(lesson, variant):
    with LessonRun(lesson, variant) as lesson_run:
        assert lesson_run.finish().stage == "finished"


def test_delay_lesson_reproduces_the_reference_table_from_the_real_run():
    with LessonRun(COURSE.lesson("delay")) as lesson_run:
        results = lesson_run.play_all()
        queued = results[1].snapshot
        [message] = queued.queues["celery"]
        assert message.short_id in results[1].evaluation
        assert "depth 1, state PENDING" in results[1].result
        assert "delay() returns in" in results[1].evaluation
        assert results[3].action == "Task executes add(4, 6)"
        assert results[3].evaluation == "Calculates 4 + 6"
        assert results[3].result.startswith("Returns 10 after ")
        assert "state SUCCESS" in results[4].evaluation
        tracker = {
            v.name: [
                lesson_run.tracker_value(v.name, c.after_step) for c in lesson_run.lesson.tracker
            ]
            for v in lesson_run.lesson.variables
        }
        assert tracker == {
            "x": ["undefined", "4", "4", "4"],
            "y": ["undefined", "6", "6", "6"],
            "result": ["undefined", "undefined", "10", "10"],
        }


def test_no_backend_variant_shows_the_real_error():
    with LessonRun(COURSE.lesson("delay"), "no-backend") as lesson_run:
        final = lesson_run.finish()
    assert final.task.return_value == 10
    assert final.calls[-1].error.startswith("NotImplementedError: No result backend is configured")


def test_direct_vs_delay_shows_the_blocked_caller_with_real_timings():
    with LessonRun(COURSE.lesson("direct-vs-delay")) as lesson_run:
        results = lesson_run.play_all()
    first = results[0].snapshot
    assert first.stop.thread == "main-app" and first.depth == 0
    final = results[-1].snapshot
    direct_call, delay_call = final.calls
    direct_task, worker_task = final.tasks
    assert direct_task.executed_by == "main-app" and worker_task.executed_by == "worker-1"
    assert direct_call.work_ms >= direct_task.runtime_ms
    assert delay_call.work_ms < worker_task.runtime_ms
    assert f"caller blocked {direct_call.work_ms:.0f} ms" in results[-1].result


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=COURSE.ids)
def test_every_quiz_is_answerable_from_the_real_run(lesson):
    quiz = COURSE.quiz(lesson.id)
    assert quiz is not None and len(quiz.questions) >= 5
    kinds = [question.kind for question in quiz.questions]
    assert kinds.count("predict") >= 2
    answers = shipped_answers(lesson.id)
    for index, (answer, _) in answers.items():
        assert not answer.startswith("?"), (
            f"question {index + 1}: the run shows none of the choices"
        )


def test_predictions_are_graded_against_the_real_run_not_an_answer_key():
    lesson, quiz = COURSE.lesson("delay"), COURSE.quiz("delay")
    session = QuizSession(lesson, quiz, only=[0, 1, 2])
    try:
        session.prepare()
        assert len(session.lesson_run.results) == 1  # still before step 2: nothing to peek at
        depth = session.answer("B")
        assert depth.correct and depth.expected == "1" and depth.observed
        session.prepare()
        state = session.answer("A")  # PENDING: wrong, the real run stored STARTED
        assert not state.correct and state.expected == "STARTED"
        session.prepare()
        assert session.answer("C").expected == "10"
        assert session.score == (2, 3) and session.missed() == [1]
    finally:
        session.close()
