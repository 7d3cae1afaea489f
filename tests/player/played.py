"""A lesson played headless to its last step, as the lesson tests read it."""

from __future__ import annotations

import io

from rich.console import Console

from tutor.content.models import Lesson
from tutor.player.lesson_run import LessonRun, StepResult


def play_lesson(lesson: Lesson) -> tuple[list[StepResult], dict[str, list[str]]]:
    """Every step of the lesson's own real run, and its tracker: variable → value per column."""
    with LessonRun(lesson) as lesson_run:
        results = lesson_run.play_all()
        tracker = {
            variable.name: [
                lesson_run.tracker_value(variable.name, column.after_step)
                for column in lesson.tracker
            ]
            for variable in lesson.variables
        }
    return results, tracker


def plain_text(renderable: object) -> str:
    """What the learner reads: the renderable printed without colour, wide enough not to wrap."""
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()
