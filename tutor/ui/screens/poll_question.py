"""A class question put to the room's phones too: the join QR code, the live count and the bar
chart of the answers; `v` reveals the real run's answer over the chart and on every phone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from ...content.models import Lesson, OrderQuestion, Quiz
from ...player.quiz import shown_order
from ...poll.room import Tally
from ...poll.server import PollServer
from ...render.poll import qr_code, tally_chart
from .class_question import ClassQuestionScreen


def real_key(answer: str, keys: list[str]) -> str | None:
    """The choice key a real answer ("B (1, seen in the real run)") names, if it names one."""
    first = answer.split(" ", 1)[0]
    return first if first in keys else None


class PollQuestionScreen(ClassQuestionScreen):
    """The class question, with the room's answers counted live from the poll's thread."""

    DEFAULT_CSS = """
    PollQuestionScreen #class-box { max-width: 150; width: 96%; }
    PollQuestionScreen #class-main { width: 1fr; height: auto; }
    PollQuestionScreen #class-join { width: auto; height: auto; padding-left: 2; }
    PollQuestionScreen #class-url { width: 33; }
    """

    @dataclass
    class Counted(Message):
        """The poll's count changed (posted from the poll server's thread)."""

        tally: Tally

    def __init__(self, lesson: Lesson, quiz: Quiz, index: int, poll: PollServer) -> None:
        super().__init__(lesson, quiz, index)
        self.poll = poll
        question = quiz.questions[index]
        self.choices: list[tuple[str, str]] = []
        """(key, text) of the offered choices; none for an order question (answered aloud)."""
        if not isinstance(question, OrderQuestion):
            self.choices = [(choice.key, choice.text) for choice in question.choices]
        self.round = 0
        self.tally = Tally(0, tuple(k for k, _ in self.choices), (0,) * len(self.choices))
        self._stop_listening: Callable[[], None] = lambda: None
        self._revealed_to_room = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="class-box"):
            with Vertical(id="class-main"):
                yield Static(id="class-question")
                yield Static(id="class-countdown")
                yield Static(id="class-poll")
                yield Static(id="class-answer")
            with Vertical(id="class-join"):
                yield Static(qr_code(self.poll.join_url), id="class-qr")
                yield Static(self.poll.join_url, id="class-url", markup=False)

    def on_mount(self) -> None:
        self._stop_listening = self.poll.room.listen(self._counted)
        question = self.quiz.questions[self.index]
        heading = f"{self.lesson.title} · question {self.index + 1} of {len(self.quiz.questions)}"
        prompt = question.prompt
        if isinstance(question, OrderQuestion):  # the items, numbered as on the big screen
            order = shown_order(self.lesson, self.index, question)
            items = [f"{n}) {question.items[i].text}" for n, i in enumerate(order, 1)]
            prompt = "\n".join([prompt, *items])
        self.round = self.poll.room.ask(self.lesson.id, heading, prompt, self.choices)
        self._draw_chart()  # Textual runs ClassQuestionScreen.on_mount after this one

    def _counted(self, tally: Tally, page_changed: bool) -> None:
        """From the poll server's thread (or this one): post the count to this screen."""
        self.post_message(self.Counted(tally))

    def on_unmount(self) -> None:
        self._stop_listening()
        if self.round:
            self.poll.room.close(self.round)

    def on_poll_question_screen_counted(self, message: Counted) -> None:
        """Redraw the bars with the latest count (of this question only)."""
        if message.tally.round == self.round:
            self.tally = message.tally
            self._draw_chart()

    def _draw_chart(self) -> None:
        self.query_one("#class-poll", Static).update(tally_chart(self.tally, self.choices))

    def _show_answer(self) -> None:
        super()._show_answer()
        if not self.revealed or self.answers is None or self._revealed_to_room:
            return
        answer, _explanation = self.answers[self.index]
        self._revealed_to_room = True
        self.poll.room.reveal(self.round, real_key(answer, [k for k, _ in self.choices]), answer)
