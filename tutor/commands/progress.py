"""`tutor progress`: show, reset, export or import the learner's progress."""

from __future__ import annotations

from pathlib import Path

import click

from ..defaults import EXIT_OK
from . import open_store, saved_options, streams

FILE = click.Path(dir_okay=False, path_type=Path)


@click.command()
@click.option("--reset", is_flag=True, help="Forget this learner's progress.")
@click.option("--export", type=FILE, metavar="FILE", help="Write it to a JSON file.")
@click.option(
    "--import",
    "import_file",
    type=FILE,
    metavar="FILE",
    help="Merge a JSON export into it (a malformed file changes nothing).",
)
@saved_options
def progress(
    reset: bool,
    export: Path | None,
    import_file: Path | None,
    data_dir: Path | None,
    learner: str | None,
) -> int:
    """Show your progress; reset, export or import it.

    Your progress: lessons completed, best quiz score, attempts, last step, challenge bests and
    the review cards due. --reset, --export and
    --import go one at a time.
    """
    if sum((reset, export is not None, import_file is not None)) > 1:
        raise click.UsageError("--reset, --export and --import go one at a time")
    out = streams().out
    store = open_store(data_dir, learner)
    if reset:
        store.reset()
        print(f"Progress of {store.learner} reset ({store.path}).", file=out)
        return EXIT_OK
    if export is not None:
        store.export_json(export)
        print(f"Progress of {store.learner} written to {export}.", file=out)
        return EXIT_OK
    if import_file is not None:
        count = store.import_json(import_file)
        print(f"Merged {count} lessons from {import_file} into {store.path}.", file=out)
        return EXIT_OK
    from ..content.summary import read_summaries
    from ..progress.bests import challenge_bests
    from ..progress.cards import due_count

    saved, bests = store.all(), challenge_bests(store)
    print(f"Progress of {store.learner} ({store.path}):", file=out)
    for summary in read_summaries():
        found = saved.get(summary.id)
        best = f"; challenge best {bests[summary.id].text}" if summary.id in bests else ""
        if found is None:
            print(f"  {summary.id:<16} not started{best}", file=out)
            continue
        state = "done" if found.completed else f"at step {found.last_step}"
        score = f"best quiz {found.best_score}" if found.best_score else "quiz not taken"
        print(f"  {summary.id:<16} {state}; {score}; {found.attempts} attempt(s){best}", file=out)
    print(f"Review cards due now: {due_count(store)} ('tutor review').", file=out)
    return EXIT_OK
