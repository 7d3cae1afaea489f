"""Challenge mode: a lesson's predictions and orderings against a countdown clock.

Each answer is graded as in the quiz, against this challenge's own fresh real run, and the next
question comes at once (a line says how the last one went). The clock stops while the real run
moves, so only the learner's thinking time counts; when it runs out, the questions left count as
missed. The score and the time are saved as a personal best when they beat the last one.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.worker import Worker

from ...content.models import Lesson, Quiz
from ...player.drill import challenge_questions, challenge_seconds
from ...player.quiz import Feedback, QuizSession
from ..messages import ChallengeFinished, OpenMode, QuestionsMissed
from .quiz import QuizScreen

if TYPE_CHECKING:
    from ...progress.bests import ChallengeBest


def clock_text(seconds: float) -> str:
    """Seconds as m:ss (never below 0:00)."""
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60}:{whole % 60:02d}"


class ChallengeScreen(QuizScreen):
    """A lesson's challenge: the clock, one question after another, the score and the best."""

    BINDINGS = [
        Binding("r", "again", "New challenge"),
        Binding("h", "hint", "Hint", show=False),
    ]

    ANSWER_HELP = "Press a letter to answer: the clock is running."

    def __init__(self, lesson: Lesson, quiz: Quiz, best: ChallengeBest | None = None) -> None:
        session = QuizSession(lesson, quiz, only=challenge_questions(quiz))
        super().__init__(lesson, quiz, session)
        self.best = best
        """The personal best before this challenge (None: the first one)."""
        self.allowed = challenge_seconds(len(session.indices))
        """Seconds the clock starts with."""
        self.elapsed = 0.0
        """Seconds the clock has run (not while the real run moved)."""
        self._ticked = time.monotonic()
        self.over = False
        """True once every question is answered or the time is up."""
        self.timed_out = False
        self.last: Feedback | None = None
        self.sub_title = f"Challenge - {lesson.title}"

    def compose(self) -> ComposeResult:
        yield Static(id="challenge-clock")
        yield from super().compose()

    def on_mount(self) -> None:
        """Start the clock (Textual then runs the quiz screen's own on_mount: the first run)."""
        self.set_interval(0.25, self._tick)

    # ------------------------------------------------------------------ the clock
    def _tick(self) -> None:
        now = time.monotonic()
        if not (self.over or self.busy or self.failure):
            self.elapsed += now - self._ticked
        self._ticked = now
        if not self.over and self.elapsed >= self.allowed:
            self.elapsed = self.allowed
            self.timed_out = True
            self._end()
        self._draw_clock()

    @property
    def left(self) -> float:
        """Seconds left on the clock."""
        return max(0.0, self.allowed - self.elapsed)

    def _draw_clock(self) -> None:
        correct = sum(1 for f in self.session.feedback if f.correct)
        total = len(self.session.indices)
        bar = Text()
        bar.append(f" ⏱ {clock_text(self.left)} left ", style="bold reverse")
        bar.append(f"  {correct} right of {self.session.position} answered · {total} questions")
        if self.busy and not self.over:
            bar.append("   (the clock waits while the real run moves)", style="dim italic")
        lines = [bar]
        if self.last is not None:
            mark = "✔ Right" if self.last.correct else "✘ Missed"
            where = "the real run" if self.last.observed else "the answer"
            lines.append(
                Text(
                    f" Last: {mark}: {where} said {self.last.expected}",
                    style="green" if self.last.correct else "red",
                )
            )
        self.query_one("#challenge-clock", Static).update(Group(*lines))

    # ------------------------------------------------------------------ the quiz's hooks
    def show_feedback(self, feedback: Feedback) -> None:
        """No pause for feedback in a challenge: one line, and the next question at once."""
        self.last = feedback
        self._next()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """After the end, a grading still in flight changes nothing (Textual calls the quiz
        screen's handler next, unless this one prevents it)."""
        if self.over:
            event.prevent_default()

    def attempt_over(self) -> None:
        """Every question answered before the time ran out."""
        self._end()

    def _end(self) -> None:
        if self.over:
            return
        self.over = True
        self.busy = False
        correct, total = self.session.score
        self.post_message(ChallengeFinished(self.lesson.id, correct, total, self.elapsed))
        missed = self.session.missed_items()
        answered = {index for _, index in missed} | {f.question for f in self.session.feedback}
        unanswered = [(self.lesson.id, i) for i in self.session.indices if i not in answered]
        self.post_message(QuestionsMissed(missed + unanswered))
        self.refresh_view()

    def refresh_view(self) -> None:
        """The question (as in the quiz), or the result once it is over."""
        super().refresh_view()
        self._draw_clock()
        if not self.over:
            return
        correct, total = self.session.score
        taken = f"{self.elapsed:.0f} s"
        lines = [
            Text("Time is up!" if self.timed_out else "Challenge complete!", style="bold"),
            Text(f"Score: {correct}/{total} in {taken}", style="bold"),
        ]
        if self.best is None or self.best.beaten_by(correct, total, self.elapsed):
            lines.append(Text("★ A new personal best, saved.", style="bold green"))
        else:
            lines.append(Text(f"Your best stays {self.best.text}."))
        lines.append(Text("Missed questions come back in 'tutor review'.", style="dim"))
        lines.append(
            Text("Press r for a new challenge on a fresh run, esc to go back.", style="dim")
        )
        self.query_one("#quiz-question", Static).update(Group(*lines))
        self.query_one("#quiz-status", Static).update(Text("Challenge over", style="bold"))

    # ------------------------------------------------------------------ keys
    def action_choose(self, key: str) -> None:
        """Answer (not after the end)."""
        if not self.over:
            super().action_choose(key)

    def action_submit(self) -> None:
        """Submit an order (not after the end)."""
        if not self.over:
            super().action_submit()

    def action_hint(self) -> None:
        """No hints against the clock."""
        self.notify("No hints in a challenge: the lesson's quiz has them.")

    def action_again(self) -> None:
        """After the end: a new challenge on a fresh real run."""
        if self.over:
            self.app.pop_screen()
            self.app.post_message(OpenMode("challenge", lesson_id=self.lesson.id))
