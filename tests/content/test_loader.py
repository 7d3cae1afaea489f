"""Lesson and quiz files are validated on load, with one clear error naming file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.content.check import course_problems
from tutor.content.loader import ContentError, UnknownLesson, content_root, load_course

SOURCE = content_root()


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A writable copy of the real course, to break on purpose."""
    shutil.copytree(SOURCE / "lessons", tmp_path / "lessons")
    shutil.copytree(SOURCE / "quizzes", tmp_path / "quizzes")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _error(root: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_course(root)
    return str(caught.value)


def test_the_real_course_loads_in_order():
    course = load_course()
    assert course.ids[:2] == ["delay", "direct-vs-delay"]
    assert course.quiz("delay") is not None


def test_a_missing_field_names_the_file_and_the_field(course_copy):
    _edit(course_copy / "lessons/delay.toml", 'action = "Worker receives task"\n', "")
    assert _error(course_copy) == "lessons/delay.toml: steps[2].action: field required"


def test_a_wrong_type_names_the_field(course_copy):
    _edit(course_copy / "lessons/delay.toml", "after_step = 4", 'after_step = "four"')
    message = _error(course_copy)
    assert message.startswith("lessons/delay.toml: tracker[2].after_step: ")


def test_an_unknown_placeholder_is_refused_with_the_valid_names(course_copy):
    _edit(course_copy / "lessons/delay.toml", "{task.short_id}", "{tsk.short_id}")
    message = _error(course_copy)
    assert message.startswith(
        "lessons/delay.toml: steps[1].evaluation: unknown placeholder {tsk.short_id}"
    )
    assert "task" in message


def test_an_unknown_stage_is_refused(course_copy):
    _edit(course_copy / "lessons/delay.toml", 'at = "queued"', 'at = "enqueued"')
    assert _error(course_copy).startswith(
        "lessons/delay.toml: steps[1].at: unknown stage 'enqueued' (the stages are: defined,"
    )


def test_invalid_toml_says_where(course_copy):
    (course_copy / "lessons/delay.toml").write_text('id = "delay\n')
    assert _error(course_copy) == (
        "lessons/delay.toml: line 1, column 12: not valid TOML: illegal character '\\n'"
    )


def test_sample_code_that_does_not_parse_is_refused(course_copy):
    _edit(course_copy / "lessons/delay.toml", "return x + y", "return x +")
    message = _error(course_copy)
    assert message == "lessons/delay.toml: sample.code: line 5: invalid syntax"


def test_a_key_moment_naming_an_unknown_variant_is_refused(course_copy):
    _edit(course_copy / "lessons/delay.toml", 'variant = "no-backend"', 'variant = "no-such"')
    assert "key_moments[2].variant: no variant named 'no-such'" in _error(course_copy)


def test_a_lesson_missing_from_the_index_is_loaded_without_it_and_reported(course_copy):
    shutil.copy(course_copy / "lessons/delay.toml", course_copy / "lessons/extra.toml")
    assert load_course(course_copy).ids == load_course().ids  # the index's lessons, not extra
    assert course_problems(course_copy) == [
        "lessons/extra.toml: this lesson is not listed in lessons/index.toml (add 'extra' to order)"
    ]


def test_an_index_entry_without_a_file_is_refused(course_copy):
    (course_copy / "lessons/delay.toml").unlink()
    assert _error(course_copy).startswith(
        "lessons/index.toml: order[0]: no file lessons/delay.toml"
    )


def test_an_id_that_does_not_match_its_file_is_refused(course_copy):
    _edit(course_copy / "lessons/delay.toml", 'id = "delay"', 'id = "other"')
    assert "lessons/delay.toml: id: 'other' does not match the file name" in _error(course_copy)


def test_a_quiz_answer_that_is_not_a_choice_is_refused(course_copy):
    _edit(course_copy / "quizzes/delay.toml", 'answer = "C"', 'answer = "E"')
    assert _error(course_copy) == (
        "quizzes/delay.toml: questions[3].answer: 'E' is not one of the choices (A, B, C, D)"
    )


def test_an_unknown_lesson_id_lists_the_valid_ones():
    with pytest.raises(UnknownLesson) as caught:
        load_course().lesson("dealy")
    assert (
        str(caught.value)
        == "no lesson called 'dealy'; the lessons are: delay, direct-vs-delay, results, "
        "failure, retry, scheduling, workers, lost-work, canvas, django-view, on-commit, periodic"
    )


def test_a_prediction_after_an_order_question_is_refused(course_copy):
    quiz = course_copy / "quizzes/delay.toml"
    text = quiz.read_text()
    first_prediction = "[[questions]]" + text.split("[[questions]]")[1]
    quiz.write_text(text + "\n" + first_prediction)  # a prediction again, after the order question
    assert "a predict question must come before every order question" in _error(course_copy)


def test_a_question_naming_a_step_the_lesson_lacks_is_refused(course_copy):
    _edit(course_copy / "quizzes/delay.toml", "before_step = 4", "before_step = 9")
    assert _error(course_copy) == (
        "quizzes/delay.toml: questions[2].before_step: step 9 does not exist "
        "(the lesson has 5 steps)"
    )


def test_a_visibility_timeout_out_of_range_is_refused():
    from pydantic import ValidationError

    from tutor.content.run_setup import RunSetup

    assert RunSetup(acks_late=True, visibility_timeout=2).visibility_timeout == 2.0
    for bad in (0, -1, 11):
        with pytest.raises(ValidationError, match="visibility_timeout"):
            RunSetup(visibility_timeout=bad)
