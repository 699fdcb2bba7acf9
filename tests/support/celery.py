"""Test helpers for the Celery side: pointing the app's Celery at another broker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery
from flask import Flask

from workers.app import celery_settings


def _forget_connections(celery: Celery) -> None:
    """Drop the cached connection pools so the next enqueue uses the current broker URL."""
    celery._pool = None
    celery.amqp._producer_pool = None


@contextmanager
def broker_at(app: Flask, broker_url: str, result_backend: str | None = None) -> Iterator[None]:
    """Enqueue for real to `broker_url` (and a worker started inside sees it too); the
    broker, the result backend and eager mode come back afterwards."""
    celery = app.extensions["celery"]
    saved = {
        "broker_url": celery.conf.broker_url,
        "result_backend": celery.conf.result_backend,
        "task_always_eager": celery.conf.task_always_eager,
        "broker_transport_options": celery.conf.broker_transport_options,
    }
    saved_config = {key: app.config[key] for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    backend = result_backend or saved["result_backend"]
    app.config.update(CELERY_BROKER_URL=broker_url, CELERY_RESULT_BACKEND=backend)
    options = celery_settings(app.config)["broker_transport_options"]
    celery.conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        result_backend=backend,
        broker_transport_options=options,
    )
    _forget_connections(celery)
    try:
        yield
    finally:
        app.config.update(saved_config)
        celery.conf.update(saved)
        _forget_connections(celery)


@contextmanager
def broker_down(app: Flask) -> Iterator[None]:
    """Enqueue for real, to a port nothing listens on; eager mode comes back afterwards."""
    with broker_at(app, "redis://127.0.0.1:1/0"):
        yield


def purge_queue(app: Flask) -> int:
    """Empty the test queue, so no later worker of this run picks up a killed test's tasks."""
    with app.extensions["celery"].connection_for_write() as connection:
        return connection.default_channel.queue_purge(app.config["CELERY_QUEUE"])


def waiting_messages(app: Flask) -> int:
    """Messages ready in the test queue (held by a worker, unacknowledged, they do not count)."""
    with app.extensions["celery"].connection_for_write() as connection:
        queue = app.config["CELERY_QUEUE"]
        return connection.default_channel.queue_declare(queue, passive=True).message_count
