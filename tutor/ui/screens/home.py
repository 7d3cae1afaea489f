"""The home screen: the lessons, with a marker of how far the learner got in each."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...content.summary import LessonSummary
from ..messages import OpenLesson

if TYPE_CHECKING:
    from ...progress.store import LessonProgress


def marker(progress: LessonProgress | None) -> str:
    """How far the learner got, in symbols and words (not colour alone)."""
    if progress is None:
        return "○ new"
    text = "● done" if progress.completed else f"◐ at step {progress.last_step}"
    if progress.best_score:
        text += f" · quiz best {progress.best_score}"
    return text


class HomeScreen(Screen[None]):
    """Lists the lessons; Enter opens one."""

    BINDINGS = [
        Binding("enter", "open", "Open lesson", show=True),
        Binding("k", "quiz", "Quiz"),
    ]

    def __init__(
        self,
        lessons: Sequence[LessonSummary],
        progress: Callable[[], Mapping[str, LessonProgress]] = dict,
    ) -> None:
        super().__init__()
        self.lessons = lessons
        self.progress = progress
        """Reads the saved progress of every lesson (each time the screen shows)."""
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
        all_progress = self.progress()
        options = []
        for lesson in self.lessons:
            label = Text()
            label.append(f"{lesson.title}\n", style="bold")
            label.append(f"  {lesson.id} · {lesson.level} · {lesson.duration} · ", style="dim")
            label.append(marker(all_progress.get(lesson.id)))
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

    def action_quiz(self) -> None:
        """Open the highlighted lesson's quiz."""
        lessons = self.query_one("#lessons", OptionList)
        if lessons.highlighted is not None:
            option = lessons.get_option_at_index(lessons.highlighted)
            self.post_message(OpenLesson(str(option.id), quiz=True))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(str(event.option.id))

    def _open(self, lesson_id: str) -> None:
        self.post_message(OpenLesson(lesson_id))
