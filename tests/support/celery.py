"""Test helpers for the Celery side: what the app does while its broker is unreachable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask


@contextmanager
def broker_down(app: Flask) -> Iterator[None]:
    """Enqueue for real, to a port nothing listens on; eager mode comes back afterwards.

    The cached connection pools are dropped on the way in and out so the broken URL is used,
    and then forgotten.
    """
    celery = app.extensions["celery"]
    saved = celery.conf.broker_url
    celery.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    celery._pool = None
    celery.amqp._producer_pool = None
    try:
        yield
    finally:
        celery.conf.update(task_always_eager=True, broker_url=saved)
        celery._pool = None
        celery.amqp._producer_pool = None
