"""The home screen: the course in chapters, how far the learner got in each lesson, what comes
next, the challenge bests and the review cards due."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from ...content.outline import Outline, outline_of
from ...content.summary import LessonSummary
from ..messages import OpenLesson, OpenMode
from ..widgets.key_bar import KeyBar
from ..widgets.lesson_list import LessonList
from ..widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from ...progress.bests import ChallengeBest
    from ...progress.store import LessonProgress

CHAPTER_QUIZ = "chapter-quiz-"
"""Option ids of the chapters' mixed quizzes: chapter-quiz-1, chapter-quiz-2..."""


class HomeExtras(NamedTuple):
    """What the home screen shows beside the lessons' progress."""

    bests: Mapping[str, ChallengeBest] = MappingProxyType({})
    """The challenge personal best of each lesson that has one."""
    due: int = 0
    """How many review cards are due."""


def marker(progress: LessonProgress | None) -> str:
    """How far the learner got, in symbols and words (not colour alone)."""
    if progress is None:
        return "○ new"
    text = "● done" if progress.completed else f"◐ at step {progress.last_step}"
    if progress.best_score:
        text += f" · quiz best {progress.best_score}"
    return text


def _nothing_saved() -> tuple[Mapping[str, LessonProgress], HomeExtras]:
    return {}, HomeExtras()


class HomeScreen(Screen[None]):
    """The lessons in chapters; Enter opens a lesson (or a chapter's quiz)."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("n", "next", "Next lesson"),
        Binding("k", "quiz", "Quiz"),
        Binding("c", "challenge", "Challenge"),
        Binding("v", "review", "Review"),
    ]

    def __init__(
        self,
        lessons: Sequence[LessonSummary],
        read: Callable[[], tuple[Mapping[str, LessonProgress], HomeExtras]] = _nothing_saved,
        outline: Outline | None = None,
    ) -> None:
        super().__init__()
        self.lessons = {lesson.id: lesson for lesson in lessons}
        self.read = read
        """Reads the saved progress of every lesson, the challenge bests and the cards due
        (each time the screen shows)."""
        self.outline = outline or outline_of([lesson.id for lesson in lessons], None)
        self.suggested: str | None = None
        """The lesson to take next (the first one not done)."""
        self.sub_title = "Choose a lesson"
        self._just_mounted = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="intro")
        yield LessonList(id="lessons")
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_lessons()
        self._just_mounted = True

    def refresh_lessons(self) -> None:
        """Read the progress again and redraw the list, keeping the highlighted line."""
        all_progress, extras = self.read()
        done = [lesson_id for lesson_id, p in all_progress.items() if p.completed]
        self.suggested = self.outline.next_lesson(done)
        self.query_one("#intro", Static).update(self._intro(extras))
        lessons = self.query_one("#lessons", LessonList)
        highlighted = lessons.highlighted
        lessons.clear_options()
        lessons.add_options(self._options(all_progress, extras))
        if highlighted is None:
            highlighted = self._index_of(self.suggested or self.outline.order[0])
        lessons.highlighted = highlighted
        lessons.focus()

    def _intro(self, extras: HomeExtras) -> Text:
        text = Text("Watch a real Celery app run, one stage at a time. ")
        if self.suggested is not None:
            title = self.lessons[self.suggested].title
            text.append("Next: ")
            text.append(title, style="bold")
            text.append(" (press n). ")
        else:
            text.append("Every lesson is done. ")
        cards = "1 card is" if extras.due == 1 else f"{extras.due} cards are"
        text.append(f"Review: {cards} due", style="bold" if extras.due else "")
        text.append(" (press v).")
        return text

    def _options(
        self, all_progress: Mapping[str, LessonProgress], extras: HomeExtras
    ) -> list[Option]:
        options = []
        for chapter in self.outline.chapters:
            heading = Text(f"Chapter {chapter.number} · {chapter.title}", style="bold underline")
            options.append(Option(heading, id=f"chapter-{chapter.number}", disabled=True))
            for lesson_id in chapter.lessons:
                options.append(self._lesson_option(lesson_id, all_progress, extras))
            quiz = Text(f"  ✎ Chapter {chapter.number} quiz", style="bold")
            quiz.append(
                f" · mixed predictions from its {len(chapter.lessons)} lesson(s)", style="dim"
            )
            options.append(Option(quiz, id=f"{CHAPTER_QUIZ}{chapter.number}"))
        return options

    def _lesson_option(
        self, lesson_id: str, all_progress: Mapping[str, LessonProgress], extras: HomeExtras
    ) -> Option:
        lesson = self.lessons[lesson_id]
        label = Text("  ")
        label.append(lesson.title, style="bold")
        if lesson_id == self.suggested:
            label.append("  ▶ next", style="bold reverse")
        label.append(f"\n    {lesson.id} · {lesson.level} · {lesson.duration} · ", style="dim")
        label.append(marker(all_progress.get(lesson_id)))
        before = self.outline.prerequisite(lesson_id)
        if before is not None:
            progress = all_progress.get(before)
            done = progress is not None and progress.completed
            label.append(f" · after: {before}{' ✔' if done else ''}", style="dim")
        best = extras.bests.get(lesson_id)
        if best is not None:
            label.append(f" · challenge best {best.text}")
        return Option(label, id=lesson_id)

    def _index_of(self, option_id: str) -> int:
        lessons = self.query_one("#lessons", LessonList)
        return lessons.get_option_index(option_id)

    def on_screen_resume(self) -> None:
        if self._just_mounted:  # the first resume follows the mount: the list is drawn already
            self._just_mounted = False
            return
        self.refresh_lessons()

    def _highlighted(self) -> str | None:
        lessons = self.query_one("#lessons", LessonList)
        if lessons.highlighted is None:
            return None
        return str(lessons.get_option_at_index(lessons.highlighted).id)

    def _highlighted_lesson(self) -> str | None:
        chosen = self._highlighted()
        if chosen in self.lessons:
            return chosen
        self.notify("Highlight a lesson first (arrow keys).")
        return None

    def action_open(self) -> None:
        """Open the highlighted lesson, or chapter quiz."""
        chosen = self._highlighted()
        if chosen is not None:
            self._open(chosen)

    def action_next(self) -> None:
        """Open the lesson suggested next."""
        if self.suggested is not None:
            self._open(self.suggested)

    def action_quiz(self) -> None:
        """Open the highlighted lesson's quiz."""
        lesson_id = self._highlighted_lesson()
        if lesson_id is not None:
            self.post_message(OpenLesson(lesson_id, quiz=True))

    def action_challenge(self) -> None:
        """Take the highlighted lesson's challenge (its predictions against the clock)."""
        lesson_id = self._highlighted_lesson()
        if lesson_id is not None:
            self.post_message(OpenMode("challenge", lesson_id=lesson_id))

    def action_review(self) -> None:
        """Review the cards due."""
        self.post_message(OpenMode("review"))

    @on(LessonList.OptionSelected)
    def _selected(self, event: LessonList.OptionSelected) -> None:
        self._open(str(event.option.id))

    def _open(self, option_id: str) -> None:
        if option_id.startswith(CHAPTER_QUIZ):
            chapter = int(option_id.removeprefix(CHAPTER_QUIZ))
            self.post_message(OpenMode("chapter", chapter=chapter))
        elif option_id in self.lessons:
            self.post_message(OpenLesson(option_id))
