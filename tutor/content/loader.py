"""Loading the course: lesson and quiz files, validated, with one line per problem.

`root` is a course folder (`lessons/index.toml`, `lessons/<id>.toml`, `quizzes/<id>.toml`) or one
lesson `.toml` file, whose quiz is found beside it. Every problem is a ContentError whose message
holds one line per problem, `FILE: FIELD: what is wrong`; no other exception escapes for a
broken file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .crossref import task_name_problem
from .errors import CONTENT_ENV, ContentError, UnknownLesson, content_root, shown_path
from .files import CourseLayout, find_course, read_toml
from .models import Chapter, CourseIndex, Lesson, Quiz, missing_step
from .outline import Outline, outline_of
from .problems import format_validation_error
from .summary import index_entries, missing_lesson

__all__ = [
    "CONTENT_ENV",
    "ContentError",
    "Course",
    "UnknownLesson",
    "content_root",
    "format_validation_error",
    "load_course",
    "load_model",
]

Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], root: Path | None = None) -> Model:
    """Read a TOML file and validate it as `model`; any problem is a ContentError."""
    root = content_root() if root is None else root
    data = read_toml(path, root)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(format_validation_error(shown_path(path, root), exc, model)) from None
    except RecursionError:
        raise ContentError(f"{shown_path(path, root)}: nested too deeply to check") from None


@dataclass(frozen=True)
class Course:
    """Every lesson, in order, with its quiz when it has one."""

    lessons: tuple[Lesson, ...]
    quizzes: Mapping[str, Quiz]
    root: Path
    chapters: tuple[Chapter, ...] = ()
    """The index's chapters (none: the course is one list)."""

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

    @property
    def outline(self) -> Outline:
        """The lessons as chapters, with what comes before each."""
        return outline_of(self.ids, [c.model_dump() for c in self.chapters])

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self.lessons)


def quiz_step_problems(quiz: Quiz, lesson: Lesson, shown: str) -> list[str]:
    """Every step, variant and task a question names must exist in its lesson: one line per one
    that does not."""
    problems = []
    for index, question in enumerate(quiz.questions):
        steps, code, of = len(lesson.steps), lesson.sample.code, ""
        variant_name = getattr(question, "variant", None)
        if variant_name is not None:
            variant = lesson.variants.get(variant_name)
            if variant is None or not variant.steps:
                with_steps = [name for name, v in lesson.variants.items() if v.steps]
                problems.append(
                    f"{shown}: questions[{index}].variant: no variant with steps named "
                    f"{variant_name!r} in lesson {lesson.id!r} (with steps: "
                    f"{', '.join(with_steps) or 'none'})"
                )
                continue
            steps, code, of = len(variant.steps), variant.code or code, " of the variant"
        for name in ("before_step", "hint_step"):
            step = getattr(question, name, None)
            if step is not None and step > steps:
                missing = missing_step(step, steps)
                problems.append(f"{shown}: questions[{index}].{name}: {missing}{of}")
        task = getattr(question, "task", None)
        problem = None if task is None else task_name_problem(task, code)
        if problem is not None:
            problems.append(f"{shown}: questions[{index}].task: {problem}")
    return problems


class _Problems:
    """Problems gathered across files, so one check reports every broken file at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lines: list[str] = []

    def load(self, path: Path, model: type[Model]) -> Model | None:
        try:
            return load_model(path, model, self.root)
        except ContentError as exc:
            self.lines += exc.problems
            return None

    def add(self, line: str) -> None:
        self.lines.append(line)

    def raise_any(self) -> None:
        if self.lines:
            raise ContentError("\n".join(dict.fromkeys(self.lines)))


def _quiz_for(lesson: Lesson, path: Path, problems: _Problems) -> Quiz | None:
    quiz = problems.load(path, Quiz)
    if quiz is None:
        return None
    shown = shown_path(path, problems.root)
    if quiz.lesson != lesson.id:
        problems.add(
            f"{shown}: lesson: {quiz.lesson!r} should be {lesson.id!r}, the lesson it quizzes"
        )
        return None
    steps = quiz_step_problems(quiz, lesson, shown)
    for line in steps:
        problems.add(line)
    return None if steps else quiz


def _load_single(layout: CourseLayout) -> Course:
    assert layout.single is not None
    problems = _Problems(layout.root)
    lesson = problems.load(layout.single, Lesson)
    problems.raise_any()
    assert lesson is not None
    quizzes = {}
    for path in layout.quiz_candidates(lesson.id):
        if path.is_file():
            quiz = _quiz_for(lesson, path, problems)
            if quiz is not None:
                quizzes[lesson.id] = quiz
            break
    problems.raise_any()
    return Course(lessons=(lesson,), quizzes=quizzes, root=layout.root)


_shipped: tuple[tuple[object, ...], Course] | None = None
"""The course `load_course()` read last, beside what its files were then (see `_signature`)."""


def _signature(root: Path) -> tuple[object, ...]:
    """The course's TOML files as they are now: path, size and modification time each."""
    if not root.is_dir():
        return (root, *_stat(root))
    layout = find_course(root)
    files = sorted([*layout.lessons_dir.glob("*.toml"), *layout.quizzes_dir.glob("*.toml")])
    return (root, *((path, *_stat(path)) for path in files))


def _stat(path: Path) -> tuple[int, int]:
    try:
        found = path.stat()
    except OSError:
        return (-1, -1)
    return (found.st_size, found.st_mtime_ns)


def load_course(root: Path | None = None) -> Course:
    """Load and check the whole course: the index, every lesson and every quiz.

    `root` is a course folder or one lesson .toml file (the course is then that lesson, with
    its quiz from beside it). Files the index does not list are left out: `course_problems`
    reports them. Every problem of every listed file is in the one ContentError raised.

    The course the tutor runs (no `root`) is read again only when one of its files changed: a
    process that asks for it often (the app, a demo, the test suite) validates it once.
    """
    global _shipped
    if root is not None:
        return _load_course(root)
    signature = _signature(content_root())
    if _shipped is not None and _shipped[0] == signature:
        return _shipped[1]
    course = _load_course(content_root())
    _shipped = (signature, course)
    return course


def _load_course(root: Path) -> Course:
    layout = find_course(root)
    if layout.single is not None:
        return _load_single(layout)
    problems = _Problems(layout.root)
    index_shown = shown_path(layout.index, layout.root)
    order, order_problems = index_entries(layout)
    index = problems.load(layout.index, CourseIndex)
    if order_problems:  # said better than pydantic can: drop its lines about `order`
        problems.lines = order_problems + [
            line for line in problems.lines if not line.startswith(f"{index_shown}: order")
        ]
    problems.raise_any()
    lessons = []
    for position, lesson_id in enumerate(order):
        path = layout.lessons_dir / f"{lesson_id}.toml"
        if not path.is_file():
            problems.add(missing_lesson(layout, position, lesson_id))
            continue
        lesson = problems.load(path, Lesson)
        if lesson is not None and lesson.id != lesson_id:
            problems.add(
                f"{shown_path(path, layout.root)}: id: {lesson.id!r} does not match the file "
                f"name (it should be {lesson_id!r})"
            )
        elif lesson is not None:
            lessons.append(lesson)
    quizzes: dict[str, Quiz] = {}
    for lesson in lessons:
        path = layout.quizzes_dir / f"{lesson.id}.toml"
        if path.is_file():
            quiz = _quiz_for(lesson, path, problems)
            if quiz is not None:
                quizzes[lesson.id] = quiz
    problems.raise_any()
    chapters = () if index is None else tuple(index.chapters)
    return Course(lessons=tuple(lessons), quizzes=quizzes, root=layout.root, chapters=chapters)
