"""A real Django project inside the tutor's process, for runs that ask for one (`RunConfig.django`).

Only such runs import this module (and Django with it). Django is configured once per process
(`settings.configure` may be called once); everything that belongs to one run is set up per run:

- its database: a fresh SQLite file in a temporary folder, in WAL mode, migrated (contenttypes,
  auth). Each thread of the run that runs sample code gets its own connection to that file
  (installed as `connections["default"]` in that thread, closed when its sample code is done), so
  another thread sees only committed rows, as with a database server; two runs alive at once
  never share a file.
- its URLs: the sample's own `urlpatterns`, served to requests made by the run's threads (the
  tutor's middleware sets `request.urlconf`, Django's documented per-request URLconf).
- its Celery settings, written as the project's Django settings before the sample's definitions
  run: `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND` (the run's own broker and result store),
  then the lesson's `django_settings` lines, kept or dropped by Django's own rule (only upper-case
  names are settings). The sample reads them with
  `app.config_from_object("django.conf:settings", namespace="CELERY")`.
- its Celery app, importable while the definitions run: `from proj.celery import app`.
- its transactions: each thread's connection is a `RunDatabaseWrapper`, whose COMMIT in the main
  app first lets the workers deal with the messages published inside the transaction (the
  run's `CommitGate`: the race a fast worker wins, played every time).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import django
from django.conf import UserSettingsHolder, settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import clear_url_caches

if TYPE_CHECKING:
    from .commit_gate import CommitGate

PROJECT_PACKAGE = "proj"
CELERY_MODULE = "proj.celery"
"""The module the sample imports its project's Celery app from: `from proj.celery import app`."""
SETTINGS_MODULE = "proj.settings"
INSTALLED_APPS = ("django.contrib.contenttypes", "django.contrib.auth")
MIDDLEWARE = f"{__name__}.RunURLConfMiddleware"
WAL = "PRAGMA journal_mode=WAL;"

_CONFIGURE_LOCK = threading.Lock()
_DEFINITIONS_LOCK = threading.Lock()
_local = threading.local()
_written: dict[str, Any] = {}
"""Settings written by runs, with the value each had before the first run wrote it."""
_ABSENT = object()


def configure() -> None:
    """Configure Django for the tutor's process, once (later calls do nothing)."""
    with _CONFIGURE_LOCK:
        if settings.configured:
            return
        settings.configure(
            SECRET_KEY="tutor-runs-only",
            DEBUG=False,
            USE_TZ=True,
            TIME_ZONE="UTC",
            ALLOWED_HOSTS=["testserver", "localhost"],
            INSTALLED_APPS=list(INSTALLED_APPS),
            MIDDLEWARE=[MIDDLEWARE],
            ROOT_URLCONF=_empty_urlconf(),
            DEFAULT_AUTO_FIELD="django.db.models.AutoField",
            # mail a sample sends stays in the process (django.core.mail.outbox), never leaves it
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DATABASES={
                DEFAULT_DB_ALIAS: {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": ":memory:",  # each run's threads get the run's own file
                    "OPTIONS": {"init_command": WAL},
                }
            },
        )
        django.setup()


def _empty_urlconf() -> types.ModuleType:
    module = types.ModuleType("tutor_no_urls")
    module.urlpatterns = []  # type: ignore[attr-defined]
    return module


class SampleURLConf(types.ModuleType):
    """A run's root URLconf: its `urlpatterns` are the sample's own (read when first needed)."""

    def __init__(self, name: str, namespace: Callable[[], dict[str, Any]]) -> None:
        super().__init__(name)
        self._namespace = namespace

    def __getattr__(self, name: str) -> Any:
        if name == "urlpatterns" and name in self._namespace():
            return self._namespace()[name]
        raise AttributeError(f"the sample defines no {name}")


class RunURLConfMiddleware:
    """Django middleware: a request made by a run's thread is resolved with that run's URLs."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        project = getattr(_local, "project", None)
        if project is not None:
            request.urlconf = project.urlconf
        return self.get_response(request)


def task_class(base: type[Any]) -> type[Any]:
    """The run's task class with Celery's Django task mixed in (`delay_on_commit`,
    `apply_async_on_commit`), as Celery's Django fixup would make it."""
    from celery.contrib.django.task import DjangoTask

    return type(f"Django{base.__name__}", (base, DjangoTask), {"__module__": base.__module__})


def settings_lines(lines: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The lines of a settings module that Django keeps as settings (its own rule: a name that
    is not upper case is no setting), read through Django's settings holder."""
    module = types.ModuleType(SETTINGS_MODULE)
    for name, value in lines:
        setattr(module, name, value)
    holder = UserSettingsHolder(module)
    kept = {}
    for name, _ in lines:
        try:
            kept[name] = getattr(holder, name)
        except AttributeError:
            continue
    return kept


class RunDatabaseWrapper(DatabaseWrapper):  # type: ignore[misc]
    """One thread's connection to the run's SQLite file. Given the run's CommitGate, its
    commit() (what the end of an atomic block calls) goes through the gate: in the main app it
    waits for the workers first. A rollback waits for nothing."""

    def __init__(self, *args: Any, gate: CommitGate | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tutor_gate = gate
        self.tutor_opened: float | None = None
        """When the open transaction began (the gate's time), None when none is open."""

    def set_autocommit(
        self, autocommit: bool, force_begin_transaction_with_broken_autocommit: bool = False
    ) -> None:
        """Django's; turning autocommit off opens a transaction: remember when."""
        if not autocommit and self.tutor_gate is not None:
            self.tutor_opened = self.tutor_gate.opened()
        super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)
        if autocommit:
            self.tutor_opened = None

    def commit(self) -> None:
        """Django's commit, after the gate let the workers go first (main app only)."""
        gate = self.tutor_gate
        if gate is None:
            super().commit()
            return
        self.validate_thread_sharing()
        self.validate_no_atomic_block()
        with gate.committing(self.tutor_opened):
            super().commit()
        if not self.get_autocommit():  # the next transaction begins now
            self.tutor_opened = gate.opened()

    def rollback(self) -> None:
        """Django's rollback: nothing waits; a transaction that begins next begins now."""
        super().rollback()
        if self.tutor_gate is not None and not self.get_autocommit():
            self.tutor_opened = self.tutor_gate.opened()


class DjangoProject:
    """The Django side of one run: its database file, its URLs, its settings and its app."""

    def __init__(
        self,
        *,
        namespace: Callable[[], dict[str, Any]],
        extra_settings: tuple[tuple[str, Any], ...] = (),
    ) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="tutor-django-"))
        self.database = self._folder / "db.sqlite3"
        """The run's own SQLite file."""
        self.urlconf = SampleURLConf(f"{self._folder.name}_urls", namespace)
        self._extra = extra_settings
        self._db_settings: dict[str, Any] = {}
        self._celery_settings: dict[str, Any] = {}
        self._gate: CommitGate | None = None
        self._closed = False

    def hold_commits(self, gate: CommitGate) -> None:
        """Connections made from now on COMMIT through `gate` (the run's)."""
        self._gate = gate

    def start(self) -> dict[str, Any]:
        """Configure Django (once per process) and create the run's database (migrated).
        Returns the options the run's app is built with: the task class, and the dict its
        broker URL and result backend go to (they become CELERY_* settings)."""
        from .app import GatedTask

        configure()
        base = connections.settings[DEFAULT_DB_ALIAS]
        self._db_settings = {
            **base,
            "NAME": str(self.database),
            "OPTIONS": {**base.get("OPTIONS", {}), "init_command": WAL},
        }
        with self.thread_scope():
            call_command("migrate", verbosity=0, interactive=False)
        return {"task_cls": task_class(GatedTask), "project_settings": self._celery_settings}

    @contextmanager
    def thread_scope(self) -> Iterator[None]:
        """The calling thread runs the run's code: it uses the run's database (its own
        connection, closed at the end) and URLs. Nested scopes share the outermost one's."""
        if getattr(_local, "project", None) is self:
            yield
            return
        outer = getattr(_local, "project", None)
        before = getattr(_local, "connection", None)
        wrapper = RunDatabaseWrapper(self._db_settings, DEFAULT_DB_ALIAS, gate=self._gate)
        connections[DEFAULT_DB_ALIAS] = wrapper
        _local.project, _local.connection = self, wrapper
        try:
            yield
        finally:
            wrapper.close()
            _local.project, _local.connection = outer, before
            if before is not None:
                connections[DEFAULT_DB_ALIAS] = before
            else:
                del connections[DEFAULT_DB_ALIAS]

    @contextmanager
    def definitions(self, app: Any) -> Iterator[None]:
        """While the sample's definitions run: the run's settings are Django's, and
        `proj.celery` is a module whose `app` is the run's Celery app."""
        with _DEFINITIONS_LOCK:
            self._write_settings(
                {f"CELERY_{key.upper()}": value for key, value in self._celery_settings.items()}
            )
            package = types.ModuleType(PROJECT_PACKAGE)
            package.__path__ = []
            module = types.ModuleType(CELERY_MODULE)
            module.app = app  # type: ignore[attr-defined]
            package.celery = module  # type: ignore[attr-defined]
            saved = {n: sys.modules.get(n) for n in (PROJECT_PACKAGE, CELERY_MODULE)}
            sys.modules.update({PROJECT_PACKAGE: package, CELERY_MODULE: module})
            try:
                yield
            finally:
                for name, old in saved.items():
                    if old is None:
                        sys.modules.pop(name, None)
                    else:
                        sys.modules[name] = old

    def _write_settings(self, celery_settings: dict[str, Any]) -> None:
        """Put back what earlier runs wrote, then write this run's settings."""
        for name, old in list(_written.items()):
            if old is _ABSENT:
                if name in dir(settings):
                    delattr(settings, name)
            else:
                setattr(settings, name, old)
        for name, value in {**celery_settings, **settings_lines(self._extra)}.items():
            if name not in _written:
                _written[name] = getattr(settings, name, _ABSENT)
            setattr(settings, name, value)

    def close(self) -> None:
        """Forget the run's URLs and delete its database file. Idempotent."""
        if self._closed:
            return
        self._closed = True
        clear_url_caches()
        shutil.rmtree(self._folder, ignore_errors=True)
