"""The tutor's Textual app: home screen, lesson screens, help, and a too-small notice."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding

from ..content.summary import LessonSummary, read_summaries
from ..defaults import MIN_HEIGHT, MIN_WIDTH, PACE_DEFAULT
from .messages import DemoLessonOver, NotesChanged, OpenLesson, OpenMode, QuizFinished
from .modes import ModesMixin
from .screens.home import HomeScreen

if TYPE_CHECKING:
    from textual.worker import Worker

    from ..content.loader import Course
    from ..demo.notes import NotesPublisher
    from ..poll.server import PollServer
    from ..progress.store import ProgressStore
    from .screens.too_small import TooSmallScreen
    from .widgets.run_driver import RunDriver


class TutorApp(ModesMixin, App[None]):
    """Lessons on a real Celery app, one stage a keypress."""

    TITLE = "Celery tutor"
    CSS_PATH = "tutor.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        course: Course | None = None,
        lesson_id: str | None = None,
        pace: float = PACE_DEFAULT,
        summaries: Sequence[LessonSummary] | None = None,
        progress: ProgressStore | None = None,
        quiz: bool = False,
        demo: Sequence[str] | None = None,
        loop: bool = False,
        notes_socket: Path | None = None,
        poll: PollServer | None = None,
        mode: OpenMode | None = None,
    ) -> None:
        super().__init__()
        self.pending_mode = mode
        self.demo_lessons = list(demo or [])
        """Lesson ids an instructor's demo goes through, in order (empty: no demo)."""
        self.demo_loop = loop
        self.demo_index = 0
        self.demo_started = time.monotonic()
        self.notes_socket = notes_socket
        self.notes_publisher: NotesPublisher | None = None
        self.poll = poll
        """The demo's class poll (`--poll`), started and stopped by its command."""
        self.progress = progress
        """Where progress is saved (None: this session only, as in tests)."""
        self.start_quiz = quiz
        self.course = course
        """The validated course; None until it is loaded after the first paint."""
        if course is not None:
            self.summaries: Sequence[LessonSummary] = [
                LessonSummary(lesson.id, lesson.title, lesson.level, lesson.duration)
                for lesson in course
            ]
        else:
            self.summaries = summaries if summaries is not None else read_summaries()
        self.start_lesson = lesson_id
        self._pending_lesson: str | None = None
        self._pending_quiz = False
        self.broken_content: str | None = None
        """Why the course could not be loaded, when it could not (the app then exits with 1)."""
        self.pace = pace
        self.too_small_notice: TooSmallScreen | None = None
        """The terminal-too-small notice, while it is shown."""
        self.session_progress: dict[str, str] = {}
        """Lesson id → "started" or "done", when there is no progress store."""

    def get_default_screen(self) -> HomeScreen:
        """The home screen is the app's first screen (painted at once, not pushed after)."""
        return HomeScreen(self.summaries, self.read_home, self.outline())

    def on_mount(self) -> None:
        if self.demo_lessons:
            self._start_demo()
        if self.progress is not None and self.progress.notice:
            self.notify(self.progress.notice, severity="warning", timeout=10, markup=False)
        if self.start_lesson is not None:
            self.open_lesson(self.start_lesson, quiz=self.start_quiz)
        self._check_size(self.size.width, self.size.height)
        self.open_pending_mode()
        if self.course is None:
            self.call_after_refresh(self._load_course)

    def _load_course(self) -> None:
        """After the first paint: collect garbage again (`tutor.cli.command` started without;
        what startup made lives on: frozen, never examined), then read the course."""
        from ..content.loader import load_course

        gc.freeze()
        gc.enable()

        self.run_worker(load_course, name="course", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The course was read and validated off the UI thread, or it is broken (the failure
        names the file and the field): the app then exits with status 1."""
        from .workers import outcome

        ended = outcome(event)
        if ended is None or event.worker.name != "course":
            return
        if ended.failure is not None:
            from .screens.broken import BrokenContentScreen

            self.broken_content = ended.failure
            self.push_screen(BrokenContentScreen(ended.failure))
            return
        self.course = ended.result
        if self.demo_lessons:
            self.open_demo_lesson()
        if self._pending_lesson is not None:
            lesson_id, self._pending_lesson = self._pending_lesson, None
            self.open_lesson(lesson_id, quiz=self._pending_quiz)
        self.open_pending_mode()

    def open_lesson(self, lesson_id: str, quiz: bool = False) -> None:
        """Open a lesson's screen (or its quiz) over the home screen, once the course is loaded."""
        if self.course is None:
            self._pending_lesson = lesson_id
            self._pending_quiz = quiz
            return
        from .screens.lesson import LessonScreen  # the render stack loads after the first paint

        lesson = self.course.lesson(lesson_id)
        if quiz:
            self.open_quiz(lesson_id)
            return
        self.session_progress.setdefault(lesson_id, "started")
        resume = self.lesson_progress(lesson_id).last_step
        quiz_of = self.course.quiz(lesson_id)
        screen = LessonScreen(lesson, pace=self.pace, resume_step=resume, quiz=quiz_of)
        self.push_screen(screen)

    def open_quiz(self, lesson_id: str) -> None:
        """Open a lesson's quiz (a notice if it has none)."""
        if self.course is None:
            return
        from .screens.quiz import QuizScreen

        quiz = self.course.quiz(lesson_id)
        if quiz is None:
            self.notify(f"Lesson {lesson_id!r} has no quiz yet.", markup=False)
            return
        self.push_screen(QuizScreen(self.course.lesson(lesson_id), quiz))

    # ------------------------------------------------------------------ messages from screens
    @on(OpenLesson)
    def _open_lesson(self, message: OpenLesson) -> None:
        self.open_lesson(message.lesson_id, quiz=message.quiz)

    def on_run_driver_step_reached(self, message: RunDriver.StepReached) -> None:
        """Save the last step reached in a lesson, and that it was done when it was."""
        if self.progress is not None:
            self.progress.record_step(message.lesson_id, message.step)
        if message.complete:
            self.session_progress[message.lesson_id] = "done"
            if self.progress is not None:
                self.progress.record_completed(message.lesson_id)
            self.lesson_finished(message.lesson_id)

    @on(QuizFinished)
    def _quiz_finished(self, message: QuizFinished) -> None:
        if self.progress is not None:
            self.progress.record_quiz(message.lesson_id, message.correct, message.total)

    @on(DemoLessonOver)
    def _demo_lesson_over(self) -> None:
        self.demo_next_lesson()

    @on(NotesChanged)
    def _notes_changed(self, message: NotesChanged) -> None:
        if self.notes_publisher is not None:
            self.notes_publisher.publish(message.notes)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        """Cover the tutor with a notice while the terminal is too small, and take it away
        when it is big enough again (the notice's screen loads only when it is needed)."""
        notice = self.too_small_notice
        shown = (
            notice if notice is not None and self.screen_stack and self.screen is notice else None
        )
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            if shown is not None:
                shown.show_size(width, height)
                return
            from .screens.too_small import TooSmallScreen

            self.too_small_notice = TooSmallScreen()
            self.push_screen(self.too_small_notice)
        elif shown is not None:
            self.too_small_notice = None
            self.pop_screen()

    def action_help(self) -> None:
        """Show the keys."""
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen) and self.screen is not self.too_small_notice:
            self.push_screen(HelpScreen())

    # ------------------------------------------------------------------ instructor demo
    def _start_demo(self) -> None:
        from textual.theme import Theme

        self.register_theme(
            Theme(
                name="presenter",
                primary="#FFD700",
                secondary="#00E5FF",
                accent="#FF4FD8",
                foreground="#FFFFFF",
                background="#000000",
                surface="#000000",
                panel="#1A1A1A",
                warning="#FFB000",
                error="#FF5555",
                success="#55FF55",
                dark=True,
            )
        )
        self.theme = "presenter"
        if self.notes_socket is not None:
            from ..demo.notes import NotesPublisher  # only a demo serves notes

            self.notes_publisher = NotesPublisher(self.notes_socket)
            try:
                self.notes_publisher.start()
            except OSError as exc:
                self.notes_publisher = None
                self.notify(
                    f"Speaker notes cannot be followed: {exc}", severity="warning", markup=False
                )
        if self.course is not None:
            self.open_demo_lesson()

    def open_demo_lesson(self) -> None:
        """Show the demo's current lesson in the presenter layout."""
        assert self.course is not None
        from .screens.demo import DemoScreen

        lesson_id = self.demo_lessons[self.demo_index]
        position = ""
        if len(self.demo_lessons) > 1:
            position = f"lesson {self.demo_index + 1} of {len(self.demo_lessons)} · "
        screen = DemoScreen(
            self.course.lesson(lesson_id),
            pace=self.pace,
            quiz=self.course.quiz(lesson_id),
            started=self.demo_started,
            position=position,
            poll=self.poll,
        )
        self.push_screen(screen)

    def demo_next_lesson(self) -> None:
        """Move the demo on to its next lesson (or start over with --loop)."""
        last = self.demo_index + 1 >= len(self.demo_lessons)
        if last and not self.demo_loop:
            self.notify("End of the demo: r replays this lesson, esc goes home, q quits.")
            return
        self.demo_index = 0 if last else self.demo_index + 1
        self.pop_screen()
        self.open_demo_lesson()

    async def action_quit(self) -> None:
        """Quit at once: stop every real run first, so no thread is left behind."""
        drivers = sys.modules.get("tutor.ui.widgets.run_driver")  # none before a lesson opened
        if drivers is not None:
            for screen in self.screen_stack:
                for driver in screen.query(drivers.RunDriver):
                    driver.shutdown()
        runs = sys.modules.get("tutor.engine.run")  # Celery is loaded only once a run started
        if runs is not None:
            runs.close_all()  # a variant's, a quiz's, a class question's: quit waits for none
        if self.broken_content is not None:
            message = f"tutor: the course content is broken:\n{self.broken_content}"
            self.exit(return_code=1, message=message)
            return
        self.exit()

    def on_unmount(self) -> None:
        """The app is closing (quit, or the end of a test): stop serving speaker notes."""
        if self.notes_publisher is not None:
            self.notes_publisher.close()
