"""Adopting a developer's own Celery app (`tutor trace`): bound to the run, the rest kept.

A developer's module creates its app as it would in production (`Celery("proj",
broker="redis://...", backend="redis://...")`). The run makes that very app its own: the app's
class gains the run's (`RunApp`: results that report waits), its broker and result backend become
the run's in-memory transport and result store, its tasks gain the run's gated task class, and
every other setting of theirs (routes, queues, serializers, acks_late, time limits, annotations)
stays as they wrote it. Their broker URL is never used, so it is never contacted.

The module's sibling imports resolve from its folder for the run only (`SiblingImports`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from celery import Celery

from .. import compat
from .app import GatedTask, RunApp, RunHooks, run_settings
from .errors import SampleError
from .results import ResultStore
from .where import exception_text

if TYPE_CHECKING:
    from .run import Run

__all__ = ["Adoption", "SiblingImports", "adopt_app", "find_app", "take_over"]

RUN_OWNED = (
    "broker_url",
    "broker_read_url",
    "broker_write_url",
    "broker_transport",
    "broker_transport_options",
    "broker_connection_retry_on_startup",
    "result_backend",
    "result_expires",
    "task_always_eager",
    "task_track_started",
    "task_store_errors_even_if_ignored",
    "worker_hijack_root_logger",
    "worker_redirect_stdouts",
    "worker_enable_remote_control",
)
"""Settings the run sets on an adopted app whatever the module says: where messages and results
go, and what the in-thread workers need. Every other setting stays theirs."""

_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


@dataclass(frozen=True)
class Adoption:
    """What adopting the module's app did: which app, which settings stayed, which were replaced."""

    app: RunApp
    name: str
    """The app's own name (`Celery("proj")` → "proj")."""
    kept: tuple[tuple[str, str], ...]
    """Their settings the run keeps, (name, value as text), in the order Celery lists them."""
    replaced: tuple[tuple[str, str], ...]
    """Their settings the run replaced (their broker and backend URLs), passwords masked."""
    queues: tuple[str, ...]
    """Every queue their configuration names (default queue first): the workers consume them."""
    result_backend: bool
    """Whether they configured a result backend (the run keeps "none" as none)."""

    def describe(self) -> str:
        """One sentence: which app, what the run replaced, what it kept from their file."""
        replaced = ", ".join(f"{name} {value}" for name, value in self.replaced) or "nothing"
        kept = ", ".join(name for name, _ in self.kept) or "no other setting"
        return (
            f"their app {self.name!r} runs on the tutor's in-memory broker and result store "
            f"(replaced, never contacted: {replaced}); kept from their file: {kept}"
        )


def find_app(namespace: Mapping[str, Any], modules: Iterable[ModuleType] = ()) -> Celery | None:
    """The Celery app the module created (or imported from a sibling): one named `app` first,
    then any other; None when there is none. Lazy proxies (`current_app`, tasks) are not
    evaluated. Two different apps are refused (SampleError)."""
    found: dict[int, tuple[str, Celery]] = {}
    places = [namespace, *(vars(module) for module in modules)]
    for place in places:
        for name, value in list(place.items()):
            if issubclass(type(value), Celery) and not isinstance(value, RunApp):
                found.setdefault(id(value), (name, value))
    if not found:
        return None
    apps = list(found.values())
    named = [app for name, app in apps if name == "app"]
    if len(apps) > 1 and not named:
        names = ", ".join(sorted(name for name, _ in apps))
        raise SampleError(f"the module creates {len(apps)} Celery apps ({names}): trace plays one")
    return named[0] if named else apps[0][1]


def _text(value: Any) -> str:
    return _PASSWORD.sub(r"\1****@", value) if isinstance(value, str) else repr(value)


def _their_settings(app: Celery) -> list[tuple[str, Any]]:
    prefix = f"{app.namespace}_".lower() if app.namespace else ""
    settings = []
    for key, value in app.conf.table(with_defaults=False, censored=False).items():
        name = key.lower().removeprefix(prefix)
        if name != "deprecated_settings":
            settings.append((name, value))
    return settings


def _queues(app: Celery) -> tuple[str, ...]:
    default = str(app.conf.task_default_queue)
    names = [default, *app.amqp.queues]
    routes = app.conf.task_routes
    for table in routes if isinstance(routes, (list, tuple)) else [routes]:
        if isinstance(table, Mapping):
            for route in table.values():
                queue = route.get("queue") if isinstance(route, Mapping) else route
                names.append(getattr(queue, "name", queue))
    names += [getattr(task, "queue", None) for task in app.tasks.values()]
    return tuple(dict.fromkeys(str(name) for name in names if isinstance(name, str) and name))


def gate_tasks(app: Celery) -> None:
    """Give every task of `app` the run's gated task class (mixed into its own class, so a custom
    base such as `base=MyTask` keeps its behaviour)."""
    for task in list(app.tasks.values()):
        cls = type(task)
        if not issubclass(cls, GatedTask):
            task.__class__ = type(
                cls.__name__,
                (GatedTask, cls),
                {"__module__": cls.__module__, "__qualname__": cls.__qualname__},
            )


def adopt_app(
    app: Celery, *, owned: Mapping[str, Any], results: ResultStore, hooks: RunHooks
) -> Adoption:
    """Make `app` the run's: its class, its hooks and results, the run's `owned` settings (for the
    names in RUN_OWNED), every task gated. Call it where the module's definitions ran (its
    `shared_task`s register when it finalizes)."""
    theirs = _their_settings(app)
    has_backend = bool(app.conf.result_backend)
    if not isinstance(app, RunApp):
        cls = type(app)
        app.__class__ = type(f"Run{cls.__name__}", (RunApp, cls), {"__module__": __name__})
    for cached in ("AsyncResult", "GroupResult"):
        vars(app).pop(cached, None)  # made by their class, if read already: the run's instead
    assert isinstance(app, RunApp)
    app.tutor_results = results
    app.tutor_hooks = hooks
    settings = {name: owned[name] for name in RUN_OWNED if name in owned}
    if not has_backend:
        settings["result_backend"] = None
    app.conf.update(settings)
    app.finalize(auto=True)
    gate_tasks(app)
    return Adoption(
        app=app,
        name=str(app.main or "celery"),
        kept=tuple((n, _text(v)) for n, v in theirs if n not in RUN_OWNED),
        replaced=tuple((n, _text(v)) for n, v in theirs if n in RUN_OWNED),
        queues=_queues(app),
        result_backend=has_backend,
    )


def take_over(run: Run, namespace: dict[str, Any]) -> Celery:
    """Adopt the app a traced module created (if any) as `run`'s app, in place of the one the run
    made: the run's configuration then follows theirs (backend, ignored results, queues)."""
    assert run.app is not None
    theirs = find_app(namespace, run.siblings.modules())
    if theirs is None:
        return run.app
    try:
        adoption = adopt_app(
            theirs,
            owned=run_settings(run.broker, True),
            results=run.results,
            hooks=run.recorder.task_tap,
        )
    except Exception as exc:  # their configuration, loaded only now (config_from_object...)
        raise SampleError(
            f"{run.config.filename}: the configuration of Celery app {theirs.main!r} cannot be "
            f"loaded: {exception_text(exc)}",
            error=exception_text(exc),
        ) from exc
    run.app.close()
    compat.forget_app(run.app)
    run.app, run.adoption = adoption.app, adoption
    run.config = run.reader.config = replace(
        run.config,
        result_backend=adoption.result_backend,
        ignore_result=bool(theirs.conf.task_ignore_result),
        default_queue=adoption.queues[0],
        workers=tuple(replace(spec, queues=adoption.queues) for spec in run.config.workers),
    )
    run.caller.default_queue = adoption.queues[0]
    run.reader.app_settings = tuple(
        [(n, v, "replaced") for n, v in adoption.replaced]
        + [(n, v, "kept") for n, v in adoption.kept]
    )
    return adoption.app


class SiblingImports:
    """The module's folder on `sys.path` while the run lives; at the end, the folder leaves
    `sys.path` and the modules imported from it leave `sys.modules` (a later run imports them
    afresh)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = None if folder is None else str(Path(folder).resolve())
        self._before: set[str] = set()
        self._entered = False

    def enter(self) -> None:
        """Put the folder first on `sys.path`."""
        if self.folder is None or self._entered:
            return
        self._entered = True
        self._before = set(sys.modules)
        sys.path.insert(0, self.folder)

    def modules(self) -> list[ModuleType]:
        """The modules imported from the folder since `enter()`."""
        if not self._entered or self.folder is None:
            return []
        found = []
        for name in set(sys.modules) - self._before:
            module = sys.modules.get(name)
            where = getattr(module, "__file__", None)
            if module is not None and where and str(Path(where).resolve()).startswith(self.folder):
                found.append(module)
        return found

    def leave(self) -> None:
        """Take the folder off `sys.path` and forget the modules imported from it."""
        if not self._entered:
            return
        for module in self.modules():
            sys.modules.pop(module.__name__, None)
        self._entered = False
        if self.folder in sys.path:
            sys.path.remove(self.folder)
