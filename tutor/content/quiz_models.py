"""A lesson's quiz as validated data: multiple choice, predict-then-observe, and ordering."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from .fields import NonEmpty, StopPattern, Template
from .fields import Strict as _Strict

__all__ = [
    "Choice",
    "ChoiceQuestion",
    "OrderItem",
    "OrderQuestion",
    "PredictQuestion",
    "Question",
    "Quiz",
]


class Choice(_Strict):
    """One answer of a multiple-choice question."""

    key: Annotated[str, Field(pattern=r"^[A-Z]$")]
    """A capital letter: A, B, C..."""
    text: NonEmpty
    """The answer's text."""


class ChoiceQuestion(_Strict):
    """A multiple-choice question with a hint and an explanation."""

    kind: Literal["choice"]
    """"choice"."""
    prompt: NonEmpty
    """The question."""
    choices: list[Choice] = Field(min_length=2)
    """The answers to choose from (at least 2, keys unique)."""
    answer: Annotated[str, Field(pattern=r"^[A-Z]$")]
    """The key of the right choice."""
    hint: NonEmpty
    """A hint, shown on request."""
    hint_step: int | None = Field(default=None, ge=1)
    """The step of the execution table the hint points at (highlighted there)."""
    explanation: NonEmpty
    """Why the answer is right, shown after answering."""

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> ChoiceQuestion:
        keys = _unique_keys(self.choices)
        if self.answer not in keys:
            raise ValueError(
                f"answer: {self.answer!r} is not one of the choices ({', '.join(keys)})"
            )
        return self


def _unique_keys(choices: list[Choice]) -> list[str]:
    keys = [choice.key for choice in choices]
    if len(set(keys)) != len(keys):
        raise ValueError("choices: two choices share a key")
    return keys


class PredictQuestion(_Strict):
    """Predict, then observe: asked before the run enters a step, graded against what it shows.

    There is no answer key in the file: the right choice is whichever one the real run produces.
    """

    kind: Literal["predict"]
    """"predict"."""
    prompt: NonEmpty
    """The question, asked before the run enters the step."""
    before_step: int = Field(ge=1)
    """Asked when the run is about to enter this step of the execution table."""
    observe: Template
    """What the real run shows at that step, e.g. "{task.state}" or "{queue.depth}"."""
    choices: list[Choice] = Field(min_length=2)
    """The answers to choose from; the right one is whichever text the run shows."""
    hint: NonEmpty
    """A hint, shown on request."""
    explanation: Template
    """Why, shown after answering ({placeholders} allowed)."""
    task: NonEmpty | None = None
    """Which task {task.*} means in `observe` and `explanation` ("divide"); default: the step's."""
    variant: NonEmpty | None = None
    """Ask it about this variant's run (one with steps of its own): `before_step` is a step of
    the variant, and the answer is what the variant's run shows."""

    @model_validator(mode="after")
    def _keys(self) -> PredictQuestion:
        _unique_keys(self.choices)
        return self


class OrderItem(_Strict):
    """One thing to put in order, tied to the run stage where it really happens."""

    text: NonEmpty
    """What happens, in words."""
    stage: StopPattern
    """The run stage where it happens (graded by the real run's order)."""


class OrderQuestion(_Strict):
    """Put the stages in order: graded against the order they happened in the real run."""

    kind: Literal["order"]
    """"order"."""
    prompt: NonEmpty
    """The question."""
    items: list[OrderItem] = Field(min_length=3, max_length=9)
    """The things to put in order (3 to 9)."""
    hint: NonEmpty
    """A hint, shown on request."""
    explanation: NonEmpty
    """The right order, explained."""


Question = Annotated[ChoiceQuestion | PredictQuestion | OrderQuestion, Field(discriminator="kind")]


class Quiz(_Strict):
    """A lesson's quiz."""

    format_version: Literal[1]
    """Always 1."""
    lesson: NonEmpty
    """The id of the lesson this quiz is for."""
    questions: list[Question] = Field(min_length=1)
    """The questions, predictions first (they are asked during the run)."""

    @model_validator(mode="after")
    def _predictions_come_first(self) -> Quiz:
        # a prediction needs the run still before its step; grading an order needs the whole run
        seen_order = False
        last_step: dict[str | None, int] = {}
        for index, question in enumerate(self.questions):
            if isinstance(question, OrderQuestion):
                seen_order = True
            elif isinstance(question, PredictQuestion):
                if seen_order:
                    raise ValueError(
                        f"questions[{index}]: a predict question must come before every order "
                        "question (grading an order runs the lesson to its end)"
                    )
                last = last_step.get(question.variant, 0)
                if question.before_step < last:
                    raise ValueError(
                        f"questions[{index}].before_step: predictions must go forward through "
                        f"the run ({question.before_step} comes after {last})"
                    )
                last_step[question.variant] = question.before_step
        return self
