"""The two-lane timeline: the main app's lane goes on while a worker's lane runs the task.

Times come from the trace's real timestamps, with the pauses made for the learner taken out.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from ..engine import CALLER_THREAD, Snapshot

BUSY = "█"
WAITING = "░"
IDLE = "─"


@dataclass(frozen=True)
class Span:
    """A stretch of real time when one lane was busy (or blocked waiting)."""

    lane: str
    start: float
    end: float
    kind: str
    """ "busy" or "waiting"."""


def _lane_of(thread: str) -> str:
    return thread.removesuffix("-timer")


def lane_spans(snapshot: Snapshot) -> tuple[list[str], list[Span]]:
    """The lanes (main app first, then workers) and their busy spans, in active seconds."""
    lanes = [CALLER_THREAD] + [worker.name for worker in snapshot.workers]
    spans: list[Span] = []
    opened: dict[tuple[str, str], float] = {}
    now = snapshot.active_time(snapshot.at)
    for event in snapshot.events:
        lane = _lane_of(event.thread)
        at = snapshot.active_time(event.at)
        key = f"{event.source}:{event.name}"
        if key == "caller:call":
            opened[(lane, "busy")] = at
        elif key == "caller:call-returned" and (lane, "busy") in opened:
            spans.append(Span(lane, opened.pop((lane, "busy")), at, "busy"))
        elif key == "caller:waiting":
            opened[(lane, "waiting")] = at
        elif key == "caller:waited" and (lane, "waiting") in opened:
            spans.append(Span(lane, opened.pop((lane, "waiting")), at, "waiting"))
        elif key in ("broker:get", "timer:fired"):
            opened[(lane, "busy")] = at
        elif key == "signal:task_postrun" and (lane, "busy") in opened:
            spans.append(Span(lane, opened.pop((lane, "busy")), at, "busy"))
    for (lane, kind), start in opened.items():
        spans.append(Span(lane, start, now, kind))
    return lanes, spans


def timeline(snapshot: Snapshot | None, width: int = 60) -> Table:
    """Lanes drawn over `width` characters: █ busy, ░ blocked waiting, ─ free to go on."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(no_wrap=True)
    if snapshot is None:
        table.add_row("", Text("no run yet", style="dim"))
        return table
    lanes, spans = lane_spans(snapshot)
    if not spans:
        table.add_row("", Text("nothing has run yet: the first call starts the clock", style="dim"))
        return table
    origin = min((span.start for span in spans), default=0.0)
    spans = [Span(s.lane, s.start - origin, s.end - origin, s.kind) for s in spans]
    total = max(snapshot.active_time(snapshot.at) - origin, 1e-6)
    for lane in lanes:
        cells = [IDLE] * width
        for span in (s for s in spans if s.lane == lane):
            first = min(width - 1, int(span.start / total * width))
            last = max(first, min(width - 1, int(span.end / total * width)))
            for column in range(first, last + 1):
                if span.kind == "busy" or cells[column] == IDLE:
                    cells[column] = BUSY if span.kind == "busy" else WAITING
        busy_ms = sum(s.end - s.start for s in spans if s.lane == lane and s.kind == "busy") * 1000
        label = "main app" if lane == CALLER_THREAD else lane
        table.add_row(label, Text("".join(cells)) + Text(f" busy {busy_ms:.1f} ms", style="dim"))
    scale = Text("first call".ljust(width - 10) + f"{total * 1000:>10.1f} ms", style="dim")
    table.add_row("", scale)
    return table


def call_bars(snapshot: Snapshot | None, width: int = 40) -> Table:
    """The main app's calls side by side: how long each kept the caller busy, to scale."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    if snapshot is None:
        return table
    done = [call for call in snapshot.calls if call.work_ms is not None]
    longest = max((call.work_ms or 0.0 for call in done), default=0.0) or 1.0
    for call in done:
        work = call.work_ms or 0.0
        bar = BUSY * max(1, round(work / longest * width))
        source = call.source if len(call.source) <= 40 else call.source[:39] + "…"
        table.add_row(f"line {call.line}", source, Text(bar) + Text(f" {work:.1f} ms", style="dim"))
    return table
