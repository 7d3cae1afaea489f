"""Messages screens post up to the app (the app answers by calling screens down).

Screens never reach into the app by name: they post one of these, and `TutorApp` handles it.
The run driver's own messages (a step reached, a variant's outcome) live on `RunDriver`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message


@dataclass
class OpenLesson(Message):
    """The learner chose a lesson (or its quiz, with `quiz`)."""

    lesson_id: str
    quiz: bool = False


@dataclass
class QuizFinished(Message):
    """A whole quiz was answered (retries of missed questions are not posted)."""

    lesson_id: str
    correct: int
    total: int


@dataclass
class QuestionsMissed(Message):
    """Questions answered wrongly (quiz, challenge or chapter quiz): they become review cards."""

    items: list[tuple[str, int]]
    """(lesson id, question index in its quiz) of each."""


@dataclass
class ChallengeFinished(Message):
    """A challenge ended (every question answered, or the clock ran out)."""

    lesson_id: str
    correct: int
    total: int
    seconds: float
    """The time it took (the clock's running time, stopped while the real run moved)."""


@dataclass
class CardAnswered(Message):
    """A review card was answered: known moves it up a box, again sends it back to box 1."""

    card_id: str
    known: bool


@dataclass
class OpenMode(Message):
    """Open a challenge (of `lesson_id`), the review, or a chapter's mixed quiz (`chapter`)."""

    kind: str
    """"challenge", "review" or "chapter"."""
    lesson_id: str | None = None
    chapter: int | None = None


@dataclass
class DemoLessonOver(Message):
    """The demo's lesson played to its end: the app moves the demo on."""


@dataclass
class NotesChanged(Message):
    """Where the demo is now, for `tutor notes` followers."""

    notes: dict[str, object] = field(default_factory=dict)
