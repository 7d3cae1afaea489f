"""The course index (`lessons/index.toml`): the order of the lessons and their chapters."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from .fields import NonEmpty
from .fields import Strict as _Strict
from .files import ID_PATTERN, id_problem

__all__ = ["Chapter", "CourseIndex", "LessonId"]


def _lesson_id(value: str) -> str:
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


LessonId = Annotated[
    str, AfterValidator(_lesson_id), Field(json_schema_extra={"pattern": ID_PATTERN.pattern})
]
"""A lesson id: lower-case letters, digits and dashes (it names the lesson's file)."""


class Chapter(_Strict):
    """A group of lessons shown together, ending with a mixed quiz of their predictions."""

    title: NonEmpty
    """The chapter's title on the home screen ("First steps")."""
    lessons: list[LessonId] = Field(min_length=1)
    """Its lessons, in course order."""


class CourseIndex(_Strict):
    """The order of the lessons, and the chapters they are grouped in."""

    format_version: Literal[1]
    """Always 1."""
    order: list[LessonId] = Field(min_length=1)
    """The lesson ids, in course order."""
    chapters: list[Chapter] = Field(default_factory=list)
    """The chapters, in order: every id one of `order`, in its order, in one chapter only.
    Without chapters the course is one list. A lesson in no chapter is shown after them, and
    `tutor check` reports it."""

    @field_validator("chapters")
    @classmethod
    def _chapters_follow_the_order(
        cls, chapters: list[Chapter], info: ValidationInfo
    ) -> list[Chapter]:
        order: list[str] = info.data.get("order") or []
        if not order:
            return chapters  # the order's own problem is said instead
        seen: dict[str, int] = {}
        for number, chapter in enumerate(chapters, start=1):
            for lesson_id in chapter.lessons:
                if lesson_id not in order:
                    raise ValueError(
                        f"chapter {number} ({chapter.title!r}) lists {lesson_id!r}, which is not "
                        f"in order (add it there, or take it out of the chapter)"
                    )
                if lesson_id in seen:
                    raise ValueError(
                        f"{lesson_id!r} is in chapter {seen[lesson_id]} and chapter {number}: "
                        f"a lesson belongs to one chapter"
                    )
                seen[lesson_id] = number
        listed = list(seen)
        in_order = [lesson_id for lesson_id in order if lesson_id in seen]
        if listed != in_order:
            raise ValueError(
                f"the chapters list their lessons as {listed}, but order has them as "
                f"{in_order}: chapters follow the course order"
            )
        return chapters
