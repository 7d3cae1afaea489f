"""Under the hood: the broker queue, the worker and the result backend, as the real run has them."""

from __future__ import annotations

import json
import re

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine import NOT_CONFIGURED, MessageView, Snapshot
from ..player.timers import timer_entries

LOG_LINES_SHOWN = 3
"""How many of a worker process's latest log lines the worker panel shows (real broker)."""


_LOG = re.compile(r"^\[\S+ (\d\d:\d\d:\d\d),\d+: \w+/([^\]]+)\] (.*)$")


def short_log(line: str) -> str:
    """A worker's log line without its date and level: `17:51:18 MainProcess: ... received`."""
    found = _LOG.match(line)
    return line if found is None else f"{found[1]} {found[2]}: {found[3]}"


def _message_lines(message: MessageView) -> Text:
    text = Text(overflow="fold")
    text.append(f"{message.task}", style="bold")
    text.append(f"  id {message.id}\n")
    text.append(f"args {json.dumps(list(message.args))}  kwargs {json.dumps(message.kwargs)}")
    if message.headers.get("celery_beat_task"):
        text.append("\nsent by beat (header celery_beat_task)", style="dim")
    if message.eta:
        text.append(f"\neta {message.eta}")
    if message.retries:
        text.append(f"  retries {message.retries}")
    return text


def _consumers(snapshot: Snapshot) -> dict[str, list[str]]:
    """Every queue (with messages, or consumed by a worker) → the workers consuming it."""
    consumers: dict[str, list[str]] = {name: [] for name in snapshot.queues}
    for worker in snapshot.workers:
        for name in worker.queues:
            consumers.setdefault(name, []).append(worker.name)
    return consumers


def beat_lines(snapshot: Snapshot) -> list[Text]:
    """Each entry of the run's beat services: what it sends, how often, how many times it was
    sent, and the seconds until it is due again (run time), or that its service stopped."""
    lines = []
    for entry in snapshot.beat:
        args = ", ".join(json.dumps(arg) for arg in entry.args)
        line = Text(f"{entry.service}", style="bold")
        line.append(f" '{entry.name}': {entry.task}({args}) every {entry.every:g} s")
        line.append(f" · sent {entry.total_run_count}")
        if entry.seconds_left is not None:
            line.append(f" · next in {entry.seconds_left:.1f} s", style="bold")
        else:
            line.append(" · stopped", style="dim")
        lines.append(line)
    return lines


def queue_panel(snapshot: Snapshot | None) -> Panel:
    """The beat services that feed the queues, if any; every queue with its depth (consumed or
    not) and the real messages waiting in it (and those a worker holds)."""
    if snapshot is None:
        return Panel(Text("no run yet", style="dim"), title="Broker queue")
    parts: list[RenderableType] = list(beat_lines(snapshot))
    redis = snapshot.broker
    if redis is not None:
        parts.append(Text(f"Redis {redis.url}", style="dim"))
    for name, consumers in _consumers(snapshot).items():
        messages = snapshot.queues.get(name, ())
        line = Text(f"queue '{name}': depth {len(messages)}", style="bold")
        if redis is not None:
            line = Text(f"LLEN {name} → {redis.lists.get(name, len(messages))}", style="bold")
            if messages:
                line.append(f"\nLRANGE {name} 0 -1 (oldest first, nothing taken):", style="dim")
        if not consumers:
            line.append(" · no worker consumes it", style="yellow")
        parts.append(line)
        parts.extend(_message_lines(message) for message in messages)
    for message in snapshot.unacked:
        parts.append(Text(f"taken, not acknowledged yet: {message.task} {message.short_id}"))
    if redis is not None:
        parts.append(Text(f"HLEN unacked → {redis.unacked}"))
        for key, members in redis.bindings.items():
            parts.append(Text(f"{key}: {', '.join(members) or 'empty'}", style="dim"))
    if not parts:
        parts.append(Text("no queue", style="dim"))
    return Panel(Group(*parts), title="Broker queue")


def timer_lines(snapshot: Snapshot) -> list[Text]:
    """The messages waiting in a worker's timer for their countdown or ETA, the soonest first."""
    entries = timer_entries(snapshot)
    if not entries:
        return []
    lines = [Text(f"in the workers' timers (not in a queue): {len(entries)}", style="bold")]
    for entry in entries:
        task = snapshot.task_by_id(entry.task_id)
        name = task.name if task is not None else "task"
        line = Text(f"{name} {entry.task_id[:8]} due {entry.eta}")
        if entry.seconds_left is not None:
            line.append(f" ({max(entry.seconds_left, 0.0):.1f} s left)", style="bold")
        if entry.worker:
            line.append(f" · {entry.worker}", style="dim")
        lines.append(line)
    return lines


def worker_panel(snapshot: Snapshot | None) -> Panel:
    """Each worker: its queues, what it is doing (with the task's retries), in which thread;
    then what waits in the workers' timers."""
    if snapshot is None:
        return Panel(Text("no run yet", style="dim"), title="Worker")
    title = "Workers" if len(snapshot.workers) > 1 else "Worker"
    timers = timer_lines(snapshot)
    if not snapshot.workers:
        parts: list[RenderableType] = [
            Text("no worker is running: messages wait in their queue"),
            *timers,
        ]
        return Panel(Group(*parts), title=title)
    table = Table.grid(padding=(0, 1))
    for worker in snapshot.workers:
        doing = worker.status
        if worker.task_key:
            task = next((t for t in snapshot.tasks if t.key == worker.task_key), None)
            if task is not None:
                doing += f" {task.name}{tuple(task.args)!r}"
                if task.retries:
                    doing += f" · retry {task.retries}"
        line = Text(f"{worker.name}", style="bold")
        line.append(f" · queue {', '.join(worker.queues)} · {doing}")
        if worker.pid is not None:
            line.append(f"\n{worker.hostname or worker.name} · process {worker.pid}")
            if worker.pool_pid is not None:
                line.append(f" · its task runs in pool process {worker.pool_pid}")
        if worker.error:
            line.append(f"\n{worker.error}", style="bold red")
        for entry in worker.log[-LOG_LINES_SHOWN:]:
            line.append(f"\n{short_log(entry)}", style="dim")
        table.add_row(line)
    for timer in timers:
        table.add_row(timer)
    return Panel(table, title=title)


def backend_panel(snapshot: Snapshot | None) -> Panel:
    """The result backend: not configured, or every meta it stores."""
    if snapshot is None:
        return Panel(Text("no run yet", style="dim"), title="Result backend")
    backend = snapshot.backend
    if backend.kind == NOT_CONFIGURED:
        body = Text("not configured: results are stored nowhere; result.get() cannot work")
        return Panel(body, title="Result backend")
    parts: list[RenderableType] = []
    if backend.ignore_result:
        parts.append(Text("ignore_result is on: results are not stored", style="italic"))
    for key, meta in backend.entries:
        line = Text(
            ("GET " if snapshot.broker is not None else "") + key, style="bold", overflow="fold"
        )
        shown = {k: meta.get(k) for k in ("status", "result") if k in meta}
        line.append(f"\n{json.dumps(shown)}")
        if meta.get("traceback"):
            line.append("\n" + str(meta["traceback"]).strip().splitlines()[-1], style="red")
        parts.append(line)
    if len(parts) == 0:
        parts.append(Text("nothing stored yet", style="dim"))
    return Panel(Group(*parts), title=f"Result backend ({backend.kind})")


def app_settings_lines(snapshot: Snapshot | None) -> Text | None:
    """A traced module's own app: which of its settings the run replaced (never contacted) and
    which it kept from the file; None for a lesson's sample."""
    if snapshot is None or not snapshot.app_settings:
        return None
    text = Text("Your app's settings: ", style="bold")
    replaced = [f"{n} {v}" for n, v, how in snapshot.app_settings if how == "replaced"]
    kept = [f"{n}={v}" for n, v, how in snapshot.app_settings if how == "kept"]
    text.append("replaced by the tutor's in-memory broker and backend (never contacted): ")
    text.append(", ".join(replaced) or "none", style="yellow")
    text.append("; kept from your file: ")
    text.append(", ".join(kept) or "none")
    return text


def under_the_hood(snapshot: Snapshot | None, boxed: bool = True) -> RenderableType:
    """The three panels side by side (`boxed=False`: titled columns without borders), and a
    traced module's app settings under them."""
    grid = Table.grid(expand=True, padding=(0, 2))
    panels = [queue_panel(snapshot), worker_panel(snapshot), backend_panel(snapshot)]
    for _ in panels:
        grid.add_column(ratio=1)
    if boxed:
        grid.add_row(*panels)
    else:
        grid.add_row(*(Text(str(panel.title), style="bold underline") for panel in panels))
        grid.add_row(*(panel.renderable for panel in panels))
    settings = app_settings_lines(snapshot)
    return grid if settings is None else Group(grid, settings)
