"""Widgets of the lesson screen."""
