"""A terminal tutor that shows how Celery runs work asynchronously, on a real Celery app."""

__version__ = "0.1.0"
