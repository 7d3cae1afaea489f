"""`tutor serve`: the tutor in a web browser (textual-serve), with no request off the machine.

textual-serve's page links a web font on a public CDN; the copy served here points its font at
the Roboto Mono files the textual-serve wheel already ships, so the page loads with no network.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from . import compat

_FONT_LINK = re.compile(r"<link\s+rel=\"stylesheet\"\s+href=\"https://fonts\.googleapis\.com[^>]*>")
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}FONT");
      }
    </style>"""


def offline_template(folder: Path) -> Path:
    """Write textual-serve's page template, with the web font made local, into `folder`."""
    source = compat.textual_serve_page_template()
    local_font = _LOCAL_FONT.replace("FONT", compat.textual_serve_font())
    page = _FONT_LINK.sub(lambda _: local_font, source.read_text(encoding="utf-8"))
    if "fonts.googleapis.com" in page:
        raise RuntimeError("textual-serve's page still links an external font; update serve.py")
    (folder / source.name).write_text(page, encoding="utf-8")
    return folder


def tutor_command() -> str:
    """The command each browser tab runs: this tutor, with this Python."""
    return shlex.join([sys.executable, "-m", "tutor.cli"])


def serve(host: str, port: int, out: TextIO) -> int:
    """Serve the tutor until interrupted."""
    from textual_serve.server import Server

    with tempfile.TemporaryDirectory(prefix="tutor-serve-") as folder:
        templates = offline_template(Path(folder))
        statics = compat.textual_serve_statics()
        server = Server(
            tutor_command(),
            host=host,
            port=port,
            title="Celery tutor",
            templates_path=templates,
            statics_path=statics,
        )
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"Warning: listening on {host}; there is no authentication.", file=out)
        print(f"Serving the tutor at http://{host}:{port} (Ctrl+C stops).", file=out, flush=True)
        server.serve()
    return 0
