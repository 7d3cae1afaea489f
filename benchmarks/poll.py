"""Class poll benchmarks: answers per second the poll holds, and answer → bar on the screen.

Both use real HTTP on loopback. The simulated students run in this process (their cost is in
both the tutor's number and the baseline's); they all come from 127.0.0.1, so the per-address
limit (meant for a room behind one router) is raised for the throughput run.
"""

from __future__ import annotations

import asyncio
import http.client
import statistics
import threading
import time
from collections.abc import Callable

from benchmarks.engine import Result

CHOICES = [("A", "0"), ("B", "1"), ("C", "2")]


async def _students_answer(base: str, students: int, rounds: int, ask: Callable[[], int]) -> float:
    """`students` browsers join, then answer `rounds` questions all at once; answers per second."""
    import aiohttp

    jar_sessions = [
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in range(students)
    ]
    try:
        for session in jar_sessions:
            async with session.get(base) as page:
                await page.read()
        spent = 0.0
        for _ in range(rounds):
            round_ = ask()
            started = time.perf_counter()

            async def answer(session: aiohttp.ClientSession, key: str, round_: int = round_) -> int:
                body = {"round": round_, "key": key}
                async with session.post(f"{base}/answer", json=body) as reply:
                    await reply.read()
                    return reply.status

            statuses = await asyncio.gather(
                *(answer(s, CHOICES[i % 3][0]) for i, s in enumerate(jar_sessions))
            )
            spent += time.perf_counter() - started
            if statuses.count(200) != students:
                raise RuntimeError(f"answers refused: {sorted(set(statuses))}")
        return students * rounds / spent
    finally:
        for session in jar_sessions:
            await session.close()


def _bare_server() -> tuple[str, Callable[[], None]]:
    """A bare aiohttp app in a thread: a page that sets a cookie, and a POST that reads JSON."""
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        response = web.Response(text="page")
        response.set_cookie("c", "x" * 16)
        return response

    async def answer(request: web.Request) -> web.Response:
        await request.json()
        return web.json_response({"ok": True})

    ready = threading.Event()
    holder: dict[str, object] = {}

    def serve() -> None:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_get("/bare", page)
        app.router.add_post("/bare/answer", answer)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        holder["port"] = runner.addresses[0][1]
        holder["loop"] = loop
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait()
    loop = holder["loop"]
    assert isinstance(loop, asyncio.AbstractEventLoop)

    def stop() -> None:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)

    return f"http://127.0.0.1:{holder['port']}/bare", stop


def answers_per_second(students: int = 100, rounds: int = 5) -> Result:
    """Answers per second the poll server holds, vs a bare aiohttp handler with the same client."""
    from tutor.poll.room import Room
    from tutor.poll.server import PollServer

    poll = PollServer(Room(), port=0)
    poll.limits.addresses.burst = 10**6  # every simulated student is 127.0.0.1
    poll.start()
    try:

        def ask() -> int:
            return poll.room.ask("delay", "q", "How many?", CHOICES)

        tutor = asyncio.run(_students_answer(poll.join_url, students, rounds, ask))
    finally:
        poll.stop()
    bare_url, stop = _bare_server()
    try:
        baseline = asyncio.run(_students_answer(bare_url, students, rounds, lambda: 1))
    finally:
        stop()
    return Result(
        f"poll: answers/s ({students} students)",
        tutor,
        baseline,
        "a bare aiohttp handler",
        "≥ 200/s (a room of 100 in half a second)",
        "/s",
        tutor >= 200,
    )


def _post_answer(port: int, code: str, round_: int, token: str) -> None:
    """One student's answer from another thread (plain http.client: no event loop of its own)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = f'{{"round": {round_}, "key": "B"}}'
    headers = {"Content-Type": "application/json", "Cookie": f"tutor_poll={token}"}
    connection.request("POST", f"/{code}/answer", body, headers)
    status = connection.getresponse().status
    connection.close()
    if status != 200:
        raise RuntimeError(f"the answer was refused ({status})")


async def _answer_to_bar_costs(repeats: int) -> tuple[list[float], list[float]]:
    """Time from a student's POST (sent from another thread) to the end of the screen update that
    paints the new bar; baseline: the same count posted to the screen from another thread."""
    from textual.screen import Screen

    from tests.ui.conftest import wait_until
    from tutor.content.loader import load_course
    from tutor.poll.room import Room
    from tutor.poll.server import PollServer
    from tutor.ui.app import TutorApp
    from tutor.ui.screens.demo import DemoScreen
    from tutor.ui.screens.poll_question import PollQuestionScreen

    painted: list[float] = []
    armed: list[bool] = []
    original_draw = PollQuestionScreen._draw_chart
    original_timer_update = Screen._on_timer_update

    def draw(screen: PollQuestionScreen) -> None:
        original_draw(screen)
        armed.append(True)

    def timer_update(screen: Screen[object]) -> None:
        original_timer_update(screen)
        if armed:
            armed.clear()
            painted.append(time.perf_counter())

    PollQuestionScreen._draw_chart = draw  # type: ignore[method-assign]
    Screen._on_timer_update = timer_update  # type: ignore[method-assign]
    poll = PollServer(Room(), port=0)
    poll.start()
    real: list[float] = []
    direct: list[float] = []
    try:
        app = TutorApp(load_course(), pace=30.0, demo=["delay"], notes_socket=None, poll=poll)
        app.animation_level = "none"
        async with app.run_test(size=(120, 35)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, DemoScreen))
            await pilot.press("space", "c")
            await wait_until(pilot, lambda: isinstance(app.screen, PollQuestionScreen))
            screen = app.screen
            assert isinstance(screen, PollQuestionScreen)
            await pilot.pause(0.5)
            for number in range(repeats):
                for samples in (direct, real):
                    painted.clear()
                    armed.clear()
                    started = time.perf_counter()
                    if samples is real:
                        token = f"bench{number:011d}"
                        args = (poll.port, poll.room.code, screen.round, token)
                        threading.Thread(target=_post_answer, args=args).start()
                    else:
                        counted = PollQuestionScreen.Counted(poll.room.tally())
                        threading.Thread(target=screen.post_message, args=(counted,)).start()
                    deadline = time.perf_counter() + 10
                    while not painted:
                        if time.perf_counter() > deadline:
                            raise RuntimeError("the answer never reached the screen")
                        await asyncio.sleep(0.0005)
                    samples.append((painted[0] - started) * 1000)
            if screen.tally.total != repeats:
                raise RuntimeError(f"{screen.tally.total} answers counted of {repeats}")
    finally:
        PollQuestionScreen._draw_chart = original_draw  # type: ignore[method-assign]
        Screen._on_timer_update = original_timer_update  # type: ignore[method-assign]
        poll.stop()
    return real, direct


def answer_to_bar(repeats: int = 20) -> Result:
    """A student's answer until its bar is painted on the instructor's screen."""
    real, direct = asyncio.run(_answer_to_bar_costs(repeats))
    value, baseline = statistics.median(real), statistics.median(direct)
    return Result(
        "poll: answer → bar on screen",
        value,
        baseline,
        "the count posted to the screen from a thread",
        "≤ 100 ms",
        "ms",
        value <= 100,
    )
