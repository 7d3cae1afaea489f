"""Loading the course: lesson and quiz files, validated, with errors that name the field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .errors import CONTENT_ENV, ContentError, UnknownLesson, content_root, shown_path
from .models import CourseIndex, Lesson, Quiz
from .summary import INDEX_FILE, read_toml

__all__ = ["CONTENT_ENV", "ContentError", "Course", "UnknownLesson", "content_root", "load_course"]

_shown = shown_path
Model = TypeVar("Model", bound=BaseModel)


def format_validation_error(shown: str, error: ValidationError) -> str:
    """One line per problem: `lessons/x.toml: steps[3].action: field required`."""
    lines = []
    for problem in error.errors():
        location = ""
        for part in problem["loc"]:
            location += (
                f"[{part}]" if isinstance(part, int) else f".{part}" if location else str(part)
            )
        message = str(problem["msg"])
        message = message.removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        lines.append(f"{shown}: {location}: {message}" if location else f"{shown}: {message}")
    return "\n".join(lines)


def load_model(path: Path, model: type[Model], root: Path | None = None) -> Model:
    """Read a TOML file and validate it as `model`; any problem is a ContentError."""
    root = content_root() if root is None else root
    data = read_toml(path, root)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(format_validation_error(_shown(path, root), exc)) from None


@dataclass(frozen=True)
class Course:
    """Every lesson, in order, with its quiz when it has one."""

    lessons: tuple[Lesson, ...]
    quizzes: Mapping[str, Quiz]
    root: Path

    @property
    def ids(self) -> list[str]:
        """Lesson ids in course order."""
        return [lesson.id for lesson in self.lessons]

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson with this id; UnknownLesson (listing the valid ids) otherwise."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise UnknownLesson(lesson_id, self.ids)

    def quiz(self, lesson_id: str) -> Quiz | None:
        """The quiz of a lesson, if it has one."""
        return self.quizzes.get(lesson_id)

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self.lessons)


def _check_steps(quiz: Quiz, lesson: Lesson, shown: str) -> None:
    """Every step a question names must exist in its lesson."""
    count = len(lesson.steps)
    for index, question in enumerate(quiz.questions):
        for name in ("before_step", "hint_step"):
            step = getattr(question, name, None)
            if step is not None and step > count:
                raise ContentError(
                    f"{shown}: questions[{index}].{name}: lesson {lesson.id!r} has {count} steps"
                )


def load_course(root: Path | None = None) -> Course:
    """Load and check the whole course: the index, every lesson and every quiz."""
    root = content_root() if root is None else root
    lessons_dir = root / "lessons"
    quizzes_dir = root / "quizzes"
    index = load_model(lessons_dir / INDEX_FILE, CourseIndex, root)
    lessons = []
    for position, lesson_id in enumerate(index.order):
        path = lessons_dir / f"{lesson_id}.toml"
        if not path.is_file():
            raise ContentError(
                f"{_shown(lessons_dir / INDEX_FILE, root)}: order[{position}]: "
                f"no file {_shown(path, root)} for lesson {lesson_id!r}"
            )
        lesson = load_model(path, Lesson, root)
        if lesson.id != lesson_id:
            raise ContentError(
                f"{_shown(path, root)}: id: {lesson.id!r} does not match the file name "
                f"({lesson_id!r})"
            )
        lessons.append(lesson)
    listed = set(index.order)
    for path in sorted(lessons_dir.glob("*.toml")):
        if path.name != INDEX_FILE and path.stem not in listed:
            raise ContentError(
                f"{_shown(path, root)}: this lesson is not listed in "
                f"{_shown(lessons_dir / INDEX_FILE, root)} (add {path.stem!r} to order)"
            )
    quizzes: dict[str, Quiz] = {}
    index_of = {lesson.id: position for position, lesson in enumerate(lessons)}
    for path in sorted(quizzes_dir.glob("*.toml")) if quizzes_dir.is_dir() else []:
        quiz = load_model(path, Quiz, root)
        if quiz.lesson != path.stem or quiz.lesson not in listed:
            raise ContentError(
                f"{_shown(path, root)}: lesson: {quiz.lesson!r} must be the id of a listed "
                f"lesson and match the file name"
            )
        _check_steps(quiz, lessons[index_of[quiz.lesson]], _shown(path, root))
        quizzes[quiz.lesson] = quiz
    return Course(lessons=tuple(lessons), quizzes=quizzes, root=root)
