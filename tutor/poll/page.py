"""The student page: one self-contained HTML file (inline style and script, no outside request).

It long-polls `state` for the question on the instructor's screen, posts one answer, and after
the reveal says whether that answer matched the real run. Every text from the server is put in
with textContent, never as HTML.
"""

from __future__ import annotations

import base64
import hashlib

STYLE = """
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#111;color:#eee;
max-width:40rem;margin:auto;line-height:1.4}
h1{font-size:1.1rem;color:#ffd700;margin:.2rem 0}
#heading{color:#aaa;font-size:.9rem}
#prompt{font-size:1.25rem;font-weight:bold;margin:.8rem 0;white-space:pre-line}
button{display:block;width:100%;text-align:left;font-size:1.1rem;margin:.5rem 0;padding:.8rem;
border-radius:.5rem;border:2px solid #555;background:#222;color:#eee}
button.mine{border-color:#00e5ff;background:#033}
button.real{border-color:#55ff55}
button:disabled{opacity:.85}
#status{margin-top:1rem;font-size:1.05rem}
.ok{color:#55ff55}.miss{color:#ffb000}
"""

SCRIPT = """
"use strict";
const base = location.pathname.replace(/\\/+$/, "");
let version = -1, shown = null, sending = false;
const $ = (id) => document.getElementById(id);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function say(text, cls) { const s = $("status"); s.textContent = text; s.className = cls || ""; }
function draw(q) {
  shown = q;
  const box = $("choices");
  box.replaceChildren();
  if (!q) { $("heading").textContent = ""; $("prompt").textContent = "";
    say("Waiting for the instructor's question…"); return; }
  $("heading").textContent = q.heading;
  $("prompt").textContent = q.prompt;
  for (const c of q.choices) {
    const b = document.createElement("button");
    b.textContent = c.key + ")  " + c.text;
    b.dataset.key = c.key;
    if (q.mine === c.key) b.classList.add("mine");
    if (q.real_key === c.key) b.classList.add("real");
    b.disabled = !q.open || q.mine !== null || sending;
    b.addEventListener("click", () => answer(q.round, c.key));
    box.appendChild(b);
  }
  if (q.real_text !== null) {
    const real = "The real run: " + q.real_text + ".";
    if (q.mine === null) say(real);
    else if (q.mine === q.real_key) say(real + " Your answer matched ✓", "ok");
    else say(real + " You answered " + q.mine + ".", "miss");
  } else if (!q.choices.length) say("Answer this one aloud: watch the screen.");
  else if (q.mine !== null) say("Your answer " + q.mine + " is counted. Wait for the real run…");
  else if (!q.open) say("Answers are closed.");
  else say("Tap your answer (one per question).");
}
async function answer(round, key) {
  sending = true; draw(shown);
  try {
    const r = await fetch(base + "/answer", {method: "POST",
      headers: {"Content-Type": "application/json"}, body: JSON.stringify({round, key})});
    const reply = await r.json();
    sending = false;
    if (r.ok || r.status === 409) { if (reply.mine) shown.mine = reply.mine; draw(shown); }
    if (!r.ok) say(reply.error || "Not counted.", "miss");
  } catch (e) { sending = false; draw(shown); say("Not sent: the connection failed.", "miss"); }
}
async function follow() {
  for (;;) {
    try {
      const r = await fetch(base + "/state?after=" + version, {cache: "no-store"});
      if (!r.ok) { say("The poll answered " + r.status + ": retrying…", "miss");
        await sleep(3000); continue; }
      const state = await r.json();
      if (state.version !== version) { version = state.version; draw(state.question); }
    } catch (e) { say("The poll cannot be reached: retrying…", "miss"); await sleep(3000); }
  }
}
follow();
"""

BODY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,">
<title>Class poll · Celery tutor</title>
<style>{style}</style></head>
<body><h1>Celery tutor · class poll</h1>
<div id="heading"></div><div id="prompt"></div><div id="choices"></div>
<div id="status">Connecting…</div>
<script>{script}</script></body></html>
"""


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


PAGE = BODY.format(style=STYLE, script=SCRIPT)
"""The whole page (the same for everyone: the join code is in its address, not in it)."""

CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src {_digest(SCRIPT)}; style-src {_digest(STYLE)}; "
    "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""Only this page's own script and style run, and it talks to nobody but the poll."""
