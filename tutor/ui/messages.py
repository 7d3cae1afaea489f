"""Messages screens post up to the app (the app answers by calling screens down).

Screens never reach into the app by name: they post one of these, and `TutorApp` handles it.
The run driver's own messages (a step reached, a variant's outcome) live on `RunDriver`.

They are plain classes, not dataclasses: this module is imported before the first screen
paints, and making its eight message classes dataclasses cost about 2 ms there.
"""

from __future__ import annotations

from textual.message import Message


class OpenLesson(Message):
    """The learner chose a lesson (or its quiz, with `quiz`)."""

    def __init__(self, lesson_id: str, quiz: bool = False) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.quiz = quiz


class QuizFinished(Message):
    """A whole quiz was answered (retries of missed questions are not posted)."""

    def __init__(self, lesson_id: str, correct: int, total: int) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.correct = correct
        self.total = total


class QuestionsMissed(Message):
    """Questions answered wrongly (quiz, challenge or chapter quiz): they become review cards."""

    def __init__(self, items: list[tuple[str, int]]) -> None:
        super().__init__()
        self.items = items
        """(lesson id, question index in its quiz) of each."""


class ChallengeFinished(Message):
    """A challenge ended (every question answered, or the clock ran out)."""

    def __init__(self, lesson_id: str, correct: int, total: int, seconds: float) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.correct = correct
        self.total = total
        self.seconds = seconds
        """The time it took (the clock's running time, stopped while the real run moved)."""


class CardAnswered(Message):
    """A review card was answered: known moves it up a box, again sends it back to box 1."""

    def __init__(self, card_id: str, known: bool) -> None:
        super().__init__()
        self.card_id = card_id
        self.known = known


class OpenMode(Message):
    """Open a challenge (of `lesson_id`), the review, or a chapter's mixed quiz (`chapter`)."""

    def __init__(self, kind: str, lesson_id: str | None = None, chapter: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        """"challenge", "review" or "chapter"."""
        self.lesson_id = lesson_id
        self.chapter = chapter


class DemoLessonOver(Message):
    """The demo's lesson played to its end: the app moves the demo on."""


class NotesChanged(Message):
    """Where the demo is now, for `tutor notes` followers."""

    def __init__(self, notes: dict[str, object] | None = None) -> None:
        super().__init__()
        self.notes: dict[str, object] = {} if notes is None else notes
