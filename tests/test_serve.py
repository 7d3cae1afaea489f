"""`tutor serve` in a real browser: headless Chromium loads the page, the tutor renders and
answers keys, and no request leaves the machine."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.progress.store import ProgressStore
from tutor.serve import offline_template

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str:
    """Debian's Chromium, installed from the package registry when missing."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update"], capture_output=True, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
            capture_output=True,
            timeout=900,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("chromium")
        if found:
            return found
    pytest.skip("Chromium is not installed and could not be installed with apt-get (not root?)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


EMPTY_PAGE_PNG = 12_000
"""About the size of a screenshot of the page before the tutor paints (bytes)."""


def _painted(page: Any, timeout: float = 20.0) -> bytes:
    """A screenshot of the page once the terminal in it shows a screen and has stopped changing
    (the tutor's first screen is painted). An empty terminal's PNG is ~12 KB, the lesson list's
    ~110 KB: one over 4x the first shot taken, or changed from it, counts as painted."""
    first = page.screenshot()
    last, deadline = first, time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.2)
        shot = page.screenshot()
        if shot == last and (shot != first or len(shot) > 4 * EMPTY_PAGE_PNG):
            return shot
        last = shot
    raise AssertionError("the tutor's first screen never appeared in the browser")


def test_the_page_template_links_no_external_font(tmp_path: Path):
    page = (offline_template(tmp_path) / "app_index.html").read_text()
    assert "googleapis" not in page and "https://" not in page
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page


def test_the_tutor_renders_in_a_browser_and_answers_keys(tmp_path: Path):
    chromium = _chromium()
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "TUTOR_DATA_DIR": str(tmp_path), "TUTOR_LEARNER": "browser"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tutor.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        requests: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".xterm-helper-textarea", state="attached", timeout=20000)
            before = _painted(page)  # the tutor starts in its own process behind the page
            page.focus(".xterm-helper-textarea")
            progress = ProgressStore.open(tmp_path, "browser")
            deadline = time.monotonic() + 20
            while progress.get("delay").last_step < 1 and time.monotonic() < deadline:
                # Enter opens the suggested lesson (delay); → moves its real run to step 1. A key
                # sent before its screen is up is lost, so both go again until the step is saved
                # (neither does anything once it is: the lesson asks a prediction at step 1).
                page.keyboard.press("Enter")
                page.keyboard.press("ArrowRight")
                time.sleep(0.3)
            after = page.screenshot(path=str(tmp_path / "lesson.png"))
            browser.close()
        assert progress.get("delay").last_step == 1  # the tutor behind the page moved on
        assert before != after
        assert requests and all(
            url.startswith(f"http://127.0.0.1:{port}/") or url.startswith(f"ws://127.0.0.1:{port}/")
            for url in requests
        )
    finally:
        server.terminate()
        server.wait(10)
