"""The project around a run's Celery app, for runs that ask for one (a Django project).

This module is light: the Django side (`django_project`) loads only for a run that asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from .config import DJANGO_SET_BY_TUTOR, RunConfig
from .errors import SampleError

if TYPE_CHECKING:
    from .commit_gate import CommitGate


class Project(Protocol):
    """What a run does with its project: start it, let the sample's definitions and each thread's
    sample code run inside it, and close it."""

    def start(self) -> dict[str, Any]:
        """Set the project up for this run; returns more options for the run's app."""

    def definitions(self, app: Any) -> AbstractContextManager[None]:
        """Entered while the sample's definitions run (they may import the project's modules)."""

    def thread_scope(self) -> AbstractContextManager[None]:
        """Entered by a thread while it runs the sample's code."""

    def hold_commits(self, gate: CommitGate) -> None:
        """The main app's COMMITs go through `gate` (it lets the workers go first)."""

    def close(self) -> None:
        """Forget the run's part of the project."""


def project_for(config: RunConfig, namespace: Callable[[], dict[str, Any]]) -> Project | None:
    """The project `config` asks for (None: a plain Celery run); `namespace` gives the sample's
    globals."""
    if not config.django:
        return None
    taken = sorted(DJANGO_SET_BY_TUTOR & {name for name, _ in config.django_settings})
    if taken:
        raise SampleError(
            f"{config.filename}: django_settings: {', '.join(taken)} is set by the tutor"
        )
    from .django_project import DjangoProject

    return DjangoProject(namespace=namespace, extra_settings=config.django_settings)
