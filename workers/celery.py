"""Entry point for `celery -A workers worker`: build the Flask app from the environment."""

from campaign import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
