"""Quizzes made of other quizzes' questions: a lesson's challenge against the clock, a chapter's
mixed quiz, and the review of a missed question. Each question is graded as in its lesson's
quiz, against a fresh real run of its lesson (a `QuizSession` per lesson)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.models import Lesson, OrderQuestion, PredictQuestion, Question, Quiz
from .lesson_run import LessonRun
from .quiz import Feedback, QuizSession

__all__ = [
    "SECONDS_PER_QUESTION",
    "Item",
    "MixedSession",
    "challenge_questions",
    "challenge_seconds",
    "chapter_items",
]

SECONDS_PER_QUESTION = 30
"""A challenge's clock: this many seconds for each question (it stops while the run moves)."""

Item = tuple[Lesson, Quiz, int]
"""One question: its lesson, the lesson's quiz, and its index in that quiz."""


def challenge_questions(quiz: Quiz) -> list[int]:
    """The questions a challenge asks: the predictions and orderings (graded by a real run)."""
    return [
        index
        for index, question in enumerate(quiz.questions)
        if isinstance(question, (PredictQuestion, OrderQuestion))
    ]


def challenge_seconds(questions: int) -> float:
    """The time a challenge of this many questions allows."""
    return float(SECONDS_PER_QUESTION * questions)


def chapter_items(lessons: list[tuple[Lesson, Quiz | None]]) -> list[Item]:
    """A chapter's mixed quiz: every prediction of its lessons, one lesson after another in
    turn (the first of each, then the second of each...)."""
    queues = [
        [
            (lesson, quiz, index)
            for index, q in enumerate(quiz.questions)
            if isinstance(q, PredictQuestion)
        ]
        for lesson, quiz in lessons
        if quiz is not None
    ]
    mixed: list[Item] = []
    while any(queues):
        for queue in queues:
            if queue:
                mixed.append(queue.pop(0))
    return mixed


@dataclass
class MixedSession:
    """Questions from several lessons, asked in turn; each lesson's are graded on its own real
    run. Reads like a `QuizSession` to the quiz screen."""

    items: list[Item]
    feedback: list[Feedback] = field(default_factory=list)
    sessions: dict[str, QuizSession] = field(default_factory=dict)
    """Each lesson's attempt, started when its first question comes."""

    def _session(self) -> QuizSession:
        lesson, quiz, _ = self.items[min(self.position, len(self.items) - 1)]
        if lesson.id not in self.sessions:
            own = [index for item_lesson, _, index in self.items if item_lesson.id == lesson.id]
            self.sessions[lesson.id] = QuizSession(lesson, quiz, only=own)
        return self.sessions[lesson.id]

    @property
    def lesson(self) -> Lesson:
        """The lesson of the question being asked (the last one's at the end)."""
        return self.items[min(self.position, len(self.items) - 1)][0]

    @property
    def lesson_run(self) -> LessonRun:
        """The real run of the current question's lesson."""
        return self._session().lesson_run

    def run_for(self, question: PredictQuestion) -> LessonRun:
        """The run a prediction is about: its lesson's, or that lesson's variant's."""
        return self._session().run_for(question)

    @property
    def indices(self) -> list[int]:
        """The questions, by index in their own quiz."""
        return [index for _, _, index in self.items]

    @property
    def position(self) -> int:
        """How many questions are answered."""
        return len(self.feedback)

    @property
    def finished(self) -> bool:
        """True once every question is answered."""
        return self.position >= len(self.items)

    @property
    def current_index(self) -> int:
        """Index (in its own quiz) of the question being asked."""
        return self.items[self.position][2]

    @property
    def current(self) -> Question:
        """The question being asked."""
        _, quiz, index = self.items[self.position]
        return quiz.questions[index]

    def prepare(self) -> None:
        """Move the current question's real run to where it is asked."""
        self._session().prepare()

    def answer(self, given: str | list[int]) -> Feedback:
        """Grade an answer on the current question's lesson run."""
        feedback = self._session().answer(given)
        self.feedback.append(feedback)
        return feedback

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, questions)."""
        return sum(1 for f in self.feedback if f.correct), len(self.items)

    def missed(self) -> list[int]:
        """Positions of the questions answered wrongly."""
        return [n for n, f in enumerate(self.feedback) if not f.correct]

    def missed_items(self) -> list[tuple[str, int]]:
        """(lesson id, question index) of each question answered wrongly."""
        return [(self.items[n][0].id, self.items[n][2]) for n in self.missed()]

    def retry_missed(self) -> MixedSession:
        """A new attempt at the missed questions only, on fresh real runs."""
        return MixedSession([self.items[n] for n in self.missed()])

    def close(self) -> None:
        """Stop every lesson's real runs."""
        for session in self.sessions.values():
            session.close()
