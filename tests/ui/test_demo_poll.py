"""`tutor demo --poll` with Pilot: the room's answers come in over real HTTP on loopback, the
class question shows their exact count and spread, and `v` reveals the real run's answer to the
screen and to every browser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from tests.ui.conftest import text_of, wait_until
from tutor.content.loader import load_course
from tutor.poll.server import PollServer
from tutor.ui.app import TutorApp
from tutor.ui.screens.demo import DemoScreen
from tutor.ui.screens.poll_question import PollQuestionScreen

COURSE = load_course()
STUDENTS = 50


def poll_app(tmp_path: Path, poll: PollServer) -> TutorApp:
    app = TutorApp(COURSE, pace=5.0, demo=["delay"], notes_socket=tmp_path / "demo.sock", poll=poll)
    app.animation_level = "none"
    return app


async def answer_as_a_student(poll: PollServer, key: str) -> dict:
    """Open the join page, read the question, answer it: as a phone's browser would."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(poll.join_url) as page:
            assert page.status == 200
        async with session.get(f"{poll.join_url}/state") as state:
            question = (await state.json())["question"]
        body = {"round": question["round"], "key": key}
        async with session.post(f"{poll.join_url}/answer", json=body) as reply:
            assert reply.status == 200, await reply.text()
        return question


async def test_fifty_students_at_once_are_counted_exactly_and_the_reveal_reaches_them(
    tmp_path, poll
):
    app = poll_app(tmp_path, poll)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen))
        demo = app.screen
        assert poll.join_url in text_of(demo.query_one("#poll-join"))
        assert demo.query_one("#poll-qr").display
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, PollQuestionScreen))
        screen = app.screen
        keys = ["A"] * 10 + ["B"] * 35 + ["C"] * 5
        asked = await asyncio.gather(*(answer_as_a_student(poll, key) for key in keys))
        assert {q["prompt"] for q in asked} == {COURSE.quiz("delay").questions[0].prompt}
        await wait_until(pilot, lambda: screen.tally.total == STUDENTS)
        chart = text_of(screen.query_one("#class-poll"))
        assert f"Class poll: {STUDENTS} answers" in chart
        assert [line.split()[-1] for line in chart.splitlines()[1:4]] == ["10", "35", "5"]
        assert "real run" not in chart
        await wait_until(pilot, lambda: screen.answers is not None, timeout=20)
        await pilot.press("v")
        await wait_until(pilot, lambda: poll.room.tally().real_key is not None)
        await pilot.pause()
        chart = text_of(screen.query_one("#class-poll"))
        assert "B) 1" in chart and "◀ real run" in chart.splitlines()[2]  # the real queue held 1
        late = aiohttp.ClientSession()  # a browser that did not answer
        async with late, late.get(f"{poll.join_url}/state") as state:
            question = (await state.json())["question"]
        assert question["real_key"] == "B" and question["real_text"].startswith("B (1")
        await pilot.press("escape")
        assert app.screen is demo
        assert not poll.room.page_state("")["question"]["open"]  # answers closed with the screen
    rows = poll.room.results()
    assert [(row["key"], row["answers"], row["real_run"]) for row in rows] == [
        ("A", 10, False),
        ("B", 35, True),
        ("C", 5, False),
    ]


async def test_the_join_qr_code_hides_and_shows_with_j(tmp_path, poll):
    app = poll_app(tmp_path, poll)
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen))
        qr = app.screen.query_one("#poll-qr")
        assert qr.display and "▀" in text_of(qr)
        await pilot.press("j")
        assert not qr.display
        await pilot.press("j")
        assert qr.display


async def test_an_order_question_is_answered_aloud_and_the_phones_say_so(tmp_path, poll):
    app = poll_app(tmp_path, poll)
    order = next(
        index
        for index, question in enumerate(COURSE.quiz("delay").questions)
        if question.kind == "order"
    )
    async with app.run_test(size=(120, 35)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen))
        app.screen.next_question = order
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, PollQuestionScreen))
        assert "answered aloud" in text_of(app.screen.query_one("#class-poll"))
        question = poll.room.page_state("")["question"]
        assert question["choices"] == [] and question["open"]
        items = COURSE.quiz("delay").questions[order].items
        assert all(item.text in question["prompt"] for item in items)  # numbered as on screen
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(poll.join_url):
                pass
            body = {"round": question["round"], "key": "A"}
            async with session.post(f"{poll.join_url}/answer", json=body) as reply:
                assert reply.status == 400
