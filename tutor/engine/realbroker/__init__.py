"""The real-broker engine: the same runs on a Redis server, with `celery worker` processes.

Beside the in-memory engine, behind the same snapshots and stages (`RunLike`): the lesson's
workers are real `celery worker` processes (prefork pool) on the sample's definitions, the
messages wait in a real Redis list, and every value the hood shows is read from Redis or from
the workers' own reports. Nothing here is imported unless a run asks for a broker (`--broker`):
the `redis` client stays off the path to the first screen.
"""
