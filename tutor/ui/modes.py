"""The app's study modes beside the lessons: challenge, review, and a chapter's mixed quiz.

A mixin of `TutorApp`: it reads the learner's progress for the home screen, opens the modes'
screens once the course is loaded, and saves what they report (a challenge's result, missed
questions, answered cards) in the progress store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .messages import CardAnswered, ChallengeFinished, OpenMode, QuestionsMissed
from .screens.home import HomeExtras

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.app import App

    from ..content.loader import Course
    from ..content.outline import Outline
    from ..content.summary import LessonSummary
    from ..progress.store import LessonProgress, ProgressStore

    _Base = App[None]
else:
    _Base = object


class ModesMixin(_Base):
    """Challenge, review and chapter quizzes, for `TutorApp`."""

    course: Course | None
    summaries: Sequence[LessonSummary]
    progress: ProgressStore | None
    session_progress: dict[str, str]
    pending_mode: OpenMode | None = None
    """A mode asked for before the course was loaded (`tutor review`), opened once it is."""

    def outline(self) -> Outline:
        """The course in chapters (read from the index before the course is validated)."""
        if self.course is not None:
            return self.course.outline
        from ..content.outline import read_outline

        return read_outline([summary.id for summary in self.summaries])

    def lesson_progress(self, lesson_id: str) -> LessonProgress:
        """What is saved of a lesson (all zeros without a store)."""
        from ..progress.store import LessonProgress

        if self.progress is None:
            done = self.session_progress.get(lesson_id) == "done"
            return LessonProgress(lesson_id, completed=done)
        return self.progress.get(lesson_id)

    def all_progress(self) -> dict[str, LessonProgress]:
        """Saved progress of every lesson, for the home screen."""
        if self.progress is None:
            return {
                lesson_id: self.lesson_progress(lesson_id) for lesson_id in self.session_progress
            }
        return self.progress.all()

    def read_home(self) -> tuple[dict[str, LessonProgress], HomeExtras]:
        """What the home screen shows of the learner: the progress of every lesson, the
        challenge bests and the cards due, read over one connection."""
        if self.progress is None:
            return self.all_progress(), HomeExtras()
        with self.progress.reading():
            return self.all_progress(), self.home_extras()

    def home_extras(self) -> HomeExtras:
        """The challenge bests and the count of review cards due (nothing without a store)."""
        if self.progress is None:
            return HomeExtras()
        from ..progress.bests import challenge_bests
        from ..progress.cards import due_count

        return HomeExtras(challenge_bests(self.progress), due_count(self.progress))

    def on_open_mode(self, message: OpenMode) -> None:
        """Open the mode a screen (or the command line) asked for."""
        if self.course is None:
            self.pending_mode = message
            return
        if message.kind == "challenge" and message.lesson_id is not None:
            self.open_challenge(message.lesson_id)
        elif message.kind == "review":
            self.open_review()
        elif message.kind == "chapter" and message.chapter is not None:
            self.open_chapter_quiz(message.chapter)

    def open_pending_mode(self) -> None:
        """The course is loaded: open the mode asked for before, if any."""
        if self.pending_mode is not None and self.course is not None:
            mode, self.pending_mode = self.pending_mode, None
            self.on_open_mode(mode)

    def open_challenge(self, lesson_id: str) -> None:
        """A lesson's challenge: its predictions and orderings against the clock."""
        assert self.course is not None
        from ..player.drill import challenge_questions
        from .screens.challenge import ChallengeScreen

        quiz = self.course.quiz(lesson_id)
        if quiz is None or not challenge_questions(quiz):
            self.notify(f"Lesson {lesson_id!r} has no predictions to challenge.", markup=False)
            return
        best = None
        if self.progress is not None:
            from ..progress.bests import challenge_bests

            best = challenge_bests(self.progress).get(lesson_id)
        self.push_screen(ChallengeScreen(self.course.lesson(lesson_id), quiz, best))

    def open_review(self) -> None:
        """The review cards due today."""
        assert self.course is not None
        from ..player.review import review_deck
        from .screens.review import ReviewScreen

        deck = [] if self.progress is None else review_deck(self.course, self.progress)
        self.push_screen(ReviewScreen(deck))

    def open_chapter_quiz(self, number: int) -> None:
        """A chapter's mixed quiz: the predictions of all its lessons, in turn."""
        assert self.course is not None
        from ..player.drill import MixedSession, chapter_items
        from .screens.quiz import QuizScreen

        chapter = self.course.outline.chapter(number)
        lessons = [(self.course.lesson(i), self.course.quiz(i)) for i in chapter.lessons]
        items = chapter_items(lessons)
        if not items:
            self.notify(f"Chapter {number} has no predictions to quiz.", markup=False)
            return
        first, quiz, _ = items[0]
        screen = QuizScreen(first, quiz, MixedSession(items))
        screen.sub_title = f"Chapter {number} quiz - {chapter.title}"
        self.push_screen(screen)

    # ------------------------------------------------------------------ saving what they report
    def lesson_finished(self, lesson_id: str) -> None:
        """A lesson was played to its end: its concept snapshot lines become review cards."""
        if self.progress is not None and self.course is not None:
            from ..player.review import snapshot_cards
            from ..progress.cards import add_cards

            add_cards(self.progress, snapshot_cards(self.course.lesson(lesson_id)))

    def on_challenge_finished(self, message: ChallengeFinished) -> None:
        """Keep a challenge's result when it is a personal best."""
        if self.progress is not None:
            from ..progress.bests import record_challenge

            record_challenge(
                self.progress, message.lesson_id, message.correct, message.total, message.seconds
            )

    def on_questions_missed(self, message: QuestionsMissed) -> None:
        """Missed questions become review cards (back to box 1 if they were cards already)."""
        if self.progress is not None and self.course is not None and message.items:
            from ..player.review import question_cards
            from ..progress.cards import add_cards

            add_cards(self.progress, question_cards(message.items, self.course), again=True)

    def on_card_answered(self, message: CardAnswered) -> None:
        """Move an answered card in the Leitner schedule."""
        if self.progress is not None:
            from ..progress.cards import answer_card

            answer_card(self.progress, message.card_id, message.known)
