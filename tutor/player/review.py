"""Review: the cards due today, made from the course and the learner's Leitner schedule.

Each finished lesson's concept snapshot lines become cards (the learner says known or again),
and so does each quiz question they missed (asked again: a prediction graded on a fresh real
run). Order questions are not reviewed as cards; their lesson's quiz asks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.models import ChoiceQuestion, Lesson, OrderQuestion, PredictQuestion, Quiz

if TYPE_CHECKING:
    from ..content.loader import Course
    from ..progress.store import ProgressStore

__all__ = ["ReviewCard", "question_cards", "review_deck", "snapshot_cards"]


@dataclass(frozen=True)
class ReviewCard:
    """One card due: a snapshot line of a lesson, or a question of its quiz."""

    card_id: str
    lesson: Lesson
    box: int
    """Its Leitner box (1: least known)."""
    point: str | None = None
    """The concept snapshot line, for a point card."""
    quiz: Quiz | None = None
    question: int | None = None
    """The question's index in the lesson's quiz, for a question card."""

    @property
    def asked(self) -> ChoiceQuestion | PredictQuestion | None:
        """The question a question card asks (None for a point card)."""
        if self.quiz is None or self.question is None:
            return None
        question = self.quiz.questions[self.question]
        return None if isinstance(question, OrderQuestion) else question


def snapshot_cards(lesson: Lesson) -> list[str]:
    """The card ids of a lesson's concept snapshot lines."""
    from ..progress.cards import card_id

    return [card_id(lesson.id, "point", n) for n in range(len(lesson.concept_snapshot))]


def question_cards(missed: list[tuple[str, int]], course: Course) -> list[str]:
    """The card ids of missed questions (order questions left out)."""
    from ..progress.cards import card_id

    ids = []
    for lesson_id, index in missed:
        quiz = course.quiz(lesson_id)
        question = quiz.questions[index] if quiz and index < len(quiz.questions) else None
        if question is not None and not isinstance(question, OrderQuestion):
            ids.append(card_id(lesson_id, "question", index))
    return ids


def review_deck(course: Course, store: ProgressStore) -> list[ReviewCard]:
    """The cards due now, least known first. Every finished lesson's snapshot lines are made
    cards first (a lesson finished before reviews existed gets them too)."""
    from ..progress.cards import add_cards, due_cards, parse_card_id

    progress = store.all()
    finished = [
        lesson for lesson in course if lesson.id in progress and progress[lesson.id].completed
    ]
    add_cards(store, [card for lesson in finished for card in snapshot_cards(lesson)])
    lessons = {lesson.id: lesson for lesson in course}
    deck = []
    for due in due_cards(store):
        parsed = parse_card_id(due.card_id)
        if parsed is None or parsed[0] not in lessons:
            continue  # a card of a lesson this course no longer has
        lesson_id, kind, index = parsed
        lesson = lessons[lesson_id]
        if kind == "point" and index < len(lesson.concept_snapshot):
            deck.append(
                ReviewCard(due.card_id, lesson, due.box, point=lesson.concept_snapshot[index])
            )
        quiz = course.quiz(lesson_id)
        if kind == "question" and quiz is not None and index < len(quiz.questions):
            card = ReviewCard(due.card_id, lesson, due.box, quiz=quiz, question=index)
            if card.asked is not None:
                deck.append(card)
    return deck
