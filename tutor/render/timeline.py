"""The two-lane timeline: the main app's lane goes on while a worker's lane runs the task (and
a beat service's lane marks each message it sends).

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
    """ "busy", "waiting" (blocked for a result) or "commit" (at a COMMIT, the workers first)."""


def _lane_of(thread: str) -> str:
    return thread.removesuffix("-timer")


def lane_spans(snapshot: Snapshot) -> tuple[list[str], list[Span]]:
    """The lanes (main app first, then workers, then beat services) and their spans, in active
    seconds: busy, or (the main app) blocked waiting for a result in get(), or at a COMMIT the
    workers go first."""
    lanes = [CALLER_THREAD] + [worker.name for worker in snapshot.workers]
    lanes += list(dict.fromkeys(entry.service for entry in snapshot.beat))  # beat, beat-2...
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
        elif key == "caller:commit-waiting":
            opened[(lane, "commit")] = at
        elif key == "caller:commit" and (lane, "commit") in opened:
            spans.append(Span(lane, opened.pop((lane, "commit")), at, "commit"))
        elif key in ("broker:get", "timer:fired", "beat:due"):
            opened[(lane, "busy")] = at
        elif key == "signal:after_task_publish" and lane.startswith("beat"):
            spans.append(Span(lane, opened.pop((lane, "busy"), at), at, "busy"))  # one send
        elif key == "signal:task_postrun" and (lane, "busy") in opened:
            spans.append(Span(lane, opened.pop((lane, "busy")), at, "busy"))
    for (lane, kind), start in opened.items():
        spans.append(Span(lane, start, now, kind))
    return lanes, spans + _get_calls(snapshot, spans, now)


def _get_calls(snapshot: Snapshot, spans: list[Span], now: float) -> list[Span]:
    """The caller's `.get(` calls the trace has no wait for: the whole call counts as waiting."""
    if any(span.kind == "waiting" for span in spans):
        return []
    found = []
    for call in snapshot.calls:
        if ".get(" in call.source and call.thread == CALLER_THREAD:
            start = snapshot.active_time(call.started_at)
            end = now if call.finished_at is None else snapshot.active_time(call.finished_at)
            found.append(Span(CALLER_THREAD, start, end, "waiting"))
    return found


def _overlap(span: Span, others: list[Span]) -> float:
    return sum(max(0.0, min(span.end, o.end) - max(span.start, o.start)) for o in others)


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
    waited: set[str] = set()
    for lane in lanes:
        cells = [IDLE] * width
        ordered = sorted((s for s in spans if s.lane == lane), key=lambda s: s.kind != "busy")
        for span in ordered:  # a wait is drawn over the call it happens in
            first = min(width - 1, int(span.start / total * width))
            last = max(first, min(width - 1, int(span.end / total * width)))
            for column in range(first, last + 1):
                cells[column] = BUSY if span.kind == "busy" else WAITING
        waits = [s for s in ordered if s.kind != "busy"]
        busy = [s for s in ordered if s.kind == "busy"]
        busy_ms = sum(s.end - s.start - _overlap(s, waits) for s in busy) * 1000
        note = f" busy {busy_ms:.1f} ms"
        for kind, said in (("waiting", "blocked in get()"), ("commit", "at its COMMIT")):
            kept = [s for s in waits if s.kind == kind]
            if kept:
                waited.add(kind)
                note += f", {said} {sum(s.end - s.start for s in kept) * 1000:.1f} ms"
        label = "main app" if lane == CALLER_THREAD else lane
        table.add_row(label, Text("".join(cells)) + Text(note, style="dim"))
    scale = Text("first call".ljust(width - 10) + f"{total * 1000:>10.1f} ms", style="dim")
    table.add_row("", scale)
    if "waiting" in waited:
        table.add_row(
            "", Text(f"{WAITING} the main app blocked, waiting for a result", style="dim")
        )
    if "commit" in waited:
        table.add_row(
            "",
            Text(f"{WAITING} the main app at its COMMIT, letting the workers go first", "dim"),
        )
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
