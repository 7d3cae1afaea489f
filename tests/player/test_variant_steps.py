"""Steps choose their task; variants with steps of their own play like lessons; the checker
replays them; predictions about a variant are graded against the variant's run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tutor.content.loader import load_course
from tutor.player.check import check_course
from tutor.player.lesson_run import LessonRun
from tutor.player.quiz import QuizSession, real_answers
from tutor.player.whatif import has_steps, run_variant, variant_lesson

COURSE = Path(__file__).parent / "course" / "two-tasks.toml"


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE)


@pytest.fixture(scope="module")
def lesson(course):
    return course.lesson("two-tasks")


def test_a_step_speaks_of_the_task_it_names(lesson):
    with LessonRun(lesson) as lesson_run:
        first, raised, end = lesson_run.play_all()
    assert first.action == "Send tasks.add"  # no `task`: the first one sent
    assert raised.action == "worker-1 runs tasks.divide"
    assert raised.result == "raised ZeroDivisionError: division by zero"
    assert end.evaluation == "0 in the timer; retries 0"
    assert "ZeroDivisionError: division by zero" in end.result
    assert lesson_run.tracker_value("sum", 2) == "10"  # the variable chose `add`
    assert lesson_run.tracker_value("error", 3).startswith("ZeroDivisionError")  # the step's


def test_a_variant_with_steps_is_played_like_a_lesson(lesson):
    assert has_steps(lesson, "slow-queue") and not has_steps(lesson, "countdown")
    variant = variant_lesson(lesson, "slow-queue")
    assert variant.title == "What if: the division goes to queue 'slow'"
    assert 'queue="slow"' in variant.sample.code and len(variant.steps) == 2
    outcome = run_variant(lesson, "slow-queue")
    assert outcome.played is not None
    returned, end = outcome.played.results
    assert returned.result == "returns 10"
    assert end.evaluation == "queue slow holds 1"  # a queue no worker consumes
    assert end.result == "divide is PENDING"
    assert outcome.snapshot.queue_depth("slow") == 1
    assert run_variant(lesson, "countdown").played is None


def test_predictions_about_a_variant_are_graded_against_its_run(course, lesson):
    quiz = course.quiz("two-tasks")
    session = QuizSession(lesson, quiz)
    try:
        session.prepare()
        first = session.answer("A")
        session.prepare()
        second = session.answer("A")
    finally:
        session.close()
    assert first.correct and first.expected == "ZeroDivisionError: division by zero"
    assert not second.correct and second.expected == "1"
    assert "slow-queue" in session.variant_runs
    answers = real_answers(lesson, quiz)
    assert answers[1][0].startswith("B (1, seen in the real run)")


def test_tutor_check_replays_variant_steps_and_predictions_about_them():
    reports = check_course(COURSE)
    report = reports[-1]
    assert report.passed, report.problems
    assert "2 predictions, 0 orderings" in report.checked
    assert "2 variant steps reached, 7 placeholders filled" in report.checked


def test_tutor_check_says_which_variant_step_is_never_reached(tmp_path):
    text = COURSE.read_text().replace(
        'at = "returned"\ntask = "add"', 'at = "scheduled"\ntask = "add"'
    )
    (tmp_path / "two-tasks.toml").write_text(text)
    report = check_course(tmp_path / "two-tasks.toml")[-1]
    assert any(
        problem.startswith("two-tasks.toml: variants.slow-queue: ")
        and "step 1 waits for stage 'scheduled'" in problem
        for problem in report.problems
    ), report.problems


def test_plain_mode_prints_a_variants_own_table_under_its_key_moment(lesson):
    from tutor.plain import print_lesson_page

    out, err = io.StringIO(), io.StringIO()
    assert print_lesson_page(lesson, None, out, err, width=120) == 0
    page = out.getvalue()
    moment = page[page.index("2. What if the division goes") : page.index("3. What if")]
    assert "Its execution table:" in moment and "queue slow holds 1" in moment
    assert 'divide.apply_async((1, 0), queue="slow")' in moment
    assert "raised ZeroDivisionError: division by zero; state FAILURE" in page
