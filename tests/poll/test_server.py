"""The poll's web server over real HTTP on loopback: what it serves, and what it refuses."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from tests.poll_server import ask
from tutor.poll.limits import BROWSER_BURST
from tutor.poll.page import PAGE
from tutor.poll.server import MAX_BODY, PollServer


def student() -> aiohttp.ClientSession:
    """One student's browser: its own cookie jar (cookies from 127.0.0.1 kept, as browsers do)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def join(session: aiohttp.ClientSession, poll: PollServer) -> None:
    async with session.get(poll.join_url) as page:
        assert page.status == 200


async def test_the_join_page_is_one_self_contained_page(poll: PollServer):
    async with student() as session, session.get(poll.join_url) as page:
        body = await page.text()
        assert body == PAGE
        assert "http" not in body.replace("http-equiv", "")  # nothing fetched from elsewhere
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy
        assert page.headers["Referrer-Policy"] == "no-referrer"  # the code does not leak on


async def test_a_student_answers_once_and_sees_the_reveal(poll: PollServer):
    round_ = ask(poll)
    async with student() as session:
        await join(session, poll)
        answer = {"round": round_, "key": "B"}
        async with session.post(f"{poll.join_url}/answer", json=answer) as counted:
            assert counted.status == 200
        async with session.post(f"{poll.join_url}/answer", json={**answer, "key": "A"}) as again:
            assert again.status == 409
            assert (await again.json())["mine"] == "B"
        version = poll.room.version

        async def wait_for_change() -> dict:
            async with session.get(f"{poll.join_url}/state?after={version}") as state:
                return await state.json()

        waiting = asyncio.create_task(wait_for_change())
        await asyncio.sleep(0.2)
        assert not waiting.done()  # it waits for the reveal
        poll.room.reveal(round_, "B", "B (1, seen in the real run)")
        state = await asyncio.wait_for(waiting, 5)
    assert state["question"]["mine"] == "B" and state["question"]["real_key"] == "B"
    assert poll.room.tally().counts == (0, 1, 0)


@pytest.mark.parametrize(
    "path", ["/", "/wrong1", "/wrong1/state", "/?code=wrong1"], ids=["none", "page", "state", "q"]
)
async def test_every_request_needs_the_join_code(poll: PollServer, path: str):
    ask(poll)
    async with student() as session, session.get(f"http://127.0.0.1:{poll.port}{path}") as reply:
        assert reply.status == 403
        assert "code" in (await reply.json())["error"]


async def test_a_wrong_code_cannot_answer(poll: PollServer):
    round_ = ask(poll)
    async with student() as session:
        await join(session, poll)
        wrong = f"http://127.0.0.1:{poll.port}/zzzzzz/answer"
        async with session.post(wrong, json={"round": round_, "key": "A"}) as reply:
            assert reply.status == 403
    assert poll.room.tally().total == 0


async def test_the_address_with_the_code_as_a_parameter_leads_to_the_page(poll: PollServer):
    address = f"http://127.0.0.1:{poll.port}/?code={poll.room.code}"
    async with student() as session, session.get(address) as page:
        assert page.status == 200 and str(page.url) == poll.join_url


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"key": "Z"}, 400),  # a made-up choice
        ({"key": "B", "round": 99}, 409),  # a question that is not open
        ({"key": ["B"]}, 400),
        ("not json", 400),
    ],
    ids=["made-up-choice", "other-round", "key-list", "not-json"],
)
async def test_bad_answers_are_refused_and_not_counted(poll: PollServer, body, status):
    round_ = ask(poll)
    async with student() as session:
        await join(session, poll)
        payload = body if isinstance(body, str) else {"round": round_, **body}
        kwargs = {"data": payload} if isinstance(payload, str) else {"json": payload}
        async with session.post(f"{poll.join_url}/answer", **kwargs) as reply:
            assert reply.status == status
            assert "error" in await reply.json()
    assert poll.room.tally().total == 0


async def test_a_huge_body_is_refused(poll: PollServer):
    round_ = ask(poll)
    async with student() as session:
        await join(session, poll)
        padding = "x" * (MAX_BODY * 50)
        body = {"round": round_, "key": "A", "padding": padding}
        async with session.post(f"{poll.join_url}/answer", json=body) as reply:
            assert reply.status == 413
    assert poll.room.tally().total == 0


async def test_an_answer_without_the_page_s_token_is_refused(poll: PollServer):
    round_ = ask(poll)
    body = {"round": round_, "key": "A"}
    async with student() as session, session.post(f"{poll.join_url}/answer", json=body) as r:
        assert r.status == 400  # it never loaded the page
    assert poll.room.tally().total == 0


async def test_a_flood_from_one_browser_is_refused_while_others_still_get_in(poll: PollServer):
    round_ = ask(poll)
    poll.limits.browsers.rate = 0.001  # refilled slowly: a slow machine cannot blur the count
    async with student() as flooder, student() as other:
        await join(flooder, poll)  # (no token yet: counted for its address only)
        statuses = []
        for _ in range(60):
            async with flooder.get(f"{poll.join_url}/state") as reply:
                statuses.append(reply.status)
        assert statuses == [200] * BROWSER_BURST + [429] * (60 - BROWSER_BURST)
        async with flooder.post(f"{poll.join_url}/answer", json={"round": round_, "key": "A"}) as r:
            assert r.status == 429  # its answer too, while it floods
        await join(other, poll)
        async with other.post(f"{poll.join_url}/answer", json={"round": round_, "key": "C"}) as r:
            assert r.status == 200
    assert poll.room.tally().counts == (0, 0, 1)


async def test_a_flood_of_new_browsers_from_one_address_is_refused(poll: PollServer):
    poll.limits.addresses.burst = 30  # the room-sized burst, made small for the test,
    poll.limits.addresses.rate = 0.001  # and refilled slowly: a slow machine cannot blur it
    async with aiohttp.ClientSession() as tokenless:  # no cookie jar: a new browser each time
        statuses = []
        for _ in range(60):
            async with tokenless.get(poll.join_url) as reply:
                statuses.append(reply.status)
    assert statuses == [200] * 30 + [429] * 30


async def test_nothing_listens_after_stop():
    from tutor.poll.room import Room

    server = PollServer(Room(), port=0)
    server.start()
    assert server.running
    server.stop()
    assert not server.running
    async with student() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(server.join_url)


def test_a_busy_port_is_one_clear_error(poll: PollServer):
    from tutor.poll.room import Room

    with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{poll.port}"):
        PollServer(Room(), port=poll.port).start()
