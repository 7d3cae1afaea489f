"""The home screen: the lessons, with a marker of how far the learner got in each."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...content.summary import LessonSummary

MARKERS = {"new": "○ new", "started": "◐ started", "done": "● done"}


class HomeScreen(Screen[None]):
    """Lists the lessons; Enter opens one."""

    BINDINGS = [Binding("enter", "open", "Open lesson", show=True)]

    def __init__(self, lessons: Sequence[LessonSummary]) -> None:
        super().__init__()
        self.lessons = lessons
        self.sub_title = "Choose a lesson"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(
            "Watch a real Celery app run, one stage at a time. Pick a lesson and press Enter.",
            id="intro",
        )
        yield OptionList(*self._options(), id="lessons")
        yield Footer()

    def _options(self) -> list[Option]:
        progress = getattr(self.app, "session_progress", {})
        options = []
        for lesson in self.lessons:
            label = Text()
            label.append(f"{lesson.title}\n", style="bold")
            label.append(f"  {lesson.id} · {lesson.level} · {lesson.duration} · ", style="dim")
            label.append(MARKERS[progress.get(lesson.id, "new")])
            options.append(Option(label, id=lesson.id))
        return options

    def on_screen_resume(self) -> None:
        lessons = self.query_one("#lessons", OptionList)
        highlighted = lessons.highlighted
        lessons.clear_options()
        lessons.add_options(self._options())
        lessons.highlighted = highlighted if highlighted is not None else 0
        lessons.focus()

    def action_open(self) -> None:
        """Open the highlighted lesson."""
        lessons = self.query_one("#lessons", OptionList)
        if lessons.highlighted is not None:
            option = lessons.get_option_at_index(lessons.highlighted)
            self._open(str(option.id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(str(event.option.id))

    def _open(self, lesson_id: str) -> None:
        open_lesson = getattr(self.app, "open_lesson", None)
        if open_lesson is not None:
            open_lesson(lesson_id)
