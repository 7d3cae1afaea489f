"""The real answers of the shipped lessons' quizzes, read from real runs once per test session.

Several tests grade a lesson's quiz against its real run (the hints, "every quiz is answerable",
each lesson's own predictions); playing a lesson and its what-ifs takes real seconds (the
periodic lesson's beat alone ~12 s). The first test to ask plays them; every other test of the
session, in any xdist worker, reads the same answers from the session's shared folder (it waits
for them while they are being played).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: each test then plays the lesson itself
    fcntl = None  # type: ignore[assignment]

from tutor.content.loader import load_course
from tutor.player.quiz import real_answers

SHARED_ENV = "TUTOR_TESTS_SHARED"
"""The folder the session's xdist workers share (set by tests/conftest.py)."""


def shipped_answers(lesson_id: str) -> dict[int, tuple[str, str]]:
    """`real_answers` of a shipped lesson and its quiz: played once per session."""
    course = load_course()
    lesson, quiz = course.lesson(lesson_id), course.quiz(lesson_id)
    assert quiz is not None, f"{lesson_id} has no quiz"
    shared = os.environ.get(SHARED_ENV)
    if not shared or fcntl is None:
        return real_answers(lesson, quiz)
    folder = Path(shared)
    answers_file = folder / f"answers-{lesson_id}.json"
    with open(folder / f"answers-{lesson_id}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker plays; the others wait, then read
        if answers_file.exists():
            stored = json.loads(answers_file.read_text())
            return {int(index): (answer, why) for index, (answer, why) in stored.items()}
        answers = real_answers(lesson, quiz)
        answers_file.write_text(json.dumps(answers))
        return answers
