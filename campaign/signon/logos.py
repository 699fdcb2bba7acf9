"""Checking uploaded logos by decoding them, not by trusting a file name or MIME type.

A logo ends up in public pages and PDFs, so it must be an image Pillow can fully decode, in
PNG or JPEG, under a byte limit and a pixel limit checked before decoding (which is what
stops decompression bombs).
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """A user-facing reason why a logo was refused."""


@dataclass(frozen=True)
class Logo:
    content: bytes
    mime_type: str
    width: int
    height: int


_STRICT = threading.Lock()


@contextmanager
def _truncation_is_an_error() -> Iterator[None]:
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import, which would let a
    cut-off upload pass as a logo; a check must see truncation as the error it is.

    The lock keeps two checks in different threads from restoring each other's saved value
    (which could let one of them run tolerant). A render that overlaps a check is only
    strict for that moment, and every stored logo passed the strict check anyway.
    """
    with _STRICT:
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def check_logo(content: bytes, max_bytes: int, max_pixels: int) -> Logo:
    """The logo if it is an acceptable PNG or JPEG; LogoError otherwise."""
    if len(content) > max_bytes:
        raise LogoError(f"The logo is {len(content):,} bytes; the limit is {max_bytes:,}.")
    try:
        with warnings.catch_warnings(), _truncation_is_an_error():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            image_format, (width, height) = image.format, image.size
            if image_format not in ALLOWED_FORMATS:
                raise LogoError("The logo must be a PNG or JPEG image.")
            if width * height > max_pixels:
                raise LogoError(
                    f"The logo is {width} by {height} pixels; the limit is {max_pixels:,} pixels."
                )
            image.load()
    except LogoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise LogoError("The logo could not be read as a PNG or JPEG image.") from error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise LogoError("The logo has too many pixels.") from error
    return Logo(content, ALLOWED_FORMATS[image_format], width, height)
