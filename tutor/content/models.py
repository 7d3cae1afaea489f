"""Lessons as validated data: what a lesson file may say, and what each field means.

The quiz models live in `quiz_models`, the field types both share in `fields`; both are
re-exported here, so `from tutor.content.models import Quiz` keeps working.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from .fields import (
    FORMAT_VERSION,
    PLACEHOLDER_ROOTS,
    NonEmpty,
    StageName,
    StopPattern,
    Template,
    check_stop_pattern,
    check_template,
    parse_sample,
    stop_matches,
)
from .fields import Strict as _Strict
from .files import ID_PATTERN, id_problem
from .quiz_models import (
    Choice,
    ChoiceQuestion,
    OrderItem,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
)

__all__ = [
    "FORMAT_VERSION",
    "PLACEHOLDER_ROOTS",
    "Choice",
    "ChoiceQuestion",
    "CourseIndex",
    "FlowBox",
    "KeyMoment",
    "Lesson",
    "NonEmpty",
    "OrderItem",
    "OrderQuestion",
    "PredictQuestion",
    "Question",
    "Quiz",
    "RunSetup",
    "Sample",
    "Step",
    "StopPattern",
    "Template",
    "TrackedVariable",
    "TrackerColumn",
    "Variant",
    "WorkerSetup",
    "check_stop_pattern",
    "check_template",
    "missing_step",
    "parse_sample",
    "stop_matches",
]


def _lesson_id(value: str) -> str:
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


LessonId = Annotated[
    str, AfterValidator(_lesson_id), Field(json_schema_extra={"pattern": ID_PATTERN.pattern})
]
"""A lesson id: lower-case letters, digits and dashes (it names the lesson's file)."""


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


class FlowBox(_Strict):
    """One box of the concept flow diagram."""

    label: NonEmpty
    stages: list[StopPattern] = Field(default_factory=list)
    """The run stops during which this box is lit ("executing" or "executing@worker")."""
    lane: Literal["main", "side"] = "main"
    """"side" draws the box beside the chain (the main app going on)."""


class Step(_Strict):
    """One row of the execution table: where the run stops, and what its three columns read."""

    at: StageName
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
    id: LessonId
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
                missing = missing_step(column.after_step, count)
                raise ValueError(f"tracker[{index}].after_step: {missing}")
        for index, moment in enumerate(self.key_moments):
            if moment.step > count:
                raise ValueError(f"key_moments[{index}].step: {missing_step(moment.step, count)}")
            if moment.variant is not None and moment.variant not in self.variants:
                known = ", ".join(sorted(self.variants)) or "none"
                raise ValueError(
                    f"key_moments[{index}].variant: no variant named {moment.variant!r} "
                    f"(defined: {known})"
                )
        lines = len(self.sample.code.splitlines())
        for index, step in enumerate(self.steps):
            for name in ("line", "highlight_line"):
                line = getattr(step, name)
                if line is not None and not 1 <= line <= lines:
                    raise ValueError(
                        f"steps[{index}].{name}: line {line} does not exist (the sample has "
                        f"{lines} lines)"
                    )
        return self


def missing_step(step: int, count: int) -> str:
    """The words for a step number past the lesson's last step."""
    return f"step {step} does not exist (the lesson has {count} step{'s' if count != 1 else ''})"


class CourseIndex(_Strict):
    """The order of the lessons."""

    format_version: Literal[1]
    order: list[LessonId] = Field(min_length=1)
