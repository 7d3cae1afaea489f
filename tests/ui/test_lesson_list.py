"""The home screen's list: the keys move the highlight over headings, Enter and a click choose,
the highlight stays in view, and a line too long for the terminal wraps instead of being cut."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets.option_list import Option

from tutor.ui.widgets.lesson_list import LessonList


def _options(lessons: int = 12) -> list[Option]:
    options = [Option(Text("Chapter 1", style="bold underline"), id="chapter-1", disabled=True)]
    for number in range(lessons):
        if number == lessons // 2:
            options.append(Option(Text("Chapter 2"), id="chapter-2", disabled=True))
        options.append(
            Option(Text(f"  Lesson {number}\n    lesson-{number} · new"), id=f"l{number}")
        )
    return options


class ListApp(App[None]):
    """The list alone, as high as the screen (as on the home screen), recording what it chose."""

    CSS = "LessonList { height: 1fr; }"

    def __init__(self, options: list[Option]) -> None:
        super().__init__()
        self.options = options
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield LessonList(id="lessons")

    def on_mount(self) -> None:
        lessons = self.query_one(LessonList)
        lessons.add_options(self.options)
        lessons.highlighted = 1
        lessons.focus()

    def on_lesson_list_option_selected(self, event: LessonList.OptionSelected) -> None:
        self.chosen.append(str(event.option_id))


def _shown(lessons: LessonList) -> list[str]:
    return [lessons.render_line(y).text for y in range(lessons.scrollable_content_region.height)]


async def test_the_keys_skip_the_headings_and_enter_chooses():
    app = ListApp(_options())
    async with app.run_test(size=(60, 20)) as pilot:
        lessons = app.query_one(LessonList)
        assert lessons.get_option_at_index(lessons.highlighted).id == "l0"
        await pilot.press("up")  # the heading above is not choosable
        assert lessons.get_option_at_index(lessons.highlighted).id == "l0"
        await pilot.press(*["down"] * 6)  # over "Chapter 2"
        assert lessons.get_option_at_index(lessons.highlighted).id == "l6"
        await pilot.press("enter")
        await pilot.press("end")
        assert lessons.get_option_at_index(lessons.highlighted).id == "l11"
        assert any("Lesson 11" in line for line in _shown(lessons))  # scrolled into view
        await pilot.press("home")
        assert _shown(lessons)[0].startswith("Chapter 1")  # the heading above is in view too
        await pilot.press("pagedown")
        assert lessons.highlighted > lessons.get_option_index("l3")  # a screenful further
        await pilot.press("home", "enter")
        await pilot.pause()
    assert app.chosen == ["l6", "l0"]
    assert lessons.option_count == 14 and lessons.get_option("l3").prompt.plain.startswith("  L")


async def test_a_click_chooses_the_lesson_under_it_and_not_a_heading():
    app = ListApp(_options())
    async with app.run_test(size=(60, 20)) as pilot:
        lessons = app.query_one(LessonList)
        await pilot.click(LessonList, offset=(5, lessons.gutter.top))  # "Chapter 1"
        await pilot.click(LessonList, offset=(5, lessons.gutter.top + 3))  # Lesson 1's 1st line
        await pilot.pause()
    assert app.chosen == ["l1"]
    assert lessons.get_option_at_index(lessons.highlighted).id == "l1"


async def test_the_highlighted_lesson_is_drawn_in_the_highlight_style():
    app = ListApp(_options())
    async with app.run_test(size=(60, 20)):
        lessons = app.query_one(LessonList)
        highlight = lessons.get_component_rich_style("lesson-list--highlighted", partial=True)
        first, second, other = (lessons.render_line(y) for y in (1, 2, 3))
        assert first.text.startswith("  Lesson 0") and other.text.startswith("  Lesson 1")
        assert all(seg.style.bgcolor == highlight.bgcolor for seg in first if seg.text.strip())
        assert all(seg.style.bgcolor == highlight.bgcolor for seg in second if seg.text.strip())
        assert all(seg.style.bgcolor != highlight.bgcolor for seg in other)
        assert all(seg.style.underline for seg in lessons.render_line(0) if seg.text.strip())


async def test_a_line_too_long_for_the_terminal_wraps_with_every_word_kept():
    words = " · ".join(f"word{n}" for n in range(30))
    app = ListApp([Option(Text("  A lesson"), id="a"), Option(Text(f"    {words}"), id="b")])
    async with app.run_test(size=(50, 20)):
        lessons = app.query_one(LessonList)
        shown = _shown(lessons)
        assert len([line for line in shown if line.strip()]) > 2  # the long line took several
        joined = " ".join(shown)
        assert all(f"word{n}" in joined for n in range(30))
        assert all(len(line) <= lessons.scrollable_content_region.width for line in shown)


def _drawn(segments: list[Segment]) -> list[tuple[str, object]]:
    """What segments put on screen: the text of each, and its style (none is the null one)."""
    from rich.style import Style

    plain = [Segment(seg.text, seg.style or Style.null()) for seg in segments]
    return [(seg.text, seg.style) for seg in Segment.simplify(plain) if seg.text]


def test_lines_are_cut_into_the_segments_rich_would_draw():
    """The list's own line cutter styles every piece as `Text.render` does: the base style,
    then each span over it in order, overlapping and nested spans included."""
    import random

    from rich.console import Console
    from rich.style import Style

    from tutor.ui.widgets.lesson_list import NO_STYLE, line_segments

    console = Console(width=200)
    styles = ["bold", "dim", "reverse", "italic", "red", "green", "on blue", "not bold", "no-such"]
    chance = random.Random(3)
    texts = [Text("  Lesson\n    id · beginner · ○ new", style="bold underline"), Text("")]
    for _ in range(300):
        text = Text(
            "".join(chance.choice("ab \n·✔") for _ in range(chance.randint(0, 30))),
            style=chance.choice(["", "dim", "bold red"]),
        )
        for _ in range(chance.randint(0, 5)):
            start = chance.randint(0, len(text.plain))
            text.stylize(chance.choice(styles), start, chance.randint(start, len(text.plain)))
        texts.append(text)

    def get_style(name: str | Style) -> Style:
        return console.get_style(name, default=NO_STYLE)

    for text in texts:
        lines = line_segments(text, get_style)
        assert [plain for plain, _ in lines] == text.plain.split("\n")
        for (_, segments), line in zip(lines, text.split("\n", allow_blank=True), strict=True):
            expected = list(line.render(console, end=""))
            if line.style:
                expected = list(Segment.apply_style(expected, get_style(line.style)))
            assert _drawn(segments) == _drawn(expected), repr(text)
