"""Key files made on first use: owner-only, and never seen half-written.

Several processes start at once (gunicorn workers, Celery workers) and may all find no key.
Each writes a complete private file under a temporary name and links it into place; the link
fails if another got there first, so exactly one key wins and a reader never finds a file
that is still being written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def create_once(path: Path, content: bytes) -> None:
    """Install `content` at `path` (mode 0600) unless a file is already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp creates it 0600
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another process won: keep its key
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
