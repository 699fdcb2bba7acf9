"""Reading a signed root back out of a PDF, and checking its names are the ones printed.

The root document travels in the PDF's document information dictionary (key
/campaigndeskroot, ASCII JSON), beside /campaigndeskroothash, /campaigndeskalgorithm and
/campaigndeskkeyid for people who only look at the document properties. (WeasyPrint writes
HTML <meta> names lower-cased.)
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

ROOT_KEY = "/campaigndeskroot"
# Invisible break opportunities press/ inserts in long words, and no-break spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad"), None)


def _reader(data: bytes) -> PdfReader | None:
    try:
        return PdfReader(io.BytesIO(data))
    except (PdfReadError, ValueError, OSError):
        return None


def root_in_pdf(data: bytes) -> dict[str, Any] | None:
    """The root document embedded in the PDF's metadata, or None."""
    reader = _reader(data)
    try:
        metadata = reader.metadata if reader else None
        text = metadata.get(ROOT_KEY) if metadata else None
        value = json.loads(str(text)) if text else None
    except (PdfReadError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _flat(text: str) -> str:
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def names_missing_from(data: bytes, names: list[str]) -> list[str]:
    """The names not found in the PDF's text (whitespace and line breaks ignored)."""
    reader = _reader(data)
    if reader is None:
        return names
    text = _flat(" ".join(page.extract_text() or "" for page in reader.pages))
    squeezed = text.replace(" ", "")
    return [name for name in names if _flat(name).replace(" ", "") not in squeezed]
