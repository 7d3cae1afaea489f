"""The canvas graph: a run's chains, groups and chords as nodes with their live state.

The shape of each canvas comes from the caller's own statement (`chain(add.s(2, 2), ...)`, read
from `Snapshot.calls`, so only canvases the caller has started appear); each signature is matched
with the real task that ran it, in publish order, among the tasks published after that statement
started. A link Celery has not published yet is still riding in an earlier message (a chain's
`embed.chain`, a chord's callback): it shows as waiting, and as never ran once the run is over.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import pairwise

from rich.console import Group
from rich.text import Text

from ..engine import Snapshot, Stage, TaskView

KINDS = ("chain", "group", "chord")

SYMBOLS = {
    "waiting": "…",
    "queued": "◷",
    "running": "▶",
    "succeeded": "✓",
    "failed": "✗",
    "never ran": "∅",
}
STYLES = {
    "waiting": "dim",
    "queued": "yellow",
    "running": "bold cyan",
    "succeeded": "green",
    "failed": "bold red",
    "never ran": "dim",
}


@dataclass(frozen=True)
class Signature:
    """One `name.s(args)` of the caller's statement."""

    name: str
    args: str


@dataclass(frozen=True)
class Canvas:
    """One canvas the caller built: its kind, its signatures (a chord's header then its
    callback), and the statement that sent it."""

    kind: str
    signatures: tuple[Signature, ...]
    line: int
    source: str
    started_at: float


@dataclass(frozen=True)
class Node:
    """A signature with the task that ran it (None: not published yet) and its state in words."""

    label: str
    signature: Signature
    task: TaskView | None
    state: str
    note: str


def _signature(node: ast.expr) -> Signature | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    if node.func.attr not in ("s", "si", "signature") or not isinstance(node.func.value, ast.Name):
        return None
    args = ", ".join(ast.unparse(arg) for arg in node.args)
    return Signature(node.func.value.id, args)


def _canvas_call(tree: ast.AST) -> tuple[str, list[Signature]] | None:
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        kind = node.func.id
        if kind not in KINDS:
            continue
        parts: list[ast.expr] = list(node.args)
        if kind == "chord" and parts and isinstance(parts[0], (ast.List, ast.Tuple)):
            parts = [*parts[0].elts, *parts[1:]]
        signatures = [sig for sig in map(_signature, parts) if sig is not None]
        if signatures:
            return kind, signatures
    return None


def canvases(snapshot: Snapshot) -> list[Canvas]:
    """The canvases the caller has started so far, in the order it started them."""
    found = []
    for call in snapshot.calls:
        try:
            tree = ast.parse(call.source)
        except SyntaxError:
            continue
        shape = _canvas_call(tree)
        if shape is not None:
            kind, signatures = shape
            found.append(Canvas(kind, tuple(signatures), call.line, call.source, call.started_at))
    return found


def uses_canvas(snapshot: Snapshot | None) -> bool:
    """Whether the run has started any chain, group or chord."""
    return snapshot is not None and bool(canvases(snapshot))


def _state(task: TaskView) -> str:
    if task.raised or task.outcome == "failure":
        return "failed"
    if task.returned or task.outcome == "success":
        return "succeeded"
    if task.started_at is not None or task.executed_by is not None:
        return "running"
    return "queued"


def _matches(signature: Signature, task: TaskView) -> bool:
    return task.name == signature.name or task.name.endswith(f".{signature.name}")


def _nodes(canvas: Canvas, tasks: list[TaskView], over: bool, number: int) -> list[Node]:
    nodes: list[Node] = []
    pool = list(tasks)
    carrier: TaskView | None = None  # the newest link sent: the later ones ride in its message
    for index, signature in enumerate(canvas.signatures):
        task = next((t for t in pool if _matches(signature, t)), None)
        if canvas.kind == "chain" and task is not None and pool and pool[0] is not task:
            task = None
        if task is not None:
            pool.remove(task)
        carrier = task or carrier
        callback = canvas.kind == "chord" and index == len(canvas.signatures) - 1
        label = f"{canvas.kind}{number}." + ("callback" if callback else str(index + 1))
        if task is not None:
            state, note = _state(task), _task_note(task)
        elif over:
            state, note = "never ran", "no message was ever sent for it"
        elif canvas.kind == "chain" and carrier is not None:
            state = "waiting"
            note = f"rides in message {carrier.short_id}'s embed.chain, not a task yet"
        elif callback:
            state, note = "waiting", "rides with the header (chord callback), not a task yet"
        else:
            state, note = "waiting", "not sent yet"
        nodes.append(Node(label, signature, task, state, note))
    return nodes


def _task_note(task: TaskView) -> str:
    where = task.executed_by or task.received_by
    by = f" in {where}" if where else ""
    ran = f"ran with {list(task.args)}"
    if task.returned:
        return f"{ran}, returned {task.return_value!r}{by}"
    if task.exception:
        return f"{ran}, raised {task.exception}{by}"
    if task.started_at is not None or task.executed_by is not None:
        return f"running with {list(task.args)}{by}"
    if task.received_by:
        return f"taken by {task.received_by}, not started yet, args {list(task.args)}"
    return f"message in '{task.queue}', args {list(task.args)}"


def graph_nodes(snapshot: Snapshot) -> list[tuple[Canvas, list[Node]]]:
    """Each canvas started so far with its nodes, matched with the real tasks."""
    found = canvases(snapshot)
    over = snapshot.stage is Stage.FINISHED or snapshot.caller_done
    out = []
    for number, canvas in enumerate(found, start=1):
        end = found[number].started_at if number < len(found) else None
        tasks = [
            task
            for task in snapshot.tasks
            if task.published_at is not None
            and task.published_at >= canvas.started_at
            and (end is None or task.published_at < end)
        ]
        out.append((canvas, _nodes(canvas, tasks, over, number)))
    return out


def _node_text(node: Node, prefix: str) -> Text:
    text = Text(prefix)
    symbol = SYMBOLS[node.state]
    text.append(f"{symbol} {node.state:<9} ", style=STYLES[node.state])
    text.append(f"{node.signature.name}({node.signature.args})", style="bold")
    task_id = node.task.short_id if node.task is not None else "--------"
    text.append(f"  {task_id}", style="dim")
    text.append(f"\n{' ' * len(prefix)}  {node.note}", style="dim" if node.task is None else "")
    return text


def _edge(kind: str, node: Node, nodes: list[Node]) -> str:
    if kind == "chain" and node.state == "failed":
        return "│  it raised: the next link is never sent"
    if kind == "chain":
        return "│  its result becomes the first argument of the next link"
    if kind == "chord" and node is nodes[-1]:
        header = len(nodes) - 1
        return f"└─ join: runs once all {header} header results are stored, with their list"
    return ""


def canvas_graph(snapshot: Snapshot | None) -> Group:
    """The graph, vertical, readable at 80 columns: states in words and symbols."""
    if snapshot is None or not uses_canvas(snapshot):
        return Group(Text("No chain, group or chord has been sent yet.", style="dim"))
    parts: list[Text] = []
    for canvas, nodes in graph_nodes(snapshot):
        parts.append(Text(f"{canvas.kind} · sent at line {canvas.line}", style="bold"))
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            if canvas.kind == "chain":
                parts.append(_node_text(node, "  "))
                if not last:
                    parts.append(Text("  " + _edge("chain", node, nodes), style="dim"))
            elif canvas.kind == "chord" and last:
                parts.append(Text("  " + _edge("chord", node, nodes), style="dim"))
                parts.append(_node_text(node, "     "))
            else:
                branch = "└─ " if last and canvas.kind == "group" else "├─ "
                parts.append(_node_text(node, "  " + branch))
    legend = " ".join(f"{symbol} {state}" for state, symbol in SYMBOLS.items())
    parts.append(Text(legend, style="dim"))
    return Group(*parts)


def canvas_lines(snapshot: Snapshot | None) -> list[str]:
    """The graph as text, one line per node and per edge (for --narrate and screen readers)."""
    if snapshot is None:
        return []
    lines: list[str] = []
    for canvas, nodes in graph_nodes(snapshot):
        lines.append(f"{canvas.kind} from line {canvas.line}, {len(nodes)} signatures.")
        for node in nodes:
            task_id = f" {node.task.short_id}" if node.task is not None else ""
            sig = f"{node.signature.name}({node.signature.args})"
            lines.append(f"node {node.label} {sig}{task_id}: {node.state}, {node.note}.")
        if canvas.kind == "chain":
            for one, two in pairwise(nodes):
                lines.append(f"edge {one.label} to {two.label}: the result is passed on.")
        elif canvas.kind == "group":
            for node in nodes:
                lines.append(f"edge caller to {node.label}: fan-out, sent at once.")
        else:
            for node in nodes[:-1]:
                lines.append(f"edge {node.label} to {nodes[-1].label}: join, the result is stored.")
    return lines
