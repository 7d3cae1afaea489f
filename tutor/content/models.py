"""Lessons as validated data: what a lesson file may say, and what each field means.

The quiz models live in `quiz_models`, the field types both share in `fields`; both are
re-exported here, so `from tutor.content.models import Quiz` keeps working.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .beat import BeatEntry, BeatSetup
from .course_index import Chapter, CourseIndex, LessonId
from .crossref import lesson_problems, missing_step
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
from .quiz_models import (
    Choice,
    ChoiceQuestion,
    OrderItem,
    OrderQuestion,
    PredictQuestion,
    Question,
    Quiz,
)
from .run_setup import RunSetup, WorkerSetup

__all__ = [
    "FORMAT_VERSION",
    "PLACEHOLDER_ROOTS",
    "BeatEntry",
    "BeatSetup",
    "Chapter",
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


class Sample(_Strict):
    """The execution sample: the code that actually runs, shown exactly as run."""

    code: NonEmpty
    """Python code: imports and task definitions first, then the caller's statements."""
    explanation: NonEmpty
    """One sentence under the code saying what it does."""
    language_label: str = "Python"
    """The label above the code."""

    @field_validator("code")
    @classmethod
    def _parses(cls, code: str) -> str:
        program = parse_sample(code)
        if not program.calls:
            raise ValueError("the sample makes no call after its definitions")
        return code


class FlowBox(_Strict):
    """One box of the concept flow diagram."""

    label: NonEmpty
    """The text in the box."""
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
    """The Action column: what happens ({placeholders} allowed)."""
    evaluation: Template
    """The Evaluation column: what is worked out ({placeholders} allowed)."""
    result: Template
    """The Result column: what comes of it ({placeholders} allowed)."""
    notes: NonEmpty
    """Presenter notes for this step."""
    highlight_line: int | None = None
    """The sample line to highlight at this step (defaults to the stop's own line)."""
    task: NonEmpty | None = None
    """Which task {task.*} means here: "tasks.divide" or "divide", the newest task of that name
    at the step's stop (default: the first task sent)."""


class TrackedVariable(_Strict):
    """A variable whose value the tracker follows through the run."""

    name: NonEmpty
    """The row label of the tracker."""
    value: Template
    """Where the value comes from, e.g. "{task.arguments[x]}" or "{task.return_value}"."""
    task: NonEmpty | None = None
    """Which task {task.*} means in `value` ("divide"); default: the one each step chose."""


class TrackerColumn(_Strict):
    """One column of the variable tracker: the values after a given step (0 = before the run)."""

    label: NonEmpty
    """The column heading ("Start", "After Step 2")."""
    after_step: int = Field(ge=0)
    """The step after which the values are read (0: before the run)."""


class Variant(_Strict):
    """A what-if version of the run: one change, run for real to show the difference.

    With `steps` of its own it is played like a lesson (stage by stage, in the same panels);
    without, it runs to its end and its outcome is shown under the key moment.
    """

    label: NonEmpty
    """What changes, in a few words ("no result backend")."""
    code: str | None = None
    """Replacement sample code (shown exactly as run); the lesson's sample when absent."""
    run: RunSetup | None = None
    """Replacement set-up; the lesson's when absent."""
    steps: list[Step] = Field(default_factory=list)
    """Its own execution table (same fields as a lesson's steps); none: run to its end."""
    variables: list[TrackedVariable] | None = Field(default=None, min_length=1)
    """Its own tracker rows (with steps only); the lesson's when absent."""
    tracker: list[TrackerColumn] | None = Field(default=None, min_length=2)
    """Its own tracker columns (with steps only); the lesson's when absent."""
    table_note: NonEmpty | None = None
    """A note under its execution table, once every step is reached (with steps only)."""

    @field_validator("code")
    @classmethod
    def _parses(cls, code: str | None) -> str | None:
        if code is not None:
            parse_sample(code)
        return code


class KeyMoment(_Strict):
    """A question the learner can answer by making something happen and watching it."""

    question: NonEmpty
    """The question a learner may have."""
    answer: NonEmpty
    """Its answer, in a sentence or two."""
    step: int = Field(ge=1)
    """The step of the execution table where it can be seen."""
    watch: NonEmpty
    """What to look at there, in the panels."""
    variant: str | None = None
    """A what-if variant that shows it (by name), when the plain run does not."""


class Lesson(_Strict):
    """A whole lesson: every section of the reference page, with the run that fills it."""

    format_version: Literal[1]
    """Always 1."""
    id: LessonId
    """The lesson id: its file name without .toml (lower-case letters, digits, dashes)."""
    title: NonEmpty
    """The title, in the lesson list and on the page."""
    subtitle: NonEmpty
    """A line under the title."""
    level: Literal["beginner", "intermediate", "advanced"]
    """beginner, intermediate or advanced."""
    duration: NonEmpty
    """About how long it takes ("10 mins")."""
    run: RunSetup = Field(default_factory=RunSetup)
    """How the lesson's Celery app is set up (result backend, workers)."""
    real_broker: bool = False
    """Whether the lesson also plays on a real Redis broker with worker processes
    (`tutor run LESSON --broker redis`); false: in memory only."""
    sample: Sample
    """The code that runs, shown exactly as run."""
    flow: list[FlowBox] = Field(min_length=2)
    """The boxes of the concept flow diagram, in order (at least 2)."""
    flow_caption: NonEmpty
    """A sentence under the flow diagram."""
    steps: list[Step] = Field(min_length=1)
    """The rows of the execution table: each ends where the real run stops at its stage."""
    table_note: NonEmpty
    """A note under the execution table, shown once every step is reached."""
    variables: list[TrackedVariable] = Field(min_length=1)
    """The rows of the variable tracker."""
    tracker: list[TrackerColumn] = Field(min_length=2)
    """The columns of the variable tracker (at least 2)."""
    key_moments: list[KeyMoment] = Field(min_length=1)
    """Questions a learner may ask, with where the run shows the answer."""
    variants: dict[str, Variant] = Field(default_factory=dict)
    """What-if versions of the run, by name (one change each)."""
    concept_snapshot: list[NonEmpty] = Field(min_length=1)
    """The lesson's points, one line each."""
    transcript: NonEmpty
    """The lesson as a paragraph to read or say aloud."""

    @model_validator(mode="after")
    def _cross_references(self) -> Lesson:
        problem = next(self.problems(), None)
        if problem is not None:
            raise ValueError(problem)
        return self

    def problems(self) -> Iterator[str]:
        """What the fields say about each other that does not hold, one line each."""
        return lesson_problems(self)
