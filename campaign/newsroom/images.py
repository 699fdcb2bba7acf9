"""The first page of a public PDF as a PNG, for link previews (poppler's pdftoppm)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache, lru_cache
from pathlib import Path

PREVIEW_DPI = 60
TIMEOUT_SECONDS = 20
PDFTOPPM = ("pdftoppm", "-png", "-r", str(PREVIEW_DPI), "-f", "1", "-l", "1", "-singlefile")


@cache
def can_render_page_images() -> bool:
    """pdftoppm is a system tool (poppler-utils); without it pages fall back to the logo."""
    return shutil.which("pdftoppm") is not None


@lru_cache(maxsize=64)
def first_page_png(sha256: str, pdf: bytes) -> bytes:
    """PNG of page 1; cached by the PDF's hash, which changes whenever its content does."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "doc.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [*PDFTOPPM, str(source), str(Path(folder) / "page")],
            check=True,
            timeout=TIMEOUT_SECONDS,
            capture_output=True,
        )
        return (Path(folder) / "page.png").read_bytes()
