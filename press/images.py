"""Letterhead logos, checked by decoding them before they reach the typesetter.

A logo comes from a file an administrator points the settings at; a truncated or mislabelled
file must not stop a press officer from getting the PDF, so an image that does not decode is
left out (and logged) and the letterhead falls back to the organization's name.
"""

from __future__ import annotations

import base64
import io
import logging

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_PIXELS = 25_000_000
MAX_BYTES = 5 * 1024 * 1024
_BOX = (900, 300)


def logo_data_uri(data: bytes | None) -> str | None:
    """A PNG data URI of the decoded, downscaled logo, or None if it is missing or broken."""
    if not data:
        return None
    try:
        png = _normalized_png(data)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        log.warning("letterhead logo left out: %s", error)
        return None
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _normalized_png(data: bytes) -> bytes:
    """Decode fully (not just the header), bound the size, and re-encode as PNG."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"logo is {len(data):,} bytes; the limit is {MAX_BYTES:,}")
    with Image.open(io.BytesIO(data)) as image:
        if image.format not in {"PNG", "JPEG"}:
            raise ValueError(f"logo is {image.format}, not PNG or JPEG")
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(f"logo is {image.width}x{image.height} pixels")
        image.load()
        picture = image.convert("RGBA")
    picture.thumbnail(_BOX)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()
