"""A quiz session: questions asked one by one, predictions and orders graded against a real run."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..content.models import (
    ChoiceQuestion,
    Lesson,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
    stop_matches,
)
from ..engine.snapshot import Snapshot
from .context import fill
from .lesson_run import LessonRun, StepResult


@dataclass(frozen=True)
class Feedback:
    """The outcome of one answer, with what the learner said beside what is true."""

    question: int
    """Index of the question in the quiz file."""
    correct: bool
    given: str
    expected: str
    explanation: str
    observed: bool = False
    """True when `expected` was read from the real run (predictions, orders)."""


def choice_text(choices: list, key: str) -> str:  # type: ignore[type-arg]
    """The text of the choice with this key ('' when there is none)."""
    return next((choice.text for choice in choices if choice.key == key.upper()), "")


def shown_order(lesson: Lesson, index: int, question: OrderQuestion) -> list[int]:
    """The item indices in the (shuffled, but stable) order the learner first sees them."""
    order = list(range(len(question.items)))
    random.Random(f"{lesson.id}:{index}").shuffle(order)
    if order == sorted(order):
        order.reverse()
    return order


def real_order(question: OrderQuestion, stops: list[Snapshot]) -> list[int]:
    """Item indices sorted by when their stage first happened in the real run."""
    first: dict[int, int] = {}
    for position, snapshot in enumerate(stops):
        for item_index, item in enumerate(question.items):
            if item_index not in first and stop_matches(
                item.stage, snapshot.stage, snapshot.stop.thread
            ):
                first[item_index] = position
    missing = [question.items[i].text for i in range(len(question.items)) if i not in first]
    if missing:
        raise ValueError(f"the real run never reached: {', '.join(missing)}")
    return sorted(first, key=first.__getitem__)


def grade_prediction(
    index: int, question: PredictQuestion, key: str, lesson_run: LessonRun
) -> Feedback:
    """Grade a prediction against the step it was about (the run must have reached it): the
    lesson's run, or for a question about a variant, that variant's run."""
    context = lesson_run.results[question.before_step - 1].context_for(question.task)
    observed = fill(question.observe, context, missing="undefined")
    given = choice_text(question.choices, key)
    return Feedback(
        index,
        given == observed,
        f"{key.upper()}  {given}",
        observed,
        fill(question.explanation, context),
        observed=True,
    )


@dataclass
class QuizSession:
    """One attempt at a quiz (or at its missed questions), with its own real run."""

    lesson: Lesson
    quiz: Quiz
    only: list[int] | None = None
    """Indices of the questions to ask (all when None)."""
    lesson_run: LessonRun = field(init=False)
    feedback: list[Feedback] = field(default_factory=list)
    variant_runs: dict[str, LessonRun] = field(default_factory=dict)
    """The runs of the variants predictions are about, by name (started when first asked)."""

    def __post_init__(self) -> None:
        self.lesson_run = LessonRun(self.lesson)

    def run_for(self, question: PredictQuestion) -> LessonRun:
        """The run a prediction is about: the lesson's, or its variant's."""
        if question.variant is None:
            return self.lesson_run
        if question.variant not in self.variant_runs:
            from .whatif import variant_lesson_run

            self.variant_runs[question.variant] = variant_lesson_run(self.lesson, question.variant)
        return self.variant_runs[question.variant]

    @property
    def indices(self) -> list[int]:
        """The questions of this attempt, by index in the quiz file."""
        return list(range(len(self.quiz.questions))) if self.only is None else list(self.only)

    @property
    def position(self) -> int:
        """How many questions are answered."""
        return len(self.feedback)

    @property
    def finished(self) -> bool:
        """True once every question of the attempt is answered."""
        return self.position >= len(self.indices)

    @property
    def current_index(self) -> int:
        """Index (in the file) of the question being asked."""
        return self.indices[self.position]

    @property
    def current(self) -> Question:
        """The question being asked."""
        return self.quiz.questions[self.current_index]

    def prepare(self) -> None:
        """Move the real run to where the current question is asked (engine work: off the UI)."""
        question = self.current
        if isinstance(question, PredictQuestion):
            lesson_run = self.run_for(question)
            while len(lesson_run.results) < question.before_step - 1:
                lesson_run.next_step()

    def answer(self, given: str | list[int]) -> Feedback:
        """Grade an answer: a choice key, or (order) the item indices in the learner's order."""
        index, question = self.current_index, self.current
        if isinstance(question, ChoiceQuestion):
            feedback = self._grade_choice(index, question, str(given))
        elif isinstance(question, PredictQuestion):
            feedback = self._grade_prediction(index, question, str(given))
        else:
            assert isinstance(given, list)
            feedback = self._grade_order(index, question, given)
        self.feedback.append(feedback)
        return feedback

    def _grade_choice(self, index: int, question: ChoiceQuestion, key: str) -> Feedback:
        given = choice_text(question.choices, key)
        expected = choice_text(question.choices, question.answer)
        return Feedback(
            index,
            key.upper() == question.answer,
            f"{key.upper()}  {given}",
            f"{question.answer}  {expected}",
            question.explanation,
        )

    def _grade_prediction(self, index: int, question: PredictQuestion, key: str) -> Feedback:
        lesson_run = self.run_for(question)
        while len(lesson_run.results) < question.before_step:
            lesson_run.next_step()
        return grade_prediction(index, question, key, lesson_run)

    def _grade_order(self, index: int, question: OrderQuestion, given: list[int]) -> Feedback:
        self.lesson_run.play_all()
        assert self.lesson_run.run is not None
        stops = self.lesson_run.run.run_to_end()
        truth = real_order(question, stops)
        return Feedback(
            index,
            given == truth,
            " → ".join(question.items[i].text for i in given),
            " → ".join(question.items[i].text for i in truth),
            question.explanation,
            observed=True,
        )

    @property
    def score(self) -> tuple[int, int]:
        """(right answers, questions asked)."""
        return sum(1 for f in self.feedback if f.correct), len(self.indices)

    def missed(self) -> list[int]:
        """Indices of the questions answered wrongly."""
        return [f.question for f in self.feedback if not f.correct]

    def missed_items(self) -> list[tuple[str, int]]:
        """(lesson id, question index) of each question answered wrongly."""
        return [(self.lesson.id, index) for index in self.missed()]

    def retry_missed(self) -> QuizSession:
        """A new attempt at the missed questions only, on a fresh real run."""
        return QuizSession(self.lesson, self.quiz, only=self.missed())

    def close(self) -> None:
        """Stop the attempt's real runs."""
        self.lesson_run.close()
        for lesson_run in self.variant_runs.values():
            lesson_run.close()


def real_answers(lesson: Lesson, quiz: Quiz) -> dict[int, tuple[str, str]]:
    """Every question's answer and explanation; predictions and orders read from a real run."""
    answers: dict[int, tuple[str, str]] = {}
    variants: dict[str, list[StepResult]] = {}

    def variant_results(name: str) -> list[StepResult]:
        if name not in variants:
            from .whatif import variant_lesson_run

            with variant_lesson_run(lesson, name) as played:
                variants[name] = played.play_all()
        return variants[name]

    with LessonRun(lesson) as lesson_run:
        results = lesson_run.play_all()
        assert lesson_run.run is not None
        stops = lesson_run.run.run_to_end()
        for index, question in enumerate(quiz.questions):
            if isinstance(question, ChoiceQuestion):
                text = choice_text(question.choices, question.answer)
                answers[index] = (f"{question.answer} ({text})", question.explanation)
            elif isinstance(question, PredictQuestion):
                played = results if question.variant is None else variant_results(question.variant)
                context = played[question.before_step - 1].context_for(question.task)
                observed = fill(question.observe, context, missing="undefined")
                key = next((c.key for c in question.choices if c.text == observed), "?")
                explanation = fill(question.explanation, context)
                answers[index] = (f"{key} ({observed}, seen in the real run)", explanation)
            else:
                order = real_order(question, stops)
                shown = shown_order(lesson, index, question)
                numbers = " ".join(str(shown.index(item) + 1) for item in order)
                answers[index] = (f"{numbers} (the real run's order)", question.explanation)
    return answers
