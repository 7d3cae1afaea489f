"""The course's own checker: every lesson replayed against real Celery, every reference resolved.

Loading already validates each file (types, fields, stages, placeholder names, step numbers).
What only a real run can tell is checked here, lesson by lesson: every step is reached; every
placeholder of every step has a real value at that step and its format spec fits that value;
every tracker value resolves; every prediction's `observe` resolves and the real answer is among
its choices; every ordering question's stages happen; every variant runs to its end.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..content.models import Lesson, OrderQuestion, PredictQuestion, Quiz
from ..defaults import BROKER_ENV
from .context import main_task
from .lesson_run import LessonMismatch, LessonRun, StepResult
from .placeholders import PARSER, PlaceholderProblem, resolve

REPLAYS_AT_ONCE = 4  # replays `tutor check` plays at once on the in-memory broker
_DJANGO = threading.Lock()  # Django's settings are the process's: one Django replay at a time


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass
class LessonCheck:
    """What was checked in one lesson, how long it took, and the problems found (one line each)."""

    lesson_id: str
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """True when no problem was found."""
        return not self.problems


def _check_steps(results: list[StepResult], where: str, problems: list[str]) -> int:
    count = 0
    for result in results:
        step = result.step
        if step.task is not None and main_task(result.snapshot, step.task) is None:
            problems.append(
                f"{where}steps[{result.index - 1}].task: no task named {step.task!r} was sent "
                "or called by this step's stop"
            )
        for column in ("action", "evaluation", "result"):
            template = getattr(step, column)
            count += sum(1 for _, name, _, _ in PARSER.parse(template) if name is not None)
            try:
                resolve(template, result.context)
            except PlaceholderProblem as exc:
                problems.append(f"{where}steps[{result.index - 1}].{column}: {exc}")
    return count


def _check_tracker(
    lesson: Lesson, results: list[StepResult], where: str, problems: list[str]
) -> None:
    for v_index, variable in enumerate(lesson.variables):
        for column in lesson.tracker:
            if column.after_step == 0 or column.after_step > len(results):
                continue
            context = results[column.after_step - 1].context_for(variable.task)
            try:
                resolve(variable.value, context, allow_undefined=True)
            except PlaceholderProblem as exc:
                problems.append(f"{where}variables[{v_index}].value: {exc}")
                break


def _check_prediction(
    question: PredictQuestion, lesson_run: LessonRun, where: str, problems: list[str]
) -> None:
    context = lesson_run.results[question.before_step - 1].context_for(question.task)
    try:
        observed = resolve(question.observe, context)
    except PlaceholderProblem as exc:
        problems.append(f"{where}.observe: {exc}")
        return
    if not any(choice.text == observed for choice in question.choices):
        offered = ", ".join(repr(c.text) for c in question.choices)
        problems.append(
            f"{where}.choices: the real run gives {observed!r}, "
            f"which no choice says (they are {offered}): nobody could answer right"
        )


def _check_quiz(
    quiz: Quiz,
    lesson_run: LessonRun,
    variant_runs: Mapping[str, LessonRun],
    where: str,
    problems: list[str],
) -> tuple[int, int]:
    from .quiz import real_order

    assert lesson_run.run is not None
    stops = list(lesson_run.run.snapshots)
    predictions = orders = 0
    for index, question in enumerate(quiz.questions):
        if isinstance(question, PredictQuestion):
            predictions += 1
            played = lesson_run if question.variant is None else variant_runs.get(question.variant)
            if played is not None:  # a variant that did not play is reported already
                _check_prediction(question, played, f"{where}: questions[{index}]", problems)
        elif isinstance(question, OrderQuestion):
            orders += 1
            try:
                real_order(question, stops)
            except ValueError as exc:
                problems.append(f"{where}: questions[{index}].items: {exc}")
    return predictions, orders


def _play(lesson_run: LessonRun, where: str, problems: list[str]) -> list[StepResult]:
    """Every step of a lesson (or variant) run, then the run to its end; [] when it failed."""
    try:
        results = lesson_run.play_all()
        lesson_run.finish()
    except LessonMismatch as exc:
        problems.append(f"{where}{exc}")
        return []
    except Exception as exc:  # the engine's one line (a stalled stage, a broken sample...)
        problems.append(f"{where}the real run failed: {exc}")
        return []
    return results


@dataclass
class _Replay:
    """One replay of a lesson (or one of its variants), checked on its own: its closed lesson run
    (None for a variant without steps), the steps reached, the placeholders filled, its problems."""

    played: LessonRun | None = None
    steps: int = 0
    placeholders: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _replay(lesson: Lesson, variant: str | None, lesson_file: str) -> _Replay:
    """Replay the lesson (variant None) or one variant to its end and check its steps."""
    replay = _Replay()
    where, prefix = f"{lesson_file}: ", f"{lesson_file}: "
    if variant is not None:
        where, prefix = (
            f"{lesson_file}: variants.{variant}: ",
            f"{lesson_file}: variants.{variant}.",
        )
    setup = lesson.variants[variant].run if variant is not None else None
    django = lesson.run.django or (setup is not None and setup.django)
    with _DJANGO if django else nullcontext():
        started = time.perf_counter()
        _replay_into(replay, lesson, variant, where, prefix)
        replay.seconds = time.perf_counter() - started
    return replay


def _replay_into(
    replay: _Replay, lesson: Lesson, variant: str | None, where: str, prefix: str
) -> None:
    from .whatif import has_steps, run_variant, variant_lesson_run

    problems = replay.problems
    if variant is not None and not has_steps(lesson, variant):
        try:
            run_variant(lesson, variant)
        except Exception as exc:
            problems.append(f"{where}the variant did not run: {exc}")
    else:
        played = LessonRun(lesson) if variant is None else variant_lesson_run(lesson, variant)
        with played:
            results = _play(played, where, problems)
        if results:
            replay.played, replay.steps = played, len(results)
            replay.placeholders = _check_steps(results, prefix, problems)
            _check_tracker(played.lesson, results, prefix, problems)


def _lesson_report(
    lesson: Lesson, quiz: Quiz | None, quiz_file: str, replays: list[_Replay]
) -> LessonCheck:
    """The lesson's report from its own replay and its variants' (in the lesson's order)."""
    own, variants = replays[0], dict(zip(lesson.variants, replays[1:], strict=True))
    report = LessonCheck(lesson.id, problems=list(own.problems))
    if own.played is not None:
        report.checked.append(f"{_count(own.steps, 'step')} reached")
        report.checked.append(f"{_count(own.placeholders, 'placeholder')} filled")
        if quiz is not None:
            runs = {name: r.played for name, r in variants.items() if r.played is not None}
            predictions, orders = _check_quiz(quiz, own.played, runs, quiz_file, report.problems)
            report.checked.append(
                f"{_count(predictions, 'prediction')}, {_count(orders, 'ordering')}"
            )
    if variants:
        report.checked.append(f"{_count(len(variants), 'variant')} run")
    steps = sum(r.steps for r in variants.values())
    if steps:
        placeholders = sum(r.placeholders for r in variants.values())
        report.checked.append(
            f"{_count(steps, 'variant step')} reached, {_count(placeholders, 'placeholder')} filled"
        )
    for replay in variants.values():
        report.problems += replay.problems
    report.seconds = sum(replay.seconds for replay in replays)
    return report


def check_lesson(
    lesson: Lesson, quiz: Quiz | None, lesson_file: str, quiz_file: str
) -> LessonCheck:
    """Replay one lesson (and its variants) against real Celery; report what does not hold."""
    replays = [_replay(lesson, name, lesson_file) for name in (None, *lesson.variants)]
    return _lesson_report(lesson, quiz, quiz_file, replays)


def lesson_files(root: Path, lesson_id: str) -> tuple[str, str]:
    """How problems name a lesson's file and its quiz's (relative to the course)."""
    if root.is_file():
        return root.name, f"{root.stem} quiz"
    return f"lessons/{lesson_id}.toml", f"quizzes/{lesson_id}.toml"


def check_course(
    root: Path,
    lesson_ids: list[str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[LessonCheck]:
    """Check the lessons named (every lesson of the course by default), in course order.

    The first entry, "course", says what loading found (a file that does not load, index and
    files that disagree, stray files); when the course does not load, it is the only entry.
    `progress(done, total, lesson_id)` is called before waiting for each lesson's replays
    (a few replays play at once, see REPLAYS_AT_ONCE).
    """
    from ..content.check import check_course as content_problems
    from ..content.errors import ContentError
    from ..content.loader import load_course

    try:
        files = content_problems(root)
        course = load_course(root)
    except ContentError as exc:
        return [LessonCheck("course", ["every file loads"], files or exc.problems)]
    reports = [LessonCheck("course", ["every file loads", "index and files agree"], files)]
    chosen = lesson_ids or course.ids
    # every replay (a lesson's own run, each variant's) is an isolated run: a few play at once
    # (one at a time on a real broker, where each run boots worker processes), started in course
    # order; the reports are put together in course order, as one by one would
    at_once = 1 if os.environ.get(BROKER_ENV) else REPLAYS_AT_ONCE
    pool = ThreadPoolExecutor(at_once, thread_name_prefix="tutor-check")
    try:
        pending = []
        for lesson_id in chosen:
            lesson = course.lesson(lesson_id)
            lesson_file, quiz_file = lesson_files(root, lesson_id)
            names = (None, *lesson.variants)
            futures = [pool.submit(_replay, lesson, name, lesson_file) for name in names]
            pending.append((lesson, quiz_file, futures))
        for number, (lesson, quiz_file, futures) in enumerate(pending):
            if progress is not None:
                progress(number, len(chosen), lesson.id)
            replays = [future.result() for future in futures]
            reports.append(_lesson_report(lesson, course.quiz(lesson.id), quiz_file, replays))
    finally:  # Ctrl-C or a crash: what has not started never starts
        pool.shutdown(wait=False, cancel_futures=True)
    return reports
