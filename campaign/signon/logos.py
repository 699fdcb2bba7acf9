"""Checking uploaded logos by decoding them, not by trusting a file name or MIME type.

A logo ends up in public pages and PDFs, so it must be an image Pillow can fully decode, in
PNG or JPEG, under a byte limit and a pixel limit checked before decoding (which is what
stops decompression bombs).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(ValueError):
    """A user-facing reason why a logo was refused."""


@dataclass(frozen=True)
class Logo:
    content: bytes
    mime_type: str
    width: int
    height: int


def check_logo(content: bytes, max_bytes: int, max_pixels: int) -> Logo:
    """The logo if it is an acceptable PNG or JPEG; LogoError otherwise."""
    if len(content) > max_bytes:
        raise LogoError(f"The logo is {len(content):,} bytes; the limit is {max_bytes:,}.")
    try:
        with warnings.catch_warnings():
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
