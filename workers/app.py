"""Binding Celery to a Flask app, after the pattern of Flask's own Celery example."""

from __future__ import annotations

import gc
import logging
import os
import time
from datetime import timedelta
from typing import Any

from celery import Celery, Task
from flask import Flask

log = logging.getLogger(__name__)
# How long a stopping worker lets running tasks finish before terminating them; with the
# shutdown's own steps it stays within the 10 s that systemd and `make run` allow.
STOP_GRACE_SECONDS = 2.0
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


def _stop_promptly_on_sigterm() -> None:
    """Make SIGTERM a bounded shutdown instead of Celery's warm one.

    A warm shutdown waits for every running task however long it takes: a batch talking to
    a hanging mail server kept a worker on the SQLite broker alive for over 40 seconds,
    past systemd's TimeoutStopSec and `make run`'s patience. Here SIGTERM lets running
    tasks finish for up to STOP_GRACE_SECONDS, then takes Celery's cold shutdown, which
    terminates the pool; the messages of unfinished tasks (acknowledged late) are not
    acknowledged, so the broker gets them back. A killed task is safe: claims not handed
    over return after the lease, handed-over ones become possibly delivered.
    Celery's own paths do not bound the wait: REMAP_SIGTERM=SIGQUIT and
    worker_soft_shutdown_timeout end in `pool.stop()`, which joins the running task (the
    signal sent to cancel it is one the pool's children ignore, or is not sent at all).
    The handler replaces Celery's once the worker is ready. The objects alive then (the
    whole app) are frozen out of the garbage collector: the interpreter's final collection
    over them cost 2-3 s of the stop on these machines.
    """
    from celery import signals

    # celery-types does not declare it; it is public in celery.apps.worker since 4.x
    from celery.apps.worker import install_worker_term_hard_handler  # type: ignore[attr-defined]

    def let_tasks_finish(worker: Any) -> None:
        from celery.worker import state

        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while state.active_requests and time.monotonic() < deadline:
            time.sleep(0.1)
        for request in list(state.active_requests):
            log.warning(
                "stopping: task %s[%s] cut, its message goes back", request.name, request.id
            )
            # As Celery's cold shutdown cancels, but with a signal the child cannot delay
            # (SIGTERM runs `finally` blocks, such as a polite QUIT to a hanging server).
            request.cancel(worker.pool, signal="SIGKILL", emit_retry=not request.task.acks_late)

    def on_ready(sender: Any, **_: Any) -> None:
        install_worker_term_hard_handler(
            sender.controller, sig="SIGTERM", callback=let_tasks_finish
        )
        gc.freeze()

    signals.worker_ready.connect(on_ready, weak=False, dispatch_uid="stop-promptly")


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
    # Beat's schedule file goes to the instance folder, not the directory it was started in.
    settings["beat_schedule_filename"] = os.path.join(app.instance_path, "celerybeat-schedule")
    if settings["broker_url"].startswith("sqla+"):
        _sqlite_broker_polls_fast()
    if settings["broker_url"].startswith(("redis://", "rediss://")):
        _survive_redis_loss()
    _stop_promptly_on_sigterm()
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(settings)
    celery_app.set_default()
    celery_app.loader.import_default_modules()
    app.extensions["celery"] = celery_app
    return celery_app
