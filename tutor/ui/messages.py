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
class DemoLessonOver(Message):
    """The demo's lesson played to its end: the app moves the demo on."""


@dataclass
class NotesChanged(Message):
    """Where the demo is now, for `tutor notes` followers."""

    notes: dict[str, object] = field(default_factory=dict)
