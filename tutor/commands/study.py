"""The learner's study modes: `tutor challenge` against the clock and `tutor review` of cards."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import EXIT_USAGE
from . import (
    LESSON_HELP,
    TutorError,
    content_option,
    lesson_argument,
    open_store,
    open_ui,
    saved_options,
    stage_timeout_option,
)


@click.command(epilog=LESSON_HELP)
@click.argument("lesson", required=False)
@saved_options
@content_option
@stage_timeout_option
def challenge(lesson: str | None, data_dir: Path | None, learner: str | None) -> int:
    """Answer a lesson's predictions against the clock.

    The lesson's predictions and orderings, one after another. Each answer is graded against a
    fresh real run of the lesson. The clock gives 30 seconds a question and stops while the
    run moves; your score and time are saved as a personal best when they beat the last one
    (the home screen shows it). Without LESSON: the last lesson you finished (else the first).
    """
    from ..content.outline import read_outline
    from ..content.summary import check_lesson_id, read_summaries

    store = open_store(data_dir, learner)
    summaries = read_summaries()
    if lesson is None:
        order = read_outline([summary.id for summary in summaries]).order
        done = [i for i in order if store.get(i).completed]
        lesson = done[-1] if done else order[0]
    else:
        lesson = lesson_argument(lesson)
        check_lesson_id(summaries, lesson)
    return open_ui(store, mode={"kind": "challenge", "lesson_id": lesson})


@click.command()
@saved_options
@content_option
@stage_timeout_option
def review(data_dir: Path | None, learner: str | None) -> int:
    """Review the cards due today (flashcards).

    Cards come back on a Leitner schedule: after 1, 2, 4, 8, then 16 days as you know them.
    Each lesson you finished gives a card per line of its concept snapshot (press k if you know
    it, n to see it again tomorrow), and each quiz question you missed comes back as a card (a
    prediction is graded against a fresh real run).
    """
    return open_ui(open_store(data_dir, learner), mode={"kind": "review"})


def chapter_number(chapter: int) -> int:
    """The chapter number, checked against the course's chapters (one line if there is none)."""
    from ..content.errors import ContentError
    from ..content.outline import read_outline
    from ..content.summary import read_summaries

    try:
        read_outline([summary.id for summary in read_summaries()]).chapter(chapter)
    except ContentError as exc:
        if "no chapter" not in str(exc):
            raise
        raise TutorError(str(exc), EXIT_USAGE) from None
    return chapter
