"""One instance folder for everything the app writes.

An installed app once put its embedded broker and outbox beside config.py, inside
site-packages, and its generated secret key in Flask's instance folder: two homes, one of
them not writable in a normal deployment. Now every file goes to `app.instance_path`,
which CAMPAIGN_INSTANCE_PATH moves for the web app, the CLI and the worker alike.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

import config
from bench.scratch import ROOT
from campaign import create_app
from campaign.attest.keys import key_path
from campaign.auth.keys import key_file
from campaign.contacts.imports import store

# Environment variables that would place a file elsewhere on purpose.
PLACING = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "OUTBOX_DIR",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "CONTACT_IMPORT_DIR",
    "ATTEST_KEY_PATH",
)
URL_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")


@pytest.fixture()
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An instance folder named by the environment, and no setting placing a file elsewhere."""
    folder = tmp_path / "instance-elsewhere"
    monkeypatch.setenv(config.INSTANCE_PATH_VARIABLE, str(folder))
    for name in PLACING:
        monkeypatch.delenv(name, raising=False)
    return folder


def _file_of(key: str, value: str) -> Path:
    """The file a setting names: the path itself, or the database of a SQLAlchemy URL."""
    return (
        Path(make_url(value.split("+", 1)[-1]).database or "")
        if key in URL_SETTINGS
        else Path(value)
    )


def test_every_file_the_app_writes_is_in_the_one_instance_folder(instance: Path) -> None:
    app = create_app()
    assert app.instance_path == str(instance)
    written = {key: _file_of(key, app.config[key]) for key in config.instance_defaults("/")}
    with app.app_context():
        written |= {
            "secret key": key_file(app),
            "attestation key": key_path(),
            "contact uploads": store._folder(),
            "beat schedule": Path(app.extensions["celery"].conf.beat_schedule_filename),
        }
    outside = {what: path for what, path in written.items() if not path.is_relative_to(instance)}
    assert outside == {}
    assert key_file(app).exists()  # generated on this first start, in the folder


def test_a_checkout_keeps_its_instance_folder_beside_the_packages() -> None:
    """`make run` in a checkout goes on using ./instance, wherever it is started from."""
    assert Flask("campaign").instance_path == str(ROOT / "instance")


def test_the_worker_finds_the_same_folder_from_any_directory(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`celery -A workers` builds its app in workers/celery.py, started in any directory."""
    monkeypatch.chdir(tmp_path)
    worker = runpy.run_module("workers.celery")
    assert worker["flask_app"].instance_path == str(instance)
    assert worker["celery"].conf.broker_url == f"sqla+sqlite:///{instance / 'broker.sqlite'}"
    assert worker["flask_app"].config["OUTBOX_DIR"] == str(instance / "outbox")
