"""Binding Celery to a Flask app, after the pattern of Flask's own Celery example."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from flask import Flask

log = logging.getLogger(__name__)
TASK_MODULES = (
    "workers.mail",
    "workers.signon",
    "workers.pdfs",
    "workers.distribution",
    "workers.targets",
    "workers.contacts",
    "workers.bounces",
    "workers.embargo",
    "workers.attest",
    "workers.coverage",
    "workers.directory",
    "workers.notify",
)


def _sqlite_broker_polls_fast() -> None:
    """The embedded SQLite broker polls once a second by default; a tenth keeps the UI snappy.

    The option cannot go through broker_transport_options (kombu passes those to
    create_engine, which rejects it), hence the class attribute; see ../shared/NOTES.md.
    """
    from kombu.transport import sqlalchemy as sqla_transport

    sqla_transport.Transport.polling_interval = 0.1


def _survive_redis_loss() -> None:
    """Keep the worker alive when Redis goes away while it holds unacknowledged messages.

    kombu 5.7 closes the channel of a lost connection and then tries to put the messages
    it holds (a delayed ETA task, a prefetched one) back on the queue through that closed
    connection: `'NoneType' object has no attribute 'hostname'` ends the worker process.
    Those messages are still in Redis's "unacked" hash, which kombu restores after the
    visibility timeout, so skipping the restore loses nothing. The app itself no longer
    sends ETA tasks (see distribution/engine.py); this guards anything that still does.
    """
    from kombu.transport import redis as redis_transport
    from redis.exceptions import ConnectionError as RedisConnectionError

    original = redis_transport.QoS.restore_unacked
    if getattr(original, "guarded", False):
        return

    def restore_unacked(self: Any, client: Any = None) -> Any:
        if client is None and self.channel.connection.client is None:
            log.warning(
                "broker connection lost: %d unacknowledged message(s) stay in Redis and "
                "come back after the visibility timeout",
                len(self._delivered),
            )
            return None
        try:
            return original(self, client)
        except RedisConnectionError as error:
            log.warning("could not restore unacknowledged messages now: %s", error)
            return None

    restore_unacked.guarded = True  # type: ignore[attr-defined]
    # Replacing kombu's method is the point: its own has no way to survive a lost broker.
    redis_transport.QoS.restore_unacked = restore_unacked  # type: ignore[method-assign]


def _transport_options(broker_url: str) -> dict[str, Any]:
    """Redis redelivers unacknowledged tasks after the visibility timeout; the SQLite broker
    hands every option to create_engine, which rejects them, so it gets none."""
    if broker_url.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": 3600}
    return {}


def celery_settings(config: dict[str, Any]) -> dict[str, Any]:
    """Celery's settings derived from the Flask config."""
    return {
        "broker_url": config["CELERY_BROKER_URL"],
        "result_backend": config["CELERY_RESULT_BACKEND"],
        "task_default_queue": config["CELERY_QUEUE"],
        "task_always_eager": config["CELERY_TASK_ALWAYS_EAGER"],
        "task_eager_propagates": True,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": _transport_options(config["CELERY_BROKER_URL"]),
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "imports": TASK_MODULES,
        "beat_schedule": {
            "requeue-stale-mail": {
                "task": "mail.requeue_stale",
                "schedule": timedelta(seconds=15),
            },
            "distribution-due-checks": {
                "task": "distribution.run_due_checks",
                "schedule": timedelta(seconds=5),
            },
            "sweep-reconfirmations": {
                "task": "signon.sweep_reconfirmations",
                "schedule": timedelta(minutes=5),
            },
            "requeue-stale-pdf-jobs": {
                "task": "pdfs.requeue_stale",
                "schedule": timedelta(minutes=1),
            },
            "sweep-distributions": {"task": "distribution.sweep", "schedule": timedelta(minutes=1)},
            "deliver-at-deadlines": {"task": "targets.sweep", "schedule": timedelta(minutes=1)},
            "read-bounces": {"task": "bounces.read", "schedule": timedelta(minutes=1)},
            "publish-at-embargo-lift": {
                "task": "embargo.publish_due",
                "schedule": timedelta(seconds=config["EMBARGO_SWEEP_SECONDS"]),
            },
            "poll-coverage-feeds": {"task": "coverage.poll_due", "schedule": timedelta(minutes=5)},
            "recruitment-reminders": {
                "task": "directory.send_reminders",
                "schedule": timedelta(minutes=15),
            },
            "notify-goals-and-deadlines": {
                "task": "notify.sweep",
                "schedule": timedelta(minutes=5),
            },
            "requeue-stale-contact-imports": {
                "task": "contacts.requeue_stale_imports",
                "schedule": timedelta(minutes=1),
            },
        },
    }


def celery_init_app(app: Flask) -> Celery[Any]:
    """Create the Celery app whose tasks run inside `app`'s application context."""

    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    settings = celery_settings(app.config)
    if settings["broker_url"].startswith("sqla+"):
        _sqlite_broker_polls_fast()
    if settings["broker_url"].startswith(("redis://", "rediss://")):
        _survive_redis_loss()
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(settings)
    celery_app.set_default()
    celery_app.loader.import_default_modules()
    app.extensions["celery"] = celery_app
    return celery_app
