"""What the instructor's screen draws for the poll: a faithful QR code, and the bars."""

from __future__ import annotations

import io

import segno
from rich.console import Console

from tutor.poll.room import Tally
from tutor.render.poll import qr_code, tally_chart


def _shown(renderable) -> str:
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


def test_the_qr_code_is_the_join_address_module_for_module_dark_on_light():
    url = "http://192.168.1.23:8765/wn5n3m"
    drawn = qr_code(url)
    rows: list[list[bool]] = []
    for line in drawn.plain.splitlines():  # two module rows per line of half blocks
        rows.append([cell in "█▀" for cell in line])
        rows.append([cell in "█▄" for cell in line])
    expected = [[bool(m) for m in row] for row in segno.make(url, error="l").matrix_iter(border=2)]
    assert rows[: len(expected)] == expected
    assert all(not any(row) for row in rows[len(expected) :])  # an odd row count's padding
    assert str(drawn.style) == "#000000 on #ffffff"  # whatever the terminal's theme


def test_the_chart_counts_each_choice_and_marks_the_real_run_s_only_after_the_reveal():
    choices = [("A", "0"), ("B", "1"), ("C", "2")]
    open_ = _shown(tally_chart(Tally(1, ("A", "B", "C"), (3, 12, 1)), choices))
    assert "Class poll: 16 answers" in open_
    assert [line.split()[-1] for line in open_.splitlines()[1:]] == ["3", "12", "1"]
    assert "real run" not in open_
    revealed = _shown(tally_chart(Tally(1, ("A", "B", "C"), (3, 12, 1), real_key="B"), choices))
    lines = revealed.splitlines()
    assert "◀ real run" in lines[2] and "real run" not in lines[1] + lines[3]
    assert lines[2].count("█") > lines[1].count("█") > lines[3].count("█")
