"""Shared fixtures: real Celery runs that are always closed, and a thread-count baseline."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.shared_runs import SHARED_ENV
from tests.traced import listening_socket
from tutor.engine import Run, RunConfig, Stage

# their fixtures: `broker_url` (a private redis-server), `poll` (a class poll on loopback)
pytest_plugins = ["tests.redis_server", "tests.poll_server"]

# Textual reads NO_COLOR when an app is created: a learner's NO_COLOR=1 would turn every snapshot
# monochrome and fail it. The tests compare looks, so they run in colour.
os.environ.pop("NO_COLOR", None)

# Every test (and every tutor process a test starts) keeps its progress in a folder of its own
# test session, never in the developer's real progress store; each xdist worker gets its own, so
# parallel tests never write one SQLite file at once. Tests that need a particular store set
# TUTOR_DATA_DIR themselves.
os.environ["TUTOR_DATA_DIR"] = tempfile.mkdtemp(
    prefix=f"tutor-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
)
_PROGRESS_FOLDER = os.environ["TUTOR_DATA_DIR"]


def pytest_configure(config: pytest.Config) -> None:
    """The session's shared folder (tests/shared_runs.py), made before xdist starts its workers,
    which inherit its name."""
    if not hasattr(config, "workerinput"):
        os.environ[SHARED_ENV] = tempfile.mkdtemp(prefix="tutor-tests-shared-")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's progress folder goes when the session (or the xdist worker) ends; the
    shared folder when the session does."""
    shutil.rmtree(_PROGRESS_FOLDER, ignore_errors=True)
    if not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ.pop(SHARED_ENV, ""), ignore_errors=True)


ADD_SAMPLE = """from celery import shared_task

@shared_task
def add(x, y):
    return x + y

add.delay(4, 6)
"""

ADD_STAGES = [
    Stage.DEFINED,
    Stage.CALLING,
    Stage.QUEUED,
    Stage.RECEIVED,
    Stage.EXECUTING,
    Stage.RETURNED,
    Stage.STORED,
    Stage.FINISHED,
]
"""The stops a run of ADD_SAMPLE makes, in order, with one worker (in memory or on Redis)."""


@pytest.fixture
def start_run() -> Iterator[Callable[..., Run]]:
    """Start a real run of some sample code; every run started is closed after the test."""
    runs: list[Run] = []

    def start(code: str = ADD_SAMPLE, **config: Any) -> Run:
        run = Run.start(RunConfig(code=code, **config))
        runs.append(run)
        return run

    yield start
    for run in runs:
        run.close()


@pytest.fixture
def thread_baseline() -> Iterator[set[int]]:
    """The threads alive before the test (the test asserts none of its own are left)."""
    yield {thread.ident for thread in threading.enumerate() if thread.ident is not None}


def live_threads_beyond(baseline: set[int]) -> list[str]:
    """Names of threads alive now that were not alive at the baseline."""
    return [t.name for t in threading.enumerate() if t.ident not in baseline and t.is_alive()]


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    """A socket listening on a free local port, closed after the test (see tests/traced.py)."""
    server = listening_socket()
    yield server
    server.close()
