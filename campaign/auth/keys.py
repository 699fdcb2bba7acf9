"""The secret that signs session cookies and every emailed link.

A key that ships in source code (an old default, a test value) lets anyone forge a session or
a withdrawal link, so the app refuses to start with one. With no SECRET_KEY configured, the
first start generates a random key, stores it in the instance folder readable by the owner
only, and every later start (web and worker alike) reads the same file.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import Flask

from campaign.keyfiles import create_once

# Strings that have appeared in this repository or its documentation as a key. Never valid.
BUILT_IN_KEYS = frozenset(
    {
        "dev-only-insecure-key-set-SECRET_KEY-in-production",
        "test-secret",
        "dev",
        "secret",
        "changeme",
        "change-me",
    }
)
MIN_KEY_LENGTH = 24


class InsecureKey(RuntimeError):
    """The configured SECRET_KEY is published or too short to resist guessing."""


def key_file(app: Flask) -> Path:
    """Where a generated key lives (SECRET_KEY_FILE; create_app puts it in the instance folder)."""
    return Path(app.config["SECRET_KEY_FILE"])


def _read_or_create(path: Path) -> str:
    """Create the key file (0600) unless another process just did; then read it."""
    if not path.exists():
        create_once(path, secrets.token_urlsafe(48).encode())
    key = path.read_text().strip()
    if not key:
        raise InsecureKey(f"{path} is empty; delete it to generate a new key.")
    return key


def install_secret_key(app: Flask) -> None:
    """Set app.secret_key from the configuration or the key file; refuse known keys."""
    key = app.config.get("SECRET_KEY") or _read_or_create(key_file(app))
    if key in BUILT_IN_KEYS or len(key) < MIN_KEY_LENGTH:
        raise InsecureKey(
            "SECRET_KEY is a value published in the source or shorter than "
            f"{MIN_KEY_LENGTH} characters; unset it to have one generated, or set a random one."
        )
    app.config["SECRET_KEY"] = key
