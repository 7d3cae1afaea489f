"""The class poll on the instructor's screen: the join QR code and the bar chart of the answers."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from ..poll.room import Tally

BAR_WIDTH = 20


def qr_code(url: str, border: int = 2) -> Text:
    """`url` as a QR code in half-block characters, dark on light whatever the theme (phones read
    it from the terminal; two module rows a line)."""
    import segno  # loaded only when a poll is shown

    rows = [list(row) for row in segno.make(url, error="l").matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        lines.append(
            "".join(
                "█" if t and b else "▀" if t else "▄" if b else " "
                for t, b in zip(top, bottom, strict=True)
            )
        )
    return Text("\n".join(lines), style="#000000 on #ffffff", no_wrap=True, overflow="crop")


def tally_chart(tally: Tally, choices: list[tuple[str, str]]) -> RenderableType:
    """The live count and one bar per choice; after the reveal the real run's bar is marked."""
    count = f"{tally.total} answer" + ("" if tally.total == 1 else "s")
    parts: list[RenderableType] = [Text(f"Class poll: {count}", style="bold")]
    most = max(tally.counts, default=0) or 1
    width = max((len(text) for _, text in choices), default=0)
    width = min(width, 24)
    for (key, text), answers in zip(choices, tally.counts, strict=True):
        real = tally.real_key == key
        revealed = tally.real_key is not None
        length = round(BAR_WIDTH * answers / most)
        style = "bold green" if real else "dim" if revealed else "bold cyan"
        label = text if len(text) <= width else text[: width - 1] + "…"
        line = Text(f"  {key}) {label:<{width}} ", style="bold" if real else "")
        line.append("█" * length, style=style)
        line.append("·" * (BAR_WIDTH - length), style="dim")
        line.append(f" {answers:>3}", style="bold")
        if real:
            line.append(" ◀ real run", style="bold green")
        parts.append(line)
    if not choices:
        parts.append(Text("  answered aloud: the phones ask the room to watch the screen"))
    return Group(*parts)
