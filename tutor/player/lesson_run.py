"""A lesson's real run, moved one step (one row of the execution table) at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.crossref import sample_tasks
from ..content.models import BeatSetup, Lesson, RunSetup, Step, stop_matches
from ..engine.snapshot import Snapshot
from ..engine.stages import Stage

if TYPE_CHECKING:
    from ..engine.config import BeatSpec
    from ..engine.protocol import RunLike
    from ..engine.run import RunConfig
from .context import UNDEFINED, build_context, fill


class LessonMismatch(Exception):
    """The real run finished before reaching the stage a step of the lesson expects.

    Its text names what really happened when the run shows a failure: `<lesson x>: line 7 raised
    NameError: name 'ad' is not defined (step 2 waits for stage 'queued'; the run finished
    without reaching it)`; the facts are attributes too.
    """

    def __init__(
        self,
        message: str,
        *,
        step: int,
        stage: str,
        line: int | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(message)
        self.step = step
        """The 1-based number of the step that was not reached."""
        self.stage = stage
        """The stage that step waits for."""
        self.line = line
        """The sample's line that failed, when the run shows one."""
        self.error = error
        """What failed ("NameError: name 'ad' is not defined"), when the run shows it."""


def mismatch(
    lesson_id: str, filename: str, step: int, stage: str, final: Snapshot
) -> LessonMismatch:
    """The error for a step never reached, naming the run's first real failure if it has one."""
    from ..engine.failure import first_failure

    failure = first_failure(final, filename)
    waits = f"step {step} waits for stage {stage!r}"
    if failure is None:
        return LessonMismatch(
            f"{filename}: {waits}, but the real run finished without reaching it",
            step=step,
            stage=stage,
        )
    return LessonMismatch(
        f"{filename}: {failure.text} ({waits}; the run finished without reaching it)",
        step=step,
        stage=stage,
        line=failure.line,
        error=failure.error,
    )


@dataclass(frozen=True)
class StepResult:
    """One step done: the step, the snapshot it ended at, and every stop passed on the way."""

    index: int
    """1-based number of the step in the execution table."""
    step: Step
    snapshot: Snapshot
    stops: tuple[Snapshot, ...]
    context: Mapping[str, Any]
    stop_index: int = 0
    """Where the step's stop is in the run's list of stops (0-based)."""

    def context_for(self, task: str | None) -> Mapping[str, Any]:
        """The context with {task.*} meaning `task` (a name); the step's own when None."""
        if task is None or task == self.step.task:
            return self.context
        return build_context(self.snapshot, task)

    @property
    def action(self) -> str:
        """The Action column, filled from the run."""
        return fill(self.step.action, self.context)

    @property
    def evaluation(self) -> str:
        """The Evaluation column, filled from the run."""
        return fill(self.step.evaluation, self.context)

    @property
    def result(self) -> str:
        """The Result column, filled from the run."""
        return fill(self.step.result, self.context)


def run_config(lesson: Lesson, variant: str | None = None) -> RunConfig:
    """The engine configuration for a lesson, or for one of its variants (see player.whatif)."""
    if variant is None:
        return run_config_for(lesson, lesson.sample.code, lesson.run)
    from .whatif import variant_plan

    plan = variant_plan(lesson, variant)
    return run_config_for(lesson, plan.code, plan.setup, variant)


def run_config_for(
    lesson: Lesson, code: str, setup: RunSetup, variant: str | None = None
) -> RunConfig:
    """The engine configuration that runs `code` with `setup` (Celery loads only here)."""
    import os

    from ..defaults import BROKER_ENV
    from ..engine.run import RunConfig, WorkerSpec

    where = f"<lesson {lesson.id}>" if variant is None else f"<lesson {lesson.id}, {variant}>"
    traced = None if setup.traced_file is None else Path(setup.traced_file)
    if traced is not None:
        where = str(traced)
    return RunConfig(
        code=code,
        filename=where,
        result_backend=setup.result_backend,
        ignore_result=setup.ignore_result,
        workers=tuple(
            WorkerSpec(w.name, tuple(w.queues), w.pool, w.concurrency, w.prefetch_multiplier)
            for w in setup.workers
        ),
        acks_late=setup.acks_late,
        reject_on_worker_lost=setup.reject_on_worker_lost,
        stop_worker=None
        if setup.stop_worker is None
        else (setup.stop_worker.name, setup.stop_worker.at.value),
        visibility_timeout=setup.visibility_timeout,
        traced=traced is not None,
        search_path=None if traced is None else str(traced.resolve().parent),
        module="tasks" if traced is None else traced.stem,
        django=setup.django,
        django_settings=tuple(setup.django_settings.items()),
        beat=None if setup.beat is None else beat_spec(setup.beat, code),
        broker=os.environ.get(BROKER_ENV) or None,
    )


def beat_spec(setup: BeatSetup, code: str) -> BeatSpec:
    """The engine's beat services for a lesson's `beat` (a bare task name is the sample's task)."""
    from ..engine.config import BeatEntrySpec, BeatSpec

    tasks = sample_tasks(code)
    registered = {bare: name for name, bare in tasks.items()}
    entries = tuple(
        BeatEntrySpec(
            entry.name,
            entry.task if entry.task in tasks else registered.get(entry.task, entry.task),
            entry.every,
            tuple(entry.args),
            dict(entry.kwargs),
        )
        for entry in setup.schedule
    )
    return BeatSpec(entries, services=setup.services, stop_after=setup.stop_after)


def step_reached(step: Step, snapshot: Snapshot) -> bool:
    """Whether a stop of the run is where `step` ends."""
    pattern = step.at.value if step.thread is None else f"{step.at.value}@{step.thread}"
    if not stop_matches(pattern, snapshot.stage, snapshot.stop.thread):
        return False
    return step.line is None or snapshot.stop.line == step.line


class LessonRun:
    """Plays a lesson against a real run: `next_step()` advances the run to the next step's stop."""

    def __init__(
        self, lesson: Lesson, variant: str | None = None, config: RunConfig | None = None
    ) -> None:
        self.lesson = lesson
        self.variant = variant
        self._config: RunConfig | None = config
        self.run: RunLike | None = None
        self.results: list[StepResult] = []
        self.stops: list[Snapshot] = []
        self._stops_at_last_step = 0

    @property
    def config(self) -> RunConfig:
        """The engine configuration of this run (built on first use: it imports Celery)."""
        if self._config is None:
            self._config = run_config(self.lesson, self.variant)
        return self._config

    def start(self) -> LessonRun:
        """Start the real run (a Celery app and its workers): call it off the UI thread. With a
        broker URL configured (`--broker`), the run is on that Redis with worker processes."""
        if self.config.broker is None:
            from ..engine.run import Run

            self.run = Run.start(self.config)
            return self
        if not self.lesson.real_broker:
            from ..engine.errors import EngineError

            raise EngineError(
                f"the lesson {self.lesson.id!r} does not run on a real broker (its real_broker "
                "is false); play it without --broker"
            )
        from ..engine.realbroker.run import RealRun

        self.run = RealRun.start(self.config)
        return self

    @property
    def steps_complete(self) -> bool:
        """True once every step of the lesson has been reached (the run may still go on)."""
        return len(self.results) >= len(self.lesson.steps)

    @property
    def finished(self) -> bool:
        """True once the real run reached its FINISHED stop."""
        return bool(self.stops) and self.stops[-1].stage is Stage.FINISHED

    def advance_stop(self) -> Snapshot:
        """Advance the real run by one stop; when it is where the next step ends, record the step.

        Call it off the UI thread: it waits for the run's threads to settle.
        """
        if self.run is None:
            self.start()
        assert self.run is not None
        if self.finished:
            return self.stops[-1]
        snapshot = self.run.advance()
        self.stops.append(snapshot)
        if not self.steps_complete:
            index = len(self.results)
            step = self.lesson.steps[index]
            if step_reached(step, snapshot):
                passed = tuple(self.stops[self._stops_at_last_step :])
                self._stops_at_last_step = len(self.stops)
                context = build_context(snapshot, step.task)
                result = StepResult(
                    index + 1, step, snapshot, passed, context, stop_index=len(self.stops) - 1
                )
                self.results.append(result)
            elif snapshot.stage is Stage.FINISHED:
                raise mismatch(
                    self.lesson.id, self.config.filename, index + 1, step.at.value, snapshot
                )
        return snapshot

    def steps_done_at(self, stop_index: int) -> int:
        """How many steps were complete when the run was at stop `stop_index` (0-based)."""
        return sum(1 for result in self.results if result.stop_index <= stop_index)

    def next_step(self) -> StepResult:
        """Advance the run to the next step's stop and return that step, filled from the run."""
        if self.steps_complete:
            return self.results[-1]
        wanted = len(self.results) + 1
        while len(self.results) < wanted:
            self.advance_stop()
        return self.results[-1]

    def play_all(self) -> list[StepResult]:
        """Every step, in order."""
        while not self.steps_complete:
            self.next_step()
        return list(self.results)

    def finish(self) -> Snapshot:
        """Run the real run to its end, stop by stop (variants have no steps of their own)."""
        if self.run is None:
            self.start()
        assert self.run is not None
        return self.run.run_to_end()[-1]

    def close(self) -> None:
        """Stop the real run and its threads."""
        if self.run is not None:
            self.run.close()

    def __enter__(self) -> LessonRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the tracker
    def tracker_value(self, name: str, after_step: int) -> str:
        """A tracked variable's value after a step (0: before the run), "undefined" if none yet."""
        variable = next(v for v in self.lesson.variables if v.name == name)
        if after_step == 0 or after_step > len(self.results):
            return str(UNDEFINED)
        context = self.results[after_step - 1].context_for(variable.task)
        return fill(variable.value, context, missing=str(UNDEFINED))
