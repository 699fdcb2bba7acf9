"""Uploads waiting between the import steps, kept in the instance folder.

The file can be tens of megabytes, far too big for the session cookie; each upload is a
random-named file plus a small JSON sidecar recording who uploaded it and the choices made
so far (encoding, column mapping, duplicate policy). Only the uploader can open it, and
abandoned uploads are removed after a day.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


@dataclass
class Upload:
    token: str
    owner_id: int
    filename: str
    encoding: str | None = None
    mapping: dict[str, int] = field(default_factory=dict)
    on_duplicate: str = "merge"

    def data(self) -> bytes:
        return _path(self.token, ".csv").read_bytes()

    def save(self) -> None:
        """Record the choices made so far (which makes an earlier check of the file stale)."""
        _path(self.token, ".json").write_text(json.dumps(asdict(self)))
        _path(self.token, ".checked.json").unlink(missing_ok=True)

    def checked(self) -> dict[str, Any] | None:
        """The stored result of checking every line with the current choices, if any."""
        try:
            return json.loads(_path(self.token, ".checked.json").read_text())
        except (OSError, ValueError):
            return None

    def keep_checked(self, result: dict[str, Any]) -> None:
        _path(self.token, ".checked.json").write_text(json.dumps(result))


def _folder() -> Path:
    folder = Path(current_app.config["CONTACT_IMPORT_DIR"])  # the instance folder unless set
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str, suffix: str) -> Path:
    return _folder() / f"{token}{suffix}"


def create(data: bytes, filename: str, owner_id: int) -> Upload:
    """Keep an uploaded file for the next steps; clears out day-old abandoned uploads."""
    _remove_stale()
    upload = Upload(secrets.token_urlsafe(18), owner_id, filename)
    _path(upload.token, ".csv").write_bytes(data)
    upload.save()
    return upload


def load(token: str, owner_id: int) -> Upload | None:
    """The upload, if it exists and belongs to `owner_id`."""
    if not _TOKEN.match(token):
        return None
    try:
        upload = Upload(**json.loads(_path(token, ".json").read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return upload if upload.owner_id == owner_id else None


def discard(token: str) -> None:
    """Forget an upload (after its import, or when the user cancels)."""
    for suffix in (".csv", ".json", ".checked.json"):
        _path(token, suffix).unlink(missing_ok=True)


def _remove_stale() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
