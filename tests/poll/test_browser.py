"""A student's phone, played by headless Chromium: the page follows the question on the
instructor's screen, takes one answer, and shows the reveal; it asks nothing of anyone else."""

from __future__ import annotations

from tests.poll_server import ask
from tests.test_serve import CHROMIUM_FLAGS, _chromium
from tutor.poll.server import PollServer


def test_a_student_s_browser_answers_and_sees_the_real_run_s_answer(poll: PollServer):
    chromium = _chromium()
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.on("request", lambda request: requests.append(request.url))
            page.goto(poll.join_url)
            page.wait_for_selector("text=Waiting for the instructor's question")
            round_ = ask(poll)  # the instructor presses c
            page.wait_for_selector("text=How many messages wait?")
            assert page.inner_text("#heading") == "Delay · question 1 of 7"
            page.click("button:has-text('B)')")
            page.wait_for_selector("text=Your answer B is counted")
            assert poll.room.tally().counts == (0, 1, 0)
            assert page.is_disabled("button:has-text('A)')")  # one answer per question
            page.reload()  # the same browser, after a reload: still its answer, still once
            page.wait_for_selector("text=Your answer B is counted")
            poll.room.reveal(round_, "B", "B (1, seen in the real run)")  # the instructor's v
            page.wait_for_selector("text=The real run: B (1, seen in the real run).")
            assert "Your answer matched" in page.inner_text("#status")
            assert "real" in page.get_attribute("button:has-text('B)')", "class")
        finally:
            browser.close()
    base = f"http://127.0.0.1:{poll.port}/{poll.room.code}"
    assert requests and all(url.startswith(base) for url in requests)
