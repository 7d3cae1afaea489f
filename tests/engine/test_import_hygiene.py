"""The engine and the plain mode never import Textual; the engine never imports Rich."""

from __future__ import annotations

import subprocess
import sys

import pytest

DJANGO_PROPER = {"django.conf", "django.db", "django.apps", "django.urls", "django.test"}
"""Django's settings, ORM, apps, URLs and test client. (kombu's JSON module imports `django` and
`django.utils.functional` itself when Django is installed, to encode lazy strings: ~1 ms.)"""


def _imported_after(statement: str) -> set[str]:
    probe = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "module",
    [
        "tutor.engine",
        "tutor.engine.run",
        "tutor.engine.recorder",
        "tutor.engine.snapshot",
        "tutor.engine.assembly",
        "tutor.engine.caller",
        "tutor.engine.ledger",
        "tutor.engine.taps",
        "tutor.engine.adopt",
    ],
)
def test_engine_modules_import_neither_textual_nor_rich(module):
    imported = _imported_after(f"import {module}; {module}.__name__")
    assert "textual" not in imported
    assert "rich" not in imported


@pytest.mark.parametrize(
    "module",
    [
        "tutor.compat",
        "tutor.engine.beat_view",
        "tutor.engine.config",
        "tutor.engine.protocol",
        "tutor.engine.snapshot",
        "tutor.engine.stages",
        "tutor.player.trace_source",
        "tutor.engine.project",
        "tutor.engine.realbroker",
        "tutor.engine.realbroker.keys",
        "tutor.engine.realbroker.server",
        "tutor.engine.realbroker.supervise",
    ],
)
def test_light_modules_import_neither_celery_nor_the_ui(module):
    imported = _imported_after(f"import {module}; {module}.__name__")
    assert not imported & {"celery", "kombu", "textual", "rich", "textual_serve", "django", "redis"}


def test_runs_quiet_the_loggers_once_and_importing_does_not():
    probe = (
        "import logging, tutor.engine.run; from tutor.engine import Run, RunConfig; "
        "from tests.conftest import ADD_SAMPLE; kombu = logging.getLogger('kombu'); "
        "counts = [len(kombu.handlers)]\n"
        "for _ in range(2):\n"
        "    r = Run.start(RunConfig(code=ADD_SAMPLE)); r.run_to_end(); r.close()\n"
        "    counts.append(len(kombu.handlers))\n"
        "print(counts)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[0,", "1,", "1]"]


def test_a_whole_run_imports_neither_textual_nor_rich():
    statement = (
        "from tutor.engine import Run, RunConfig; from tests.conftest import ADD_SAMPLE; "
        "r = Run.start(RunConfig(code=ADD_SAMPLE)); r.run_to_end(); r.close()"
    )
    imported = _imported_after(statement)
    assert "celery" in imported
    assert "textual" not in imported and "rich" not in imported
    assert not imported & DJANGO_PROPER  # only a run that asks for a Django project loads Django
    assert "celery.beat" not in imported  # beat loads only for a lesson that asks for it


def test_a_run_with_beat_imports_celery_beat():
    statement = (
        "from tutor.engine import Run, RunConfig, BeatSpec, BeatEntrySpec; "
        "from tests.conftest import ADD_SAMPLE; "
        "beat = BeatSpec((BeatEntrySpec('e', 'tasks.add', 0.1, (1, 2)),), stop_after=1); "
        "r = Run.start(RunConfig(code=ADD_SAMPLE, beat=beat)); r.run_to_end(); r.close()"
    )
    assert "celery.beat" in _imported_after(statement)


def test_plain_mode_does_not_import_textual():
    imported = _imported_after(
        "import io; from tutor.cli import main; "
        "main(['run', 'delay', '--plain'], io.StringIO(), io.StringIO())"
    )
    assert "rich" in imported
    assert "textual" not in imported
    assert not imported & DJANGO_PROPER
    assert "celery.beat" not in imported
    assert "redis" not in imported  # the in-memory broker needs no Redis client


def test_listing_lessons_does_not_import_celery():
    imported = _imported_after(
        "import io; from tutor.cli import main; main(['list'], io.StringIO())"
    )
    assert "celery" not in imported and "redis" not in imported


def test_the_first_screen_loads_neither_celery_nor_pydantic_nor_the_parser():
    imported = _imported_after("import tutor.cli, tutor.launch, tutor.ui.app")
    assert "textual" in imported
    assert "celery" not in imported and "pydantic" not in imported and "django" not in imported
    assert "celery.beat" not in imported
    assert "redis" not in imported  # only --broker brings the Redis client in
    assert "click" not in imported  # plain `tutor` opens the first screen without parsing
    assert "aiohttp" not in imported and "segno" not in imported  # only `tutor demo --poll`


def test_the_shipped_lesson_list_and_chapters_are_read_without_tomllib():
    """The first screen reads each lesson's first lines and the index with the simple reader;
    the full TOML parser loads with the course, after the first paint."""
    imported = _imported_after(
        "import tutor.cli, tutor.launch, tutor.ui.app; "
        "from tutor.content.summary import read_summaries; "
        "from tutor.content.outline import read_outline; "
        "read_outline([summary.id for summary in read_summaries()])"
    )
    assert "tomllib" not in imported


def test_a_demo_without_its_poll_loads_neither_aiohttp_nor_segno():
    imported = _imported_after(
        "import tutor.ui.screens.demo, tutor.ui.screens.poll_question, tutor.poll.server"
    )
    assert "aiohttp" not in imported and "segno" not in imported


@pytest.mark.parametrize(
    "module",
    [
        "tutor.render.page",
        "tutor.player.lesson_run",
        "tutor.plain",
        "tutor.player.trace_lesson",
        "tutor.player.trace_export",
        "tutor.commands.trace",
    ],
)
def test_only_the_ui_package_imports_textual(module):
    assert "textual" not in _imported_after(f"import {module}")


@pytest.mark.parametrize(
    "module", ["tutor.content.outline", "tutor.progress.cards", "tutor.progress.bests"]
)
def test_the_home_screens_chapters_cards_and_bests_are_light(module):
    """The home screen reads chapters, cards due and challenge bests before its first paint."""
    imported = _imported_after(f"import {module}")
    assert not imported & {"celery", "pydantic", "textual", "rich", "click"}


def test_a_handout_does_not_import_textual(tmp_path):
    target = str(tmp_path / "d.html")
    imported = _imported_after(
        "import io; from tutor.cli import main; "
        f"main(['run', 'delay', '--html', {target!r}], io.StringIO(), io.StringIO())"
    )
    assert "rich" in imported and "textual" not in imported
