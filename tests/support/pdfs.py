"""Reading PDFs back the way a person's tools would: poppler's pdftotext and pdfinfo, pypdf."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader


def _poppler(tool: str, data: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(
            [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(data: bytes) -> str:
    """The text in content-stream order (-raw), so a list in columns reads entry by entry."""
    return _poppler("pdftotext", data, "-raw")


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page."""
    return pdf_text(data).split("\f")[:-1]


def pdf_info(data: bytes) -> dict[str, str]:
    """pdfinfo's fields (Title, Author, Subject, CreationDate, Tagged, Pages, ...)."""
    lines = _poppler("pdfinfo", data).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pdf_reader(data: bytes) -> PdfReader:
    """pypdf's view of the document, for its catalog (tagging, language) and metadata."""
    return PdfReader(io.BytesIO(data))
