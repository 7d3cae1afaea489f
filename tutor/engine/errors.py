"""Errors the engine raises to its users (the UI, the plain renderer, the tests)."""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine reports."""


class RunClosed(EngineError):
    """The run was closed while a thread was held; that thread stops its work."""


class RunStalled(EngineError):
    """The run did not reach its next stop in time; the message says who was still busy."""


class SampleError(EngineError):
    """The sample code could not be parsed or its definitions raised."""
