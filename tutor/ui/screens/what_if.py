"""The outcome of a what-if re-run: the code that ran, what Celery did, what to notice."""

from __future__ import annotations

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...engine import Snapshot
from ...player.whatif import WhatIf
from ...render.page import variant_outcome


class WhatIfScreen(ModalScreen[None]):
    """Shows one what-if's real outcome; esc goes back to the demo."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Back to the demo")]

    def __init__(
        self, what_if: WhatIf, code: str, snapshot: Snapshot, baseline: Snapshot | None = None
    ) -> None:
        super().__init__()
        self.what_if = what_if
        self.code = code
        self.outcome = snapshot
        self.baseline = baseline
        """The lesson's own run as far as it got, to compare with."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="what-if-box"):
            yield Static(
                Group(
                    Text(f"What if: {self.what_if.label}", style="bold underline"),
                    Text(self.what_if.expect, style="italic"),
                    Text("The code that ran:", style="bold"),
                    Syntax(self.code.rstrip(), "python", line_numbers=True, theme="ansi_dark"),
                    Text("What the real run did:", style="bold"),
                    variant_outcome(self.outcome),
                    *self._compare(),
                ),
                id="what-if-body",
            )

    def _compare(self) -> list[Text]:
        if self.baseline is None:
            return []
        return [
            Text("\nThe lesson's own run, unchanged (as far as it got):", style="bold"),
            variant_outcome(self.baseline),
        ]
