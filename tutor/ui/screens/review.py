"""Review mode: the cards due today, one at a time, on a Leitner schedule.

A point card shows one line of a finished lesson's concept snapshot: the learner says whether
they know it (k) or want it again (n). A question card asks a quiz question they missed; a
prediction is graded against a fresh real run of its lesson, and the answer decides the box.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker

from ...content.models import PredictQuestion
from ...player.quiz import Feedback, QuizSession
from ...player.review import ReviewCard
from ...progress.cards import INTERVAL_DAYS
from ..messages import CardAnswered
from ..widgets.title_bar import TitleBar
from ..workers import outcome
from . import SCREENS_CSS
from .feedback import feedback_view


def days(count: int) -> str:
    """ "1 day", "4 days"."""
    return f"{count} day{'' if count == 1 else 's'}"


class ReviewScreen(Screen[None]):
    """The due cards: k known / n again on a point; a letter answers a question."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("k", "known", "Known"),
        Binding("n", "again", "Again"),
        *(Binding(key, f"choose('{key.upper()}')", show=False) for key in "abcd"),
        Binding("enter,space", "next", "Next card"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, deck: list[ReviewCard]) -> None:
        super().__init__()
        self.deck = deck
        self.position = 0
        self.known = 0
        self.again = 0
        self.feedback: Feedback | None = None
        """A question card's graded answer (then Enter goes on)."""
        self.marked: bool | None = None
        """A point card's answer: True known, False again (then Enter goes on)."""
        self.busy = False
        self.failure: str | None = None
        self.session: QuizSession | None = None
        self.sub_title = "Review"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="review-status")
        yield Static(id="review-card")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_view()

    @property
    def card(self) -> ReviewCard | None:
        """The card shown (None once the deck is done)."""
        return self.deck[self.position] if self.position < len(self.deck) else None

    # ------------------------------------------------------------------ keys
    def _answered(self) -> bool:
        return self.feedback is not None or self.marked is not None

    def action_known(self) -> None:
        """A point card: I know it."""
        self._mark(True)

    def action_again(self) -> None:
        """A point card: show it again tomorrow."""
        self._mark(False)

    def _mark(self, known: bool) -> None:
        card = self.card
        if card is None or card.point is None or self._answered():
            return
        self.marked = known
        self._count(card, known)

    def _count(self, card: ReviewCard, known: bool) -> None:
        self.known += known
        self.again += not known
        self.post_message(CardAnswered(card.card_id, known))
        self.refresh_view()

    def action_choose(self, key: str) -> None:
        """A question card: answer it (a prediction is graded on a fresh real run)."""
        card = self.card
        question = None if card is None else card.asked
        if card is None or question is None or self._answered() or self.busy:
            return
        if not any(choice.key == key for choice in question.choices):
            return
        assert card.quiz is not None and card.question is not None
        session = QuizSession(card.lesson, card.quiz, only=[card.question])
        self.session, self.busy = session, True
        self.refresh_view()

        def grade() -> Feedback:
            session.prepare()
            return session.answer(key)

        self.run_worker(grade, name="grade", group="review", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A question card's answer graded (or its run's failure, in words)."""
        ended = outcome(event)
        if ended is None or event.worker.name != "grade":
            return
        self.busy = False
        self._close_session()
        card = self.card
        if ended.failure is not None or card is None:
            self.failure = ended.failure
            self.refresh_view()
            return
        self.feedback = ended.result
        self._count(card, ended.result.correct)

    def action_next(self) -> None:
        """Go on to the next card, once this one is answered."""
        if self.card is not None and (self._answered() or self.failure):
            self.position += 1
            self.feedback, self.marked, self.failure = None, None, None
            self.refresh_view()

    def action_leave(self) -> None:
        """Back home (answered cards are saved already)."""
        self.app.pop_screen()

    def _close_session(self) -> None:
        if self.session is not None:
            self.run_worker(self.session.close, name="close", group="closing", thread=True)
            self.session = None

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()

    # ------------------------------------------------------------------ drawing
    def refresh_view(self) -> None:
        """The card (or the end of the deck) and where the learner is."""
        status = self.query_one("#review-status", Static)
        body = self.query_one("#review-card", Static)
        card = self.card
        if card is None:
            done = f"{len(self.deck)} cards done" if self.deck else "nothing due"
            status.update(Text(f"Review · {done}", style="bold"))
            body.update(self._end_view())
            return
        kind = "point" if card.point is not None else "missed question"
        status.update(
            Text(
                f"Review · card {self.position + 1} of {len(self.deck)} · box {card.box} · "
                f"{kind} of lesson {card.lesson.id}",
                style="bold",
            )
        )
        body.update(self._point_view(card) if card.point is not None else self._question_view(card))

    def _point_view(self, card: ReviewCard) -> RenderableType:
        up = INTERVAL_DAYS[min(card.box + 1, len(INTERVAL_DAYS)) - 1]
        parts: list[RenderableType] = [
            Text(f"From '{card.lesson.title}':", style="dim"),
            Text(f"\n  {card.point}\n", style="bold"),
        ]
        if self.marked is None:
            parts.append(Text("Can you say why this is true, as the lesson's run showed it?"))
            parts.append(
                Text(f"k: known (back in {days(up)})   n: again (back tomorrow)", style="dim")
            )
        else:
            back = days(up) if self.marked else days(INTERVAL_DAYS[0])
            parts.append(Text(f"{'Known' if self.marked else 'Again'}: back in {back}."))
            parts.append(Text("Enter: next card", style="dim"))
        return Group(*parts)

    def _question_view(self, card: ReviewCard) -> RenderableType:
        question = card.asked
        assert question is not None
        parts: list[RenderableType] = [
            Text(f"From the quiz of '{card.lesson.title}':", style="dim")
        ]
        if isinstance(question, PredictQuestion):
            variant = card.lesson.variants.get(question.variant) if question.variant else None
            run = "the lesson" if variant is None else f"its what-if ({variant.label})"
            parts.append(
                Text(
                    f"Predict: a fresh real run of {run} waits just before step "
                    f"{question.before_step}.",
                    style="italic",
                )
            )
        parts.append(Text(question.prompt, style="bold"))
        for choice in question.choices:
            parts.append(Text(f"  {choice.key.lower()})  {choice.text}"))
        if self.failure:
            parts.append(Text(f"✖ The real run failed: {self.failure}", style="bold red"))
            parts.append(Text("Enter: next card", style="dim"))
        elif self.busy:
            parts.append(Text("⏳ the real run is moving…", style="italic"))
        elif self.feedback is not None:
            parts.append(feedback_view(self.feedback))
            parts.append(Text("Enter: next card", style="dim"))
        else:
            parts.append(Text("Press a letter to answer.", style="dim"))
        return Group(*parts)

    def _end_view(self) -> RenderableType:
        if not self.deck:
            return Group(
                Text("No cards are due.", style="bold"),
                Text(
                    "Finish a lesson to get its concept snapshot as cards; quiz questions you "
                    "miss come back here too. Cards return after 1, 2, 4, 8, then 16 days."
                ),
                Text("Press esc to go back.", style="dim"),
            )
        return Group(
            Text(f"Review done: {self.known} known, {self.again} again.", style="bold"),
            Text("Known cards come back after 1, 2, 4, 8, then 16 days; the others tomorrow."),
            Text("Press esc to go back.", style="dim"),
        )
