"""Defaults and exit statuses shared by the command line, plain output and the Textual app.

Kept in one light module (no Celery, no Textual) so every entry point agrees on them.
"""

from __future__ import annotations

PACE_DEFAULT = 1.5
"""Seconds between two stages when a lesson plays on its own (autoplay, demo)."""
PACE_MIN = 0.25
"""The fastest autoplay pace `+` reaches."""
PACE_MAX = 8.0
"""The slowest autoplay pace `-` reaches."""

MIN_WIDTH = 80
"""The narrowest terminal the tutor draws in (columns); smaller shows a notice instead."""
MIN_HEIGHT = 24
"""The lowest terminal the tutor draws in (lines)."""

EXIT_OK = 0
"""Everything went as asked."""
EXIT_FAILED = 1
"""The content is broken, or the real run failed."""
EXIT_USAGE = 2
"""The command line was wrong (an unknown lesson id, a bad option)."""
EXIT_INTERRUPTED = 130
"""The user pressed Ctrl+C."""

BROKER_ENV = "TUTOR_BROKER"
"""Environment variable: the Redis URL runs use (`--broker` sets it once the broker answers);
unset or empty: the in-memory broker."""

STAGE_TIMEOUT_ENV = "TUTOR_STAGE_TIMEOUT"
"""Environment variable: the longest (seconds) a sample's code may run between two stops
(`--stage-timeout` sets it; the engine reads it when a run is configured)."""
