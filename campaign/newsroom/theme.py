"""The public pages' colours, from the organization's accent colour."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
FALLBACK = "#1f5f8b"


def theme_css(accent: str) -> str:
    """`:root` custom properties; an unexpected value falls back rather than injecting CSS."""
    colour = accent if _HEX.match(accent or "") else FALLBACK
    return f":root{{--accent:{colour};--org-accent:{colour}}}\n"
