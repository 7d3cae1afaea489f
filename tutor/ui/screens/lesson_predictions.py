"""The lesson screen's predictions: asked before the run enters their step, graded in place.

The graded answer shows in a banner above the panels (never a full-screen pop-up), and the panels
that hold the real value are marked until the run moves on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ...content.models import PredictQuestion, Quiz
from ..widgets.banner import FeedbackBanner, answer_panels
from ..widgets.lesson_panels import LessonPanels

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from ...player.lesson_run import LessonRun
    from ..widgets.run_driver import RunDriver


class Predicting:
    """Mixin for the lesson screen: its predictions, asked and graded on the run on screen."""

    quiz: Quiz | None
    driver: RunDriver
    playing: str | None
    asked: set[int]
    pending_prediction: tuple[int, str] | None
    feedback_at: tuple[RunDriver, int] | None

    if TYPE_CHECKING:
        app: App[None]
        lesson_run: LessonRun | None
        position: int

    def _predictions_about(self, variant: str | None) -> dict[int, PredictQuestion]:
        """The quiz's predictions about one run (the lesson's, or a variant's), by index."""
        questions = self.quiz.questions if self.quiz is not None else []
        return {
            index: question
            for index, question in enumerate(questions)
            if isinstance(question, PredictQuestion) and question.variant == variant
        }

    def _prediction_for(self, step: int) -> tuple[int, PredictQuestion] | None:
        for index, question in self._predictions_about(self.playing).items():
            if question.before_step == step and index not in self.asked:
                return index, question
        return None

    def _ask_prediction(self, step: int) -> bool:
        """Before the run enters a step with a prediction, ask it; True when asked."""
        found = self._prediction_for(step)
        if found is None:
            return False
        index, question = found
        self.asked.add(index)

        def predicted(key: str | None) -> None:
            if key is None:
                self.driver.next()
                return
            self.pending_prediction = (index, key)
            self.driver.aim_at(question.before_step)

        from .predict import PredictScreen

        self.app.push_screen(PredictScreen(question), predicted)
        return True

    def _grade_pending_prediction(self) -> None:
        lesson_run = self.lesson_run
        if self.pending_prediction is None or lesson_run is None or self.quiz is None:
            return
        index, key = self.pending_prediction
        question = self.quiz.questions[index]
        assert isinstance(question, PredictQuestion)
        if question.variant != self.playing or len(lesson_run.results) < question.before_step:
            return
        self.pending_prediction = None
        from ...player.quiz import grade_prediction

        feedback = grade_prediction(index, question, key, lesson_run)
        panels = answer_panels(self.driver.lesson, question.observe)
        cast("Screen[None]", self).query_one(FeedbackBanner).show(feedback, panels)
        cast("Screen[None]", self).query_one(LessonPanels).mark(panels, "-answer")
        self.feedback_at = (self.driver, self.position)

    def _clear_feedback(self) -> None:
        if self.feedback_at is not None:
            self.feedback_at = None
            cast("Screen[None]", self).query_one(FeedbackBanner).clear()
            cast("Screen[None]", self).query_one(LessonPanels).mark((), "-answer")
