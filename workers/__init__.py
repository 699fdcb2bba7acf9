"""Celery: the app built from the Flask config, and thin tasks that call services.

`celery -A workers worker` finds the app in `workers.celery`, which builds the Flask app;
nothing in this package's other modules creates an app at import time.
"""
