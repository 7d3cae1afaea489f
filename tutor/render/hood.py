"""Under the hood: the broker queue, the worker and the result backend, as the real run has them."""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..engine import NOT_CONFIGURED, MessageView, Snapshot


def _message_lines(message: MessageView) -> Text:
    text = Text()
    text.append(f"{message.task}", style="bold")
    text.append(f"  id {message.id}\n")
    text.append(f"args {json.dumps(list(message.args))}  kwargs {json.dumps(message.kwargs)}")
    if message.eta:
        text.append(f"\neta {message.eta}")
    if message.retries:
        text.append(f"  retries {message.retries}")
    return text


def queue_panel(snapshot: Snapshot | None) -> Panel:
    """Each queue's depth and the real messages waiting in it (and those a worker holds)."""
    if snapshot is None:
        return Panel(Text("no run yet", style="dim"), title="Broker queue")
    parts: list[RenderableType] = []
    for name, messages in snapshot.queues.items():
        parts.append(Text(f"queue '{name}': depth {len(messages)}", style="bold"))
        parts.extend(_message_lines(message) for message in messages)
    for message in snapshot.unacked:
        parts.append(Text(f"taken, not acknowledged yet: {message.task} {message.short_id}"))
    for task_id, eta in snapshot.scheduled.items():
        parts.append(Text(f"in the worker's timer until {eta}: {task_id[:8]}"))
    if not parts:
        parts.append(Text("no queue", style="dim"))
    return Panel(Group(*parts), title="Broker queue")


def worker_panel(snapshot: Snapshot | None) -> Panel:
    """Each worker: what it is doing, and in which thread."""
    if snapshot is None:
        return Panel(Text("no run yet", style="dim"), title="Worker")
    if not snapshot.workers:
        return Panel(Text("no worker is running: messages wait in their queue"), title="Worker")
    table = Table.grid(padding=(0, 1))
    for worker in snapshot.workers:
        doing = worker.status
        if worker.task_key:
            task = next((t for t in snapshot.tasks if t.key == worker.task_key), None)
            if task is not None:
                doing += f" {task.name}{tuple(task.args)!r}"
        line = Text(f"{worker.name}", style="bold")
        line.append(f" · queue {', '.join(worker.queues)} · {doing}")
        if worker.error:
            line.append(f"\n{worker.error}", style="bold red")
        table.add_row(line)
    return Panel(table, title="Worker")


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
        line = Text(key, style="bold")
        shown = {k: meta.get(k) for k in ("status", "result") if k in meta}
        line.append(f"\n{json.dumps(shown)}")
        if meta.get("traceback"):
            line.append("\n" + str(meta["traceback"]).strip().splitlines()[-1], style="red")
        parts.append(line)
    if len(parts) == 0:
        parts.append(Text("nothing stored yet", style="dim"))
    return Panel(Group(*parts), title=f"Result backend ({backend.kind})")


def under_the_hood(snapshot: Snapshot | None, boxed: bool = True) -> RenderableType:
    """The three panels side by side (`boxed=False`: titled columns without borders)."""
    grid = Table.grid(expand=True, padding=(0, 2))
    panels = [queue_panel(snapshot), worker_panel(snapshot), backend_panel(snapshot)]
    for _ in panels:
        grid.add_column(ratio=1)
    if boxed:
        grid.add_row(*panels)
    else:
        grid.add_row(*(Text(str(panel.title), style="bold underline") for panel in panels))
        grid.add_row(*(panel.renderable for panel in panels))
    return grid
