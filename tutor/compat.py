"""The one door to the private parts of Celery, kombu and textual-serve this project relies on.

Every private name the tutor touches is listed in `PRIVATE` (which module, which attribute path,
what kind of thing it is and why the tutor needs it), and reached only through the small
functions below. `tests/test_compat.py` checks that each listed name still exists in the installed
versions (and names the one that vanished), and that no module of `tutor/` uses one directly.

Nothing heavy is imported here at import time: Celery, kombu and textual-serve load inside the
functions that need them.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Kind = Literal["callable", "class", "attribute", "instance attribute", "override", "file"]


@dataclass(frozen=True)
class Private:
    """One private (or undocumented) thing of a dependency that the tutor relies on."""

    module: str
    """The module to import, e.g. "celery._state"."""
    path: str
    """The attribute path inside the module ("Channel._get"), or a file path inside the package."""
    kind: Kind
    """callable, class, attribute (on the module or class), instance attribute (assigned in
    `set_in`), override (a private method a tutor subclass overrides: it must still exist on the
    base class), or file (shipped inside the package)."""
    why: str
    """What the tutor uses it for."""
    set_in: str = "__init__"
    """For an instance attribute: the method of the class that assigns it."""
    spelled: str = ""
    """A regular expression for a direct use in code (see `pattern`), when the name alone is too
    common to search for."""

    @property
    def name(self) -> str:
        """The last part of the path: the name code would spell."""
        return self.path.replace("/", ".").split(".")[-1] if self.kind != "file" else self.path

    @property
    def pattern(self) -> str | None:
        """A regular expression matching a direct use of this name in code, or None when the name
        is too common to search for (a public-looking attribute such as `queues`)."""
        if self.spelled:
            return self.spelled
        if self.kind == "file":
            leaf = self.path.split("/")[-1]
            return re.escape(leaf) if "." in leaf else None
        private_module = next((p for p in self.module.split(".") if p.startswith("_")), None)
        if private_module is not None:
            parent = self.module.split(private_module)[0].rstrip(".")
            return (
                rf"\b{re.escape(self.module)}\b"
                rf"|\bfrom\s+{re.escape(parent)}\s+import\b.*\b{private_module}\b"
            )
        if self.name.startswith("_"):
            return rf"(\.|\bdef\s+|\bimport\s+|,\s*){self.name}\b"
        return None

    @property
    def label(self) -> str:
        """module:path, to name it in messages."""
        return f"{self.module}:{self.path}"


_MEMORY = "kombu.transport.memory"
_VIRTUAL = "kombu.transport.virtual.base"
_PAGE = "templates/app_index.html"
_STATICS = "static"
_FONT = "fonts/RobotoMono-VariableFont_wght.ttf"
_RUN_CHANNEL = "overridden by tutor.engine.broker.RunChannel to keep a run's queues to itself"

PRIVATE: tuple[Private, ...] = (
    # --- celery's global app state
    Private("celery._state", "_apps", "attribute",
            "shared_task registers into every live app: other runs' apps are hidden while a "
            "sample's definitions run, and a closed run's app is dropped"),
    Private("celery._state", "_on_app_finalizers", "attribute",
            "shared_task also registers into every later app: a sample's finalizers are removed "
            "so later runs stay clean"),
    Private("celery._state", "default_app", "attribute",
            "a closed run's app must not stay Celery's default app"),
    Private("celery._state", "set_default_app", "callable",
            "resets the default app when a closed run's app was it"),
    Private("celery.result", "_set_task_join_will_block", "callable",
            "an in-process worker makes result.get() in the caller raise 'Never call "
            "result.get() within a task!'; switched off as Celery's testing worker does"),
    # --- result backend
    Private("celery.backends.base", "KeyValueStoreBackend._apply_chord_incr", "override",
            "overridden by tutor.engine.results.RunResultBackend to reset a chord's counter in the "
            "run's own result store"),
    # --- worker timer
    Private("celery.utils.timer2", "Timer._next_entry", "callable",
            "tutor.engine.timer.RunTimer's loop applies due entries through it"),
    Private("celery.utils.timer2", "Timer.not_empty", "instance attribute",
            "RunTimer waits on this condition (not sleep) so stop() wakes it",
            spelled=r"\.not_empty\b"),
    Private("celery.utils.timer2", "Timer.scheduler", "instance attribute",
            "RunTimer's loop primes the schedule iterator _next_entry reads", set_in="run",
            spelled=r"\.scheduler\b"),
    Private("celery.utils.timer2", "Timer.running", "instance attribute",
            "RunTimer's loop says it runs (and stopped), as Timer.run does", set_in="run",
            spelled=r"\.running\b"),
    # --- kombu's memory transport, overridden per run
    Private(_MEMORY, "Channel.queues", "attribute",
            "the memory transport's process-global queues; a RunChannel shadows it per run"),
    Private(_MEMORY, "Transport.state", "instance attribute",
            "the memory transport's bindings (its process-global `global_state`); a RunTransport "
            "sets its run's own instead"),
    Private("kombu.transport.virtual", "BrokerState", "class",
            "the bindings store each run owns instead of the global one",
            spelled=r"\bBrokerState\b"),
    Private(_MEMORY, "Channel._has_queue", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._new_queue", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._queue_for", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._put", "override", _RUN_CHANNEL + " (and to gate each message)"),
    Private(_MEMORY, "Channel._put_fanout", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._get", "override", _RUN_CHANNEL + " (and to hold a message)"),
    Private(_MEMORY, "Channel._size", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._delete", "override", _RUN_CHANNEL),
    Private(_MEMORY, "Channel._purge", "override", _RUN_CHANNEL),
    Private(_VIRTUAL, "Channel._lookup", "callable",
            "a fanout put finds the queues bound to an exchange"),
    Private(_VIRTUAL, "Channel._qos", "instance attribute",
            "read without creating it: the messages a worker received and has not acknowledged"),
    Private(_VIRTUAL, "QoS._delivered", "attribute",
            "the messages delivered to a worker, by delivery tag (shown as 'not acknowledged')"),
    Private(_VIRTUAL, "QoS._dirty", "attribute",
            "delivery tags acknowledged but not yet flushed out of _delivered"),
    # --- kombu's global pools
    Private("kombu.pools", "producers", "attribute",
            "Celery's producer pools live here for the life of the process: a closed run's are "
            "dropped", spelled=r"\bpools\.producers\b|\bfrom\s+kombu\s+import\s+pools\b"),
    Private("kombu.pools", "connections", "attribute", "the connection pools, likewise",
            spelled=r"\bpools\.connections\b|\bfrom\s+kombu\s+import\s+pools\b"),
    Private("kombu.pools", "ProducerPool.connections", "instance attribute",
            "how a producer pool names its connection pool (to tell which run it serves)"),
    Private("kombu.connection", "ConnectionPool.connection", "instance attribute",
            "how a connection pool names its connection (to tell which run it serves)"),
    Private("kombu.resource", "Resource.force_close_all", "callable",
            "closes a closed run's pools", spelled=r"\.force_close_all\b"),
    # --- textual-serve's page
    Private("textual_serve", _PAGE, "file",
            "the page template `tutor serve` copies with its web font made local"),
    Private("textual_serve", _STATICS, "file", "the static files textual-serve's page loads"),
    Private("textual_serve", f"{_STATICS}/{_FONT}", "file",
            "the font the offline page points at instead of the CDN"),
)  # fmt: skip


def resolve(entry: Private) -> Any:
    """Import `entry`'s module and follow its path; raises ImportError/AttributeError if gone."""
    module = importlib.import_module(entry.module)
    if entry.kind == "file":
        found = Path(str(module.__file__)).parent / entry.path
        if not found.exists():
            raise FileNotFoundError(found)
        return found
    *owners, name = entry.path.split(".")
    owner: Any = module
    for part in owners:
        owner = getattr(owner, part)
    if entry.kind == "instance attribute":
        assigner = getattr(owner, entry.set_in)
        if name not in assigner.__code__.co_names:
            raise AttributeError(f"{owner.__name__}.{entry.set_in} no longer sets {name}")
        return name
    return getattr(owner, name)


# ---------------------------------------------------------------------- celery: global app state
APPS_LOCK = threading.Lock()  # held while Celery's live apps change (build, definitions)


@contextmanager
def only_app_alive(app: Any) -> Iterator[None]:
    """While the block runs, `app` is the only live Celery app, and app finalizers (what
    `shared_task` registers into every later app) added by the block are removed after it."""
    from celery import _state

    with APPS_LOCK:
        before = set(_state._on_app_finalizers)
        others = [other for other in list(_state._apps) if other is not app]
        for other in others:
            _state._apps.discard(other)
        try:
            yield
        finally:
            for finalizer in set(_state._on_app_finalizers) - before:
                _state._on_app_finalizers.discard(finalizer)
            for other in others:
                _state._apps.add(other)


def forget_app(app: Any) -> None:
    """Drop `app` from Celery's live apps, and from being the default app."""
    from celery import _state

    if _state.default_app is app:
        _state.set_default_app(None)
    _state._apps.discard(app)


def allow_result_join() -> None:
    """Let result.get() block in this process although a worker runs in it (Celery's testing
    worker does the same)."""
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


# ---------------------------------------------------------------------- celery: timer
def timer_begin(timer: Any, clock: Callable[[], float] | None = None) -> None:
    """What Celery's Timer.run does first: mark it running, prime its schedule (due by `clock`)."""
    timer.running = True
    timer.scheduler = timer.schedule.__iter__(**({} if clock is None else {"nowfun": clock}))


def timer_ended(timer: Any) -> None:
    """What Celery's Timer.stop does last: mark it not running."""
    timer.running = False


def timer_next(timer: Any) -> float | None:
    """Apply the entries due now; return how long until the next one (Timer._next_entry)."""
    delay: float | None = timer._next_entry()
    return delay


def timer_condition(timer: Any) -> threading.Condition:
    """The condition a timer waits on between entries."""
    condition: threading.Condition = timer.not_empty
    return condition


# ---------------------------------------------------------------------- kombu: virtual channels
def channel_lookup(channel: Any, exchange: str, routing_key: str | None) -> list[str]:
    """The queues bound to `exchange` for `routing_key`."""
    return list(channel._lookup(exchange, routing_key))


def delivered_message(channel: Any, delivery_tag: Any) -> Any:
    """The message a channel delivered under `delivery_tag` (None if unknown)."""
    qos = channel._qos
    return None if qos is None else qos._delivered.get(delivery_tag)


def unacked_messages(channel: Any) -> list[Any]:
    """Messages the channel delivered and that are not acknowledged yet (QoS not created)."""
    qos = channel._qos
    if qos is None:
        return []
    dirty = set(qos._dirty)
    return [message for tag, message in list(qos._delivered.items()) if tag not in dirty]


def broker_state() -> Any:
    """A new, empty store of exchanges and bindings, like the memory transport's global one."""
    from kombu.transport import virtual

    make: Any = virtual.BrokerState
    return make()


# ---------------------------------------------------------------------- kombu: global pools
def forget_kombu_pools(serves: Callable[[dict[str, Any]], bool]) -> None:
    """Close and drop kombu's process-global connection and producer pools whose connection's
    transport options satisfy `serves`."""
    from kombu import pools

    for group in (pools.producers, pools.connections):
        for key, pool in list(dict.items(group)):
            connection = getattr(pool, "connection", None)
            if connection is None:
                connection = getattr(getattr(pool, "connections", None), "connection", None)
            options = getattr(connection, "transport_options", None) or {}
            if serves(options):
                try:
                    pool.force_close_all()
                finally:
                    dict.pop(group, key, None)


# ---------------------------------------------------------------------- textual-serve
def textual_serve_file(path: str) -> Path:
    """A file shipped inside textual-serve (one listed in PRIVATE)."""
    entry = next((e for e in PRIVATE if e.module == "textual_serve" and e.path == path), None)
    if entry is None:
        raise KeyError(f"{path!r} is not a listed textual-serve file; add it to PRIVATE")
    found: Path = resolve(entry)
    return found


def textual_serve_page_template() -> Path:
    """textual-serve's page template."""
    return textual_serve_file(_PAGE)


def textual_serve_statics() -> Path:
    """textual-serve's folder of static files."""
    return textual_serve_file(_STATICS)


def textual_serve_font() -> str:
    """The font's path relative to the static folder (as the page's CSS refers to it); the file
    is checked to exist."""
    textual_serve_file(f"{_STATICS}/{_FONT}")
    return _FONT
