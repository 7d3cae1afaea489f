"""The class poll's web server: aiohttp in a thread with its own event loop, beside the demo.

Routes (CODE is the room's join code; any other code is refused with 403):
    GET  /CODE          the student page (gives the browser a random token in a cookie)
    GET  /?code=CODE    redirects to /CODE
    GET  /CODE/state    the question as JSON; `?after=VERSION` waits (up to 20 s) for a change
    POST /CODE/answer   {"round": N, "key": "B"}: one answer per browser per question

Safe by default: 127.0.0.1 unless a host is given; bodies over 1 KiB refused (413); a browser or
an address over its rate refused (429); no access log (no address is written anywhere).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import re
import secrets
import socket
import threading
from typing import TYPE_CHECKING

from .limits import ClientLimits
from .page import CONTENT_SECURITY_POLICY, PAGE
from .room import Room, Verdict

if TYPE_CHECKING:
    from aiohttp import web

LOCALHOST = "127.0.0.1"
DEFAULT_PORT = 8765
MAX_BODY = 1024
"""Bytes: an answer is about 30."""
WAIT_SECONDS = 20.0
"""How long `state?after=` waits for a change before answering anyway."""
COOKIE = "tutor_poll"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")
WIDE_HOSTS = {"0.0.0.0", "::", ""}


def lan_address() -> str:
    """This machine's address on its network (no packet is sent: a UDP socket only picks its
    route), or 127.0.0.1 when it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return LOCALHOST


class PollServer:
    """Serves one `Room` until `stop()`; `start()` returns once it listens (or raises OSError)."""

    def __init__(self, room: Room, host: str = LOCALHOST, port: int = DEFAULT_PORT) -> None:
        self.room = room
        self.host = host
        self.port = port
        self.limits = ClientLimits()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._changed: asyncio.Event | None = None
        self._stop_listening = room.listen(self._room_changed)

    @property
    def local(self) -> bool:
        """True when only this machine can reach it (the default)."""
        return self.host in {LOCALHOST, "localhost", "::1"}

    @property
    def wide(self) -> bool:
        """True when it listens on every address of the machine (--host 0.0.0.0)."""
        return self.host in WIDE_HOSTS

    @property
    def join_url(self) -> str:
        """The address a student opens (carries the join code)."""
        host = lan_address() if self.wide else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/{self.room.code}"

    @property
    def running(self) -> bool:
        """True while its thread serves."""
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ life
    def start(self) -> None:
        """Listen, in a thread of its own; raises OSError if the address cannot be bound."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(self._listen())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self._cleanup())
                loop.close()

        self._thread = threading.Thread(target=serve, name="class-poll", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            error = failure[0]
            if isinstance(error, OSError):
                raise OSError(f"cannot listen on {self.host}:{self.port}: {error.strerror}")
            raise error

    def stop(self) -> None:
        """Stop serving (waiting requests are answered or dropped) and end the thread."""
        self._stop_listening()
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)

    async def _listen(self) -> None:
        from aiohttp import web

        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.router.add_get("/", self._root)
        app.router.add_get("/{code}", self._page)
        app.router.add_get("/{code}/state", self._state)
        app.router.add_post("/{code}/answer", self._answer)
        self._changed = asyncio.Event()
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        family, _, _, _, address = socket.getaddrinfo(
            self.host or None, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        listening = socket.socket(family, socket.SOCK_STREAM)
        try:
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind(address)
            listening.listen(128)
        except OSError:
            listening.close()
            raise
        self.port = int(listening.getsockname()[1])  # the one picked, when asked for port 0
        await web.SockSite(self._runner, listening).start()

    async def _cleanup(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _room_changed(self, tally: object, page_changed: bool) -> None:
        loop = self._loop
        if page_changed and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()  # everyone waiting wakes, and later waiters wait on a new one
            self._changed = asyncio.Event()

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _browser(request: web.Request) -> str | None:
        token = request.cookies.get(COOKIE)
        return token if token and TOKEN.match(token) else None

    def _code_ok(self, code: str) -> bool:
        return hmac.compare_digest(code.encode(), self.room.code.encode())

    @property
    def _guard(self):  # type: ignore[no-untyped-def]
        from aiohttp import web

        @web.middleware
        async def guard(request: web.Request, handler):  # type: ignore[no-untyped-def]
            address = request.remote or "?"
            if not self.limits.allow(address, self._browser(request)):
                response = _error(429, "Too many requests: wait a few seconds.")
            else:
                code = request.match_info.get("code")
                if code is not None and not self._code_ok(code):
                    response = _error(403, "Wrong join code: scan the code on the screen again.")
                else:
                    try:
                        response = await handler(request)
                    except web.HTTPException as exc:
                        if exc.status < 400:
                            raise  # a redirect
                        response = _error(exc.status, exc.reason)
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Content-Type-Options"] = "nosniff"
            return response

        return guard

    # ------------------------------------------------------------------ handlers
    async def _root(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        code = request.query.get("code", "")
        if code and self._code_ok(code):
            raise web.HTTPFound(f"/{self.room.code}")
        return _error(403, "This class poll needs its join code: scan the QR code on the screen.")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        response = web.Response(text=PAGE, content_type="text/html", charset="utf-8")
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        if self._browser(request) is None:
            response.set_cookie(
                COOKIE,
                secrets.token_urlsafe(12),
                path=f"/{self.room.code}",
                httponly=True,
                samesite="Strict",
            )
        return response

    async def _state(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        after = request.query.get("after")
        changed = self._changed
        if after is not None and after.lstrip("-").isdigit() and int(after) == self.room.version:
            assert changed is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), WAIT_SECONDS)
        return web.json_response(self.room.page_state(self._browser(request) or ""))

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        browser = self._browser(request)
        if browser is None:
            return _error(400, "Open the join page first (it gives this browser its token).")
        try:
            body = json.loads(await request.read())
            round_, key = body["round"], body["key"]
            if not isinstance(round_, int) or not isinstance(key, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return _error(400, 'The answer must be JSON: {"round": N, "key": "B"}.')
        verdict = self.room.answer(browser, round_, key)
        if verdict is Verdict.COUNTED:
            return web.json_response({"ok": True, "mine": key})
        status = 400 if verdict is Verdict.NOT_A_CHOICE else 409
        mine = self.room.page_state(browser)["question"]
        reply: dict[str, object] = {"error": f"Not counted: {verdict.value}."}
        if isinstance(mine, dict) and mine.get("round") == round_:
            reply["mine"] = mine.get("mine")
        return web.json_response(reply, status=status)


def _error(status: int, text: str) -> web.Response:
    from aiohttp import web

    return web.json_response({"error": text}, status=status)
