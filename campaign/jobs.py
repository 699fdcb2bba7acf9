"""Handing work to Celery without importing task modules into the web process's services.

Services name tasks by string, so `campaign` never imports `workers` (which imports
`campaign`). If the broker is down the caller learns it from the return value: the work is
already in the database and a periodic sweep will enqueue it again.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def enqueue(task_name: str, *args: Any, countdown: float | None = None) -> bool:
    """Send `task_name(*args)` to the queue; False if the broker could not be reached."""
    celery = current_app.extensions["celery"]
    try:
        celery.tasks[task_name].apply_async(args=args, countdown=countdown)
    except (OperationalError, ConnectionError, TimeoutError) as error:
        log.warning("could not enqueue %s%r: %s", task_name, args, error)
        return False
    return True
