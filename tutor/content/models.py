"""Lessons and quizzes as validated data: what a lesson file may say, and what each field means."""

from __future__ import annotations

import string
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..engine.errors import SampleError
from ..engine.sample import SampleProgram
from ..engine.stages import Stage

FORMAT_VERSION = 1

PLACEHOLDER_ROOTS = frozenset(
    {
        "task",
        "tasks",
        "call",
        "calls",
        "queue",
        "depth",
        "worker",
        "workers",
        "stop",
        "backend",
        "task_names",
        "caller",
        "elapsed_ms",
    }
)
"""Names a step's text may use in {placeholders}; each is filled from the real run's snapshot."""

NonEmpty = Annotated[str, Field(min_length=1)]


def parse_sample(code: str) -> SampleProgram:
    """Parse sample code; a syntax error becomes a ValueError naming the line."""
    try:
        return SampleProgram.parse(code, "sample")
    except SampleError as exc:
        raise ValueError(str(exc).removeprefix("sample: ")) from None


def check_template(text: str) -> str:
    """Reject text whose {placeholders} are malformed or name something the snapshot lacks."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(f"malformed placeholder: {exc}") from None
    for _, field_name, _, _ in parts:
        if field_name is None:
            continue
        root = field_name.split(".", 1)[0].split("[", 1)[0]
        if root not in PLACEHOLDER_ROOTS:
            allowed = ", ".join(sorted(PLACEHOLDER_ROOTS))
            raise ValueError(f"unknown placeholder {{{field_name}}} (use one of: {allowed})")
    return text


Template = Annotated[str, Field(min_length=1), AfterValidator(check_template)]
"""Text with {placeholders} filled from the real run."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkerSetup(_Strict):
    """One in-thread worker of the lesson's run."""

    name: NonEmpty = "worker-1"
    queues: list[NonEmpty] = Field(default_factory=lambda: ["celery"], min_length=1)


class RunSetup(_Strict):
    """How the lesson's Celery app is set up."""

    result_backend: bool = True
    """Whether the app has a result backend; false shows "not configured"."""
    ignore_result: bool = False
    """Whether tasks ignore their results."""
    workers: list[WorkerSetup] = Field(default_factory=lambda: [WorkerSetup()])
    """The workers; an empty list means nothing consumes the queue."""


class Sample(_Strict):
    """The execution sample: the code that actually runs, shown exactly as run."""

    code: NonEmpty
    explanation: NonEmpty
    language_label: str = "Python"

    @field_validator("code")
    @classmethod
    def _parses(cls, code: str) -> str:
        program = parse_sample(code)
        if not program.calls:
            raise ValueError("the sample makes no call after its definitions")
        return code


class Variant(_Strict):
    """A what-if version of the run: one change, run for real to show the difference."""

    label: NonEmpty
    """What changes, in a few words ("no result backend")."""
    code: str | None = None
    """Replacement sample code (shown exactly as run); the lesson's sample when absent."""
    run: RunSetup | None = None
    """Replacement set-up; the lesson's when absent."""

    @field_validator("code")
    @classmethod
    def _parses(cls, code: str | None) -> str | None:
        if code is not None:
            parse_sample(code)
        return code


def check_stop_pattern(pattern: str) -> str:
    """Accept "stage" or "stage@thread-prefix" (e.g. "executing@worker")."""
    stage, _, thread = pattern.partition("@")
    if stage not in {s.value for s in Stage}:
        known = ", ".join(s.value for s in Stage)
        raise ValueError(f"unknown stage {stage!r} (use one of: {known})")
    if "@" in pattern and not thread:
        raise ValueError(f"{pattern!r}: name a thread after '@' (main-app, worker...)")
    return pattern


StopPattern = Annotated[str, AfterValidator(check_stop_pattern)]
"""A stage, optionally limited to threads whose name starts with the text after '@'."""


def stop_matches(pattern: str, stage: Stage, thread: str) -> bool:
    """Whether a stop (its stage and thread) matches a StopPattern."""
    wanted, _, prefix = pattern.partition("@")
    return stage.value == wanted and thread.startswith(prefix)


class FlowBox(_Strict):
    """One box of the concept flow diagram."""

    label: NonEmpty
    stages: list[StopPattern] = Field(default_factory=list)
    """The run stops during which this box is lit ("executing" or "executing@worker")."""
    lane: Literal["main", "side"] = "main"
    """"side" draws the box beside the chain (the main app going on)."""


class Step(_Strict):
    """One row of the execution table: where the run stops, and what its three columns read."""

    at: Stage
    """The run stage this step ends at."""
    thread: str | None = None
    """Only a stop in a thread whose name starts with this ("main-app", "worker")."""
    line: int | None = None
    """Only a stop at this line of the sample."""
    action: Template
    evaluation: Template
    result: Template
    notes: NonEmpty
    """Presenter notes for this step."""
    highlight_line: int | None = None
    """The sample line to highlight at this step (defaults to the stop's own line)."""


class TrackedVariable(_Strict):
    """A variable whose value the tracker follows through the run."""

    name: NonEmpty
    value: Template
    """Where the value comes from, e.g. "{task.arguments[x]}" or "{task.return_value}"."""


class TrackerColumn(_Strict):
    """One column of the variable tracker: the values after a given step (0 = before the run)."""

    label: NonEmpty
    after_step: int = Field(ge=0)


class KeyMoment(_Strict):
    """A question the learner can answer by making something happen and watching it."""

    question: NonEmpty
    answer: NonEmpty
    step: int = Field(ge=1)
    """The step of the execution table where it can be seen."""
    watch: NonEmpty
    """What to look at there, in the panels."""
    variant: str | None = None
    """A what-if variant that shows it (by name), when the plain run does not."""


class Lesson(_Strict):
    """A whole lesson: every section of the reference page, with the run that fills it."""

    format_version: Literal[1]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: NonEmpty
    subtitle: NonEmpty
    level: Literal["beginner", "intermediate", "advanced"]
    duration: NonEmpty
    run: RunSetup = Field(default_factory=RunSetup)
    sample: Sample
    flow: list[FlowBox] = Field(min_length=2)
    flow_caption: NonEmpty
    steps: list[Step] = Field(min_length=1)
    table_note: NonEmpty
    variables: list[TrackedVariable] = Field(min_length=1)
    tracker: list[TrackerColumn] = Field(min_length=2)
    key_moments: list[KeyMoment] = Field(min_length=1)
    variants: dict[str, Variant] = Field(default_factory=dict)
    concept_snapshot: list[NonEmpty] = Field(min_length=1)
    transcript: NonEmpty

    @model_validator(mode="after")
    def _cross_references(self) -> Lesson:
        count = len(self.steps)
        for index, column in enumerate(self.tracker):
            if column.after_step > count:
                raise ValueError(
                    f"tracker[{index}].after_step: {column.after_step} is past the last step "
                    f"({count})"
                )
        for index, moment in enumerate(self.key_moments):
            if moment.step > count:
                raise ValueError(
                    f"key_moments[{index}].step: {moment.step} is past the last step ({count})"
                )
            if moment.variant is not None and moment.variant not in self.variants:
                known = ", ".join(sorted(self.variants)) or "none"
                raise ValueError(
                    f"key_moments[{index}].variant: no variant named {moment.variant!r} "
                    f"(defined: {known})"
                )
        return self


class Choice(_Strict):
    """One answer of a multiple-choice question."""

    key: Annotated[str, Field(pattern=r"^[A-Z]$")]
    text: NonEmpty


class ChoiceQuestion(_Strict):
    """A multiple-choice question with a hint and an explanation."""

    kind: Literal["choice"]
    prompt: NonEmpty
    choices: list[Choice] = Field(min_length=2)
    answer: Annotated[str, Field(pattern=r"^[A-Z]$")]
    hint: NonEmpty
    hint_step: int | None = Field(default=None, ge=1)
    """The step of the execution table the hint points at (highlighted there)."""
    explanation: NonEmpty

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> ChoiceQuestion:
        keys = _unique_keys(self.choices)
        if self.answer not in keys:
            raise ValueError(f"answer: {self.answer!r} is not one of the choices {keys}")
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
    prompt: NonEmpty
    before_step: int = Field(ge=1)
    """Asked when the run is about to enter this step of the execution table."""
    observe: Template
    """What the real run shows at that step, e.g. "{task.state}" or "{queue.depth}"."""
    choices: list[Choice] = Field(min_length=2)
    hint: NonEmpty
    explanation: Template

    @model_validator(mode="after")
    def _keys(self) -> PredictQuestion:
        _unique_keys(self.choices)
        return self


class OrderItem(_Strict):
    """One thing to put in order, tied to the run stage where it really happens."""

    text: NonEmpty
    stage: StopPattern


class OrderQuestion(_Strict):
    """Put the stages in order: graded against the order they happened in the real run."""

    kind: Literal["order"]
    prompt: NonEmpty
    items: list[OrderItem] = Field(min_length=3, max_length=9)
    hint: NonEmpty
    explanation: NonEmpty


Question = Annotated[ChoiceQuestion | PredictQuestion | OrderQuestion, Field(discriminator="kind")]


class Quiz(_Strict):
    """A lesson's quiz."""

    format_version: Literal[1]
    lesson: NonEmpty
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _predictions_come_first(self) -> Quiz:
        # a prediction needs the run still before its step; grading an order needs the whole run
        seen_order = False
        last_step = 0
        for index, question in enumerate(self.questions):
            if isinstance(question, OrderQuestion):
                seen_order = True
            elif isinstance(question, PredictQuestion):
                if seen_order:
                    raise ValueError(
                        f"questions[{index}]: a predict question must come before every order "
                        "question (grading an order runs the lesson to its end)"
                    )
                if question.before_step < last_step:
                    raise ValueError(
                        f"questions[{index}].before_step: predictions must go forward through "
                        f"the run ({question.before_step} comes after {last_step})"
                    )
                last_step = question.before_step
        return self


class CourseIndex(_Strict):
    """The order of the lessons."""

    format_version: Literal[1]
    order: list[NonEmpty] = Field(min_length=1)
