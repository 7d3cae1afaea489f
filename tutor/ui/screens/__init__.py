"""The tutor's screens: home, lesson, quiz and the other study modes, help, pop-ups, and the
too-small notice."""

SCREENS_CSS = "screens.tcss"
"""The look of every screen but the first one (home), help and too-small: Textual reads it when
the first screen naming it opens (a screen's CSS applies to the whole app), so the first paint
parses only what the lesson list needs."""
