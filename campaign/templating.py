"""Jinja filters shared by every template."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from campaign.phones import display_phone
from press.markdown import render_markdown


def local_time(value: datetime | None, zone: str = "UTC", fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """Format an aware UTC timestamp in `zone`."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(zone)).strftime(fmt)


def markdown(source: str) -> Markup:
    """Sanitized HTML from Markdown; safe to output unescaped."""
    return Markup(render_markdown(source or ""))


def register(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(markdown, "markdown")
    app.add_template_filter(display_phone, "phone")
