"""Letterhead logos, checked by decoding them before they reach the typesetter.

A logo comes from a file an administrator points the settings at; a truncated or mislabelled
file must not stop a press officer from getting the PDF, so an image that does not decode is
left out (and logged) and the letterhead falls back to the organization's name.
"""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache

from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_PIXELS = 25_000_000
MAX_BYTES = 5 * 1024 * 1024
# The largest box a logo is printed in (the letterhead's, 50 x 18 mm) at 300 dpi: more
# pixels only make every PDF bigger and slower to write.
_BOX = (600, 216)


@lru_cache(maxsize=16)
def logo_data_uri(data: bytes | None) -> str | None:
    """A PNG data URI of the decoded, downscaled logo, or None if it is missing or broken.

    Kept per process, keyed by the logo's bytes: the letterhead's logo is the same in every
    PDF, and decoding, downscaling and re-encoding a photographic one cost 0.37 s a render,
    more than laying out a 140-signatory letter.
    """
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
        picture = _opaque_if_possible(image.convert("RGBA"))
    picture.thumbnail(_BOX)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _opaque_if_possible(picture: Image.Image) -> Image.Image:
    """RGB unless some pixel is see-through: WeasyPrint writes an alpha channel into every
    PDF as a second image (a soft mask), and most logos, every JPEG, have none to keep."""
    lowest_alpha = picture.getchannel("A").getextrema()[0]  # one band: (min, max) numbers
    return (
        picture if isinstance(lowest_alpha, int) and lowest_alpha < 255 else picture.convert("RGB")
    )
