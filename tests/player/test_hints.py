"""No hint gives its question's answer away: the correct choice's text (for a prediction, the
choice the real run shows) never appears in the hint."""

from __future__ import annotations

import re

import pytest

from tests.shared_runs import shipped_answers
from tutor.content.loader import load_course
from tutor.content.models import ChoiceQuestion, PredictQuestion
from tutor.player.quiz import choice_text

COURSE = load_course()
WITH_QUIZ = [lesson.id for lesson in COURSE if COURSE.quiz(lesson.id) is not None]


def states_answer(hint: str, answer: str) -> bool:
    """Whether `answer` stands in `hint` as a word of its own (case aside; "task_track_started"
    states "STARTED": an underscore joins words in a name, it does not hide them)."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(answer.strip())}(?![A-Za-z0-9])"
    return bool(answer.strip()) and re.search(pattern, hint, re.IGNORECASE) is not None


def test_states_answer_finds_a_word_and_ignores_a_part_of_one():
    assert states_answer("This app sets task_track_started, so...", "STARTED")
    assert states_answer("it returns 10.", "10")
    assert not states_answer("it returns 105.", "10")
    assert not states_answer("no worker took it", "work")


@pytest.mark.parametrize("lesson_id", WITH_QUIZ)
def test_no_hint_states_the_real_answer(lesson_id):
    quiz = COURSE.quiz(lesson_id)
    assert quiz is not None
    predicts = any(isinstance(q, PredictQuestion) for q in quiz.questions)
    answers = shipped_answers(lesson_id) if predicts else {}
    leaks = []
    for index, question in enumerate(quiz.questions):
        if isinstance(question, ChoiceQuestion):
            answer = choice_text(question.choices, question.answer)
        elif isinstance(question, PredictQuestion):
            answer = choice_text(question.choices, answers[index][0].split(" ", 1)[0])
            assert answer, f"question {index + 1}: the real run matched no choice"
        else:
            continue
        if states_answer(question.hint, answer):
            leaks.append(f"question {index + 1}: hint {question.hint!r} states {answer!r}")
    assert not leaks, "\n".join(leaks)
