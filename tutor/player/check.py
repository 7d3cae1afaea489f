"""The course's own checker: every lesson replayed against real Celery, every reference resolved.

Loading already validates each file (types, fields, stages, placeholder names, step numbers).
What only a real run can tell is checked here, lesson by lesson: every step is reached; every
placeholder of every step has a real value at that step and its format spec fits that value;
every tracker value resolves; every prediction's `observe` resolves and the real answer is among
its choices; every ordering question's stages happen; every variant runs to its end.
"""

from __future__ import annotations

import _string  # the field-name splitter str.format itself uses
import string
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.models import Lesson, OrderQuestion, PredictQuestion, Quiz
from .context import UNDEFINED, main_task
from .lesson_run import LessonMismatch, LessonRun, StepResult

_PARSER = string.Formatter()


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


class PlaceholderProblem(ValueError):
    """A placeholder that names nothing, has no value yet, or whose format spec does not fit."""


def _field_value(name: str, context: Mapping[str, Any], allow_undefined: bool) -> Any:
    """The value a field name reaches, walking it part by part: past a value the run has not
    produced yet (or a missing list or mapping entry, when `allow_undefined`), UNDEFINED."""
    first, rest = _string.formatter_field_name_split(name)
    try:
        value = context[first]
    except KeyError:
        raise PlaceholderProblem(f"{{{name}}} names nothing the run produces") from None
    for is_attribute, key in rest:
        if value is UNDEFINED:
            return UNDEFINED
        try:
            value = getattr(value, key) if is_attribute else value[key]
        except (LookupError, TypeError) as exc:  # a list or mapping without that entry (yet)
            if not allow_undefined:
                raise PlaceholderProblem(f"{{{name}}} has no value at this step ({exc})") from None
            return UNDEFINED
        except AttributeError as exc:
            raise PlaceholderProblem(f"{{{name}}} names nothing the run produces ({exc})") from None
    return value


def resolve(template: str, context: Mapping[str, Any], *, allow_undefined: bool = False) -> str:
    """Fill `template` strictly: any placeholder that cannot be filled is a PlaceholderProblem."""
    parts: list[str] = []
    for literal, name, spec, conversion in _PARSER.parse(template):
        parts.append(literal)
        if name is None:
            continue
        value = _field_value(name, context, allow_undefined)
        if value is UNDEFINED:
            if allow_undefined:
                parts.append(str(UNDEFINED))
                continue
            raise PlaceholderProblem(f"{{{name}}} has no value yet at this step")
        try:
            value = _PARSER.convert_field(value, conversion)
            parts.append(_PARSER.format_field(value, spec or ""))
        except (ValueError, TypeError) as exc:
            raise PlaceholderProblem(
                f"{{{name}:{spec}}}: the format spec does not fit the value {value!r} ({exc})"
            ) from None
    return "".join(parts)


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
            count += sum(1 for _, name, _, _ in _PARSER.parse(template) if name is not None)
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


def _check_variants(
    lesson: Lesson, lesson_file: str, report: LessonCheck, runs: dict[str, LessonRun]
) -> None:
    """Each variant runs to its end; one with steps is replayed and checked like a lesson (its
    lesson runs, closed, are kept in `runs` for the predictions about them)."""
    from .whatif import has_steps, run_variant, variant_lesson_run

    problems = report.problems
    steps = placeholders = 0
    for name in lesson.variants:
        where = f"{lesson_file}: variants.{name}: "
        if not has_steps(lesson, name):
            try:
                run_variant(lesson, name)
            except Exception as exc:
                problems.append(f"{where}the variant did not run: {exc}")
            continue
        with variant_lesson_run(lesson, name) as played:
            results = _play(played, where, problems)
        if results:
            runs[name] = played
            steps += len(results)
            placeholders += _check_steps(results, f"{lesson_file}: variants.{name}.", problems)
            _check_tracker(played.lesson, results, f"{lesson_file}: variants.{name}.", problems)
    if lesson.variants:
        report.checked.append(f"{_count(len(lesson.variants), 'variant')} run")
    if steps:
        report.checked.append(
            f"{_count(steps, 'variant step')} reached, {_count(placeholders, 'placeholder')} filled"
        )


def check_lesson(
    lesson: Lesson, quiz: Quiz | None, lesson_file: str, quiz_file: str
) -> LessonCheck:
    """Replay one lesson (and its variants) against real Celery; report what does not hold."""
    started = time.perf_counter()
    report = LessonCheck(lesson.id)
    problems = report.problems
    with LessonRun(lesson) as lesson_run:
        results = _play(lesson_run, f"{lesson_file}: ", problems)
        if results:
            placeholders = _check_steps(results, f"{lesson_file}: ", problems)
            _check_tracker(lesson, results, f"{lesson_file}: ", problems)
            report.checked.append(f"{_count(len(results), 'step')} reached")
            report.checked.append(f"{_count(placeholders, 'placeholder')} filled")
    variants = LessonCheck(lesson.id)
    variant_runs: dict[str, LessonRun] = {}
    _check_variants(lesson, lesson_file, variants, variant_runs)
    if results and quiz is not None:
        predictions, orders = _check_quiz(quiz, lesson_run, variant_runs, quiz_file, problems)
        report.checked.append(f"{_count(predictions, 'prediction')}, {_count(orders, 'ordering')}")
    report.checked += variants.checked
    report.problems += variants.problems
    report.seconds = time.perf_counter() - started
    return report


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
    `progress(done, total, lesson_id)` is called before each lesson is replayed.
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
    for number, lesson_id in enumerate(chosen):
        lesson = course.lesson(lesson_id)
        if progress is not None:
            progress(number, len(chosen), lesson_id)
        lesson_file, quiz_file = lesson_files(root, lesson_id)
        reports.append(check_lesson(lesson, course.quiz(lesson_id), lesson_file, quiz_file))
    return reports
