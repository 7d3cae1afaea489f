"""The shape of a progress export, as a pydantic model (imported only when importing a file)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .store import SCHEMA_VERSION


class ExportedLesson(BaseModel):
    """One lesson of an export: the fields of `LessonProgress`, checked strictly (no coercion)."""

    model_config = ConfigDict(strict=True, extra="ignore")

    lesson_id: str
    completed: bool = False
    best_correct: int | None = None
    best_total: int | None = None
    attempts: int = Field(default=0, ge=0)
    last_step: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _score_is_whole(self) -> ExportedLesson:
        if (self.best_correct is None) != (self.best_total is None):
            raise ValueError("best_correct and best_total go together")
        return self


class ExportedCard(BaseModel):
    """One review card of an export: its id, Leitner box and when it is due."""

    model_config = ConfigDict(strict=True, extra="ignore")

    card_id: str
    box: int = Field(ge=1, le=5)
    due_at: float = Field(strict=False)


class ExportedChallenge(BaseModel):
    """A lesson's challenge best in an export."""

    model_config = ConfigDict(strict=True, extra="ignore")

    lesson_id: str
    correct: int = Field(ge=0)
    total: int = Field(ge=1)
    seconds: float = Field(ge=0, strict=False)

    @model_validator(mode="after")
    def _no_more_right_than_asked(self) -> ExportedChallenge:
        if self.correct > self.total:
            raise ValueError("correct cannot be more than total")
        return self


class ExportFile(BaseModel):
    """A whole export: what it is, which version wrote it, and the lessons."""

    model_config = ConfigDict(strict=True, extra="ignore")

    format: Literal["celery-tutor-progress"]
    version: int = Field(le=SCHEMA_VERSION)
    lessons: list[ExportedLesson]
    cards: list[ExportedCard] = Field(default_factory=list)
    """Review cards (format 2 on; none in an older export)."""
    challenges: list[ExportedChallenge] = Field(default_factory=list)
    """Challenge bests (format 2 on; none in an older export)."""
