"""Instructor demo support that needs no Textual: the speaker-notes channel."""
