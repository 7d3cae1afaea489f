"""The banners above the panels: which run is on screen, and a prediction's graded answer.

The feedback banner replaces a full-screen pop-up: the panels stay in sight, and the ones that
hold the real value the prediction was graded against are marked (`answer_panels`).
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from ...content.models import Lesson
from ...player.quiz import Feedback

_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\[\d+\])?(?:\.([a-z_]+))?")
HOOD_ROOTS = frozenset({"queue", "queues", "backend", "worker", "workers", "message"})
"""Placeholder roots whose values the under-the-hood panel shows."""
HOOD_TASK_FIELDS = frozenset(
    {"state", "stored", "executed_by", "received_by", "published_by", "retries"}
)
"""Fields of {task.*} / {tasks[n].*} the under-the-hood panel shows (queue, worker, backend)."""
TIMELINE_ROOTS = frozenset({"call", "calls", "caller", "stop"})
"""Placeholder roots about the main app's calls and threads: the timeline (and sample) show them."""


def answer_panels(lesson: Lesson, observe: str) -> frozenset[str]:
    """The panels (by id) where the value a prediction observes can be read on screen: always
    the table (its row is the step graded), plus the hood, tracker or timeline as it fits."""
    panels = {"table"}
    if any(observe.strip() in variable.value for variable in lesson.variables):
        panels.add("tracker")
    found = _PLACEHOLDER.search(observe)
    if found is not None:
        root, field = found.group(1), found.group(2) or ""
        if root in HOOD_ROOTS or (root in ("task", "tasks") and field in HOOD_TASK_FIELDS):
            panels.add("hood")
        if root in TIMELINE_ROOTS:
            panels.add("timeline")
    return frozenset(panels)


PANEL_NAMES = {
    "table": "the execution table",
    "hood": "under the hood",
    "tracker": "the variable tracker",
    "timeline": "the timeline",
}


def feedback_text(feedback: Feedback, panels: frozenset[str]) -> Text:
    """The graded answer, short: the verdict, what you said beside the real value, where on
    screen it shows (the marked panels), and why."""
    text = Text("✔ Right" if feedback.correct else "✘ Not this time", style="bold")
    text.append(f"  you said {feedback.given} · the real run: ")
    text.append(feedback.expected, style="bold")
    where = ", ".join(PANEL_NAMES[p] for p in PANEL_NAMES if p in panels)
    text.append(f"  (marked: {where})", style="italic")
    text.append(f"\n{feedback.explanation}")
    return text


class FeedbackBanner(Static):
    """A prediction's graded answer, shown above the panels until the run moves on."""

    DEFAULT_CSS = """
    FeedbackBanner { height: auto; padding: 0 1; display: none; }
    FeedbackBanner.-right { background: $success 30%; }
    FeedbackBanner.-wrong { background: $error 30%; }
    """

    def __init__(self) -> None:
        super().__init__("", id="feedback-banner")
        self.feedback: Feedback | None = None
        """The answer shown (None: the banner is hidden)."""

    def show(self, feedback: Feedback, panels: frozenset[str]) -> None:
        """Show a graded answer."""
        self.feedback = feedback
        self.set_class(feedback.correct, "-right")
        self.set_class(not feedback.correct, "-wrong")
        self.update(feedback_text(feedback, panels))
        self.display = True

    def clear(self) -> None:
        """Hide the banner."""
        self.feedback = None
        self.display = False
