"""The tutor's Textual app: home screen, lesson screens, help, and a too-small notice."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.binding import Binding

from ..content.loader import Course
from .screens.help import HelpScreen
from .screens.home import HomeScreen
from .screens.lesson import PACE_DEFAULT, LessonScreen
from .screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen


class TutorApp(App[None]):
    """Lessons on a real Celery app, one stage a keypress."""

    TITLE = "Celery tutor"
    CSS_PATH = "tutor.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, course: Course, lesson_id: str | None = None, pace: float = PACE_DEFAULT):
        super().__init__()
        self.course = course
        self.start_lesson = lesson_id
        self.pace = pace
        self.session_progress: dict[str, str] = {}
        """Lesson id → "started" or "done", for the home screen's markers."""

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.course))
        if self.start_lesson is not None:
            self.open_lesson(self.start_lesson)
        self._check_size(self.size.width, self.size.height)

    def open_lesson(self, lesson_id: str) -> None:
        """Open a lesson's screen over the home screen."""
        lesson = self.course.lesson(lesson_id)
        self.session_progress.setdefault(lesson_id, "started")
        self.push_screen(LessonScreen(lesson, pace=self.pace))

    def mark_done(self, lesson_id: str) -> None:
        """Record that the learner reached the end of a lesson."""
        self.session_progress[lesson_id] = "done"

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        on_top = self.screen if self.screen_stack else None
        if too_small:
            if isinstance(on_top, TooSmallScreen):
                on_top.show_size(width, height)
            else:
                self.push_screen(TooSmallScreen())
        elif isinstance(on_top, TooSmallScreen):
            self.pop_screen()

    def action_help(self) -> None:
        """Show the keys."""
        if not isinstance(self.screen, (HelpScreen, TooSmallScreen)):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit at once: stop every real run first, so no thread is left behind."""
        for screen in self.screen_stack:
            if isinstance(screen, LessonScreen):
                screen.shutdown()
        self.exit()
