"""Rich markup written in a lesson or quiz is shown as written: never styled, never a crash."""

from __future__ import annotations

import io
from pathlib import Path

from tutor.content.loader import load_course
from tutor.plain import print_lesson_page

BASE = Path(__file__).resolve().parent.parent / "content" / "broken" / "_base"

TEXT_FIELDS = [
    "title", "subtitle", "duration", "flow_caption", "table_note", "transcript", "explanation",
    "label", "action", "evaluation", "result", "name", "question", "answer", "watch",
    "prompt", "text", "hint",
]  # fmt: skip
"""Every field the page shows as text (`answer` of a choice question is a key: left as is;
`notes` are the presenter's, shown by the demo screens, not on the page)."""


def _marked(text: str, counter: list[int]) -> str:
    lines = []
    for line in text.splitlines():
        key, sep, value = line.partition(" = ")
        name = key.strip().lstrip("{ ")
        if sep and name in TEXT_FIELDS and value.startswith('"') and value != '"B"':
            counter[0] += 1
            value = f'"[red]M{counter[0]}[/red][/] {value[1:]}'
        if name == "concept_snapshot":
            counter[0] += 1
            value = value.replace('["', f'["[red]M{counter[0]}[/red][/] ', 1)
        lines.append(f"{key}{sep}{value}")
    return "\n".join(lines) + "\n"


def test_markup_in_every_text_field_is_printed_literally(tmp_path):
    counter = [0]
    (tmp_path / "base.toml").write_text(_marked((BASE / "lesson.toml").read_text(), counter))
    quiz = (BASE / "quiz.toml").read_text()
    quiz = quiz.replace("{ key = ", "\n{ key = ").replace("{ text = ", "\n{ text = ")
    (tmp_path / "base.quiz.toml").write_text(_marked(quiz, counter))
    (tmp_path / "base.quiz.toml").write_text(
        (tmp_path / "base.quiz.toml").read_text().replace("\n{", "{")
    )
    course = load_course(tmp_path / "base.toml")
    out, err = io.StringIO(), io.StringIO()
    code = print_lesson_page(
        course.lesson("base"), course.quiz("base"), out, err, width=400, answers=True
    )
    assert code == 0, err.getvalue()
    shown = out.getvalue()
    missing = [n for n in range(1, counter[0] + 1) if f"[red]M{n}[/red][/]" not in shown]
    assert counter[0] > 25 and missing == [], shown
