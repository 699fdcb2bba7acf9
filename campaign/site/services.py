"""Reading and saving the organization profile.

Every feature that names the organization (PDF letterhead, email sender and footer, public
pages, absolute links) asks `organization()`, so one edit in the settings page reaches all
of them. Precedence, per field: a setting pinned by an environment variable, then the value
saved in the web UI, then the default in `config.py`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from flask import current_app, g

from campaign import clock
from campaign.audit.services import record
from campaign.extensions import db
from campaign.site.models import PROFILE_ID, SiteProfile

log = logging.getLogger(__name__)

ACCENT_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Profile field -> the configuration key that gives its default and can pin it.
CONFIG_KEYS: dict[str, str] = {
    "name": "LETTERHEAD_NAME",
    "postal_address": "LETTERHEAD_ADDRESS",
    "boilerplate": "ORG_BOILERPLATE",
    "accent_colour": "ORG_ACCENT_COLOUR",
    "public_base_url": "PUBLIC_BASE_URL",
    "sender_name": "MAIL_FROM",
    "sender_address": "MAIL_FROM",
    "logo": "LETTERHEAD_LOGO_PATH",
}


@dataclass(frozen=True)
class Organization:
    """The issuing organization as every feature should present it."""

    name: str
    postal_address: str
    boilerplate: str
    accent_colour: str
    sender_name: str
    sender_address: str
    public_base_url: str
    media_contacts: tuple[dict[str, str], ...] = ()
    logo: bytes | None = None
    logo_mime_type: str | None = None
    pinned: frozenset[str] = field(default_factory=frozenset)

    @property
    def sender(self) -> str:
        """The From header: `Display Name <address>`."""
        return formataddr((self.sender_name, self.sender_address))


def pinned_fields() -> frozenset[str]:
    """Profile fields whose configuration key was set by an environment variable."""
    from_environment = current_app.config.get("SETTINGS_FROM_ENVIRONMENT", ())
    return frozenset(name for name, key in CONFIG_KEYS.items() if key in from_environment)


def organization() -> Organization:
    """The organization profile, read once per app context (a request or a task)."""
    if "organization" not in g:
        g.organization = _load()
    return g.organization


def _load() -> Organization:
    config = current_app.config
    row = db.session.get(SiteProfile, PROFILE_ID)
    pinned = pinned_fields()
    configured_name, configured_address = parseaddr(config["MAIL_FROM"])

    def pick(name: str, default: str) -> str:
        saved = getattr(row, name, None) if row is not None else None
        return default if name in pinned or not saved else saved

    logo, mime = _configured_logo()
    if row is not None and row.logo and "logo" not in pinned:
        logo, mime = row.logo, row.logo_mime_type
    return Organization(
        name=pick("name", config["LETTERHEAD_NAME"]),
        postal_address=pick("postal_address", config["LETTERHEAD_ADDRESS"]),
        boilerplate=pick("boilerplate", config["ORG_BOILERPLATE"]),
        accent_colour=pick("accent_colour", config["ORG_ACCENT_COLOUR"]),
        sender_name=pick("sender_name", configured_name),
        sender_address=pick("sender_address", configured_address),
        public_base_url=pick("public_base_url", config["PUBLIC_BASE_URL"]).rstrip("/"),
        media_contacts=tuple(row.media_contacts or ()) if row is not None else (),
        logo=logo,
        logo_mime_type=mime,
        pinned=pinned,
    )


def _configured_logo() -> tuple[bytes | None, str | None]:
    """The LETTERHEAD_LOGO_PATH file; a missing file is logged, not fatal to every page."""
    path = current_app.config.get("LETTERHEAD_LOGO_PATH")
    if not path:
        return None, None
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        log.warning("letterhead logo not read: %s", error)
        return None, None
    return content, "image/jpeg" if content[:2] == b"\xff\xd8" else "image/png"


def save_profile(actor: Any, values: dict[str, Any]) -> list[str]:
    """Store the profile fields in `values` (pinned ones are ignored); the names changed.

    `values` may hold `logo` (bytes and `logo_mime_type`) or `remove_logo`; the caller has
    validated them. The change is audited with the names of the fields, not their contents.
    """
    row = db.session.get(SiteProfile, PROFILE_ID) or SiteProfile(id=PROFILE_ID)
    pinned = pinned_fields()
    changed = []
    for name, value in values.items():
        if name in pinned or (name not in CONFIG_KEYS and name != "media_contacts"):
            continue
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    if values.get("logo") and "logo" in changed:
        row.logo_mime_type = values["logo_mime_type"]
    if changed:
        row.updated_at = clock.now()
        db.session.add(row)
        record(actor, "site.profile_changed", row, {"fields": changed})
        db.session.commit()
    g.pop("organization", None)
    return changed
