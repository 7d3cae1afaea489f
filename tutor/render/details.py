"""The full detail of one stop: every message with its whole id, headers and properties, every
task, and every stored result's key and meta in full (the panels shorten them to fit)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from ..engine import MessageView, Snapshot


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, default=str)


def _message(message: MessageView, where: str) -> Text:
    text = Text(f"{message.task}  ({where})\n", style="bold")
    text.append(f"id {message.id}\n", style="bold")
    text.append(f"args {json.dumps(list(message.args), default=str)}  ")
    text.append(f"kwargs {json.dumps(message.kwargs, default=str)}\n")
    text.append(f"headers {_json(message.headers)}\n", style="dim")
    text.append(f"properties {_json(message.properties)}", style="dim")
    return text


def stop_details(snapshot: Snapshot | None) -> RenderableType:
    """Messages, tasks and the stored results of a stop, nothing cut."""
    if snapshot is None:
        return Text("No stop yet: press → to start the run, then i again.", style="italic")
    parts: list[RenderableType] = [
        Text(f"At stage {snapshot.stage} — {snapshot.stop.detail}", style="bold")
    ]
    parts.append(Rule(Text("Messages", style="bold"), align="left"))
    messages = [
        _message(message, f"waiting in queue '{name}'")
        for name, waiting in snapshot.queues.items()
        for message in waiting
    ]
    messages += [_message(m, "taken by a worker, not acknowledged") for m in snapshot.unacked]
    parts.extend(messages or [Text("no message in a queue or in a worker's hands", style="dim")])
    parts.append(Rule(Text("Tasks", style="bold"), align="left"))
    for task in snapshot.tasks:
        line = Text(f"{task.name}  id {task.id or '(direct call: no id)'}\n", style="bold")
        line.append(f"state {task.state}; args {task.args!r}; kwargs {task.kwargs!r}")
        for label, value in (
            ("published by", task.published_by),
            ("received by", task.received_by),
            ("executed by", task.executed_by),
            ("returned", repr(task.return_value) if task.returned else None),
            ("raised", task.exception),
        ):
            if value:
                line.append(f"\n{label} {value}")
        parts.append(line)
    if not snapshot.tasks:
        parts.append(Text("no task yet", style="dim"))
    parts.append(
        Rule(Text(f"Result backend ({snapshot.backend.kind})", style="bold"), align="left")
    )
    for key, meta in snapshot.backend.entries:
        parts.append(Text(key, style="bold", overflow="fold"))
        parts.append(Text(_json(meta), overflow="fold"))
    if not snapshot.backend.entries:
        parts.append(Text("nothing stored", style="dim"))
    return Group(*parts)
