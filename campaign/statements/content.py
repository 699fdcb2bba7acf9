"""The words of a statement, as plain data independent of the database row.

Forms produce a `Content`, versions are written from one, diffs and restores compare or copy
them field by field, and `press/` renders from the same data.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from typing import Any

from campaign.courier.headers import one_line
from campaign.statements.models import Kind, ReleaseType, StatementVersion


@dataclasses.dataclass(frozen=True)
class Content:
    title: str
    subtitle: str = ""
    addressee: str = ""
    body: str = ""
    closing: str = ""
    release_type: ReleaseType = ReleaseType.IMMEDIATE
    embargo_until: datetime | None = None
    embargo_timezone: str = "UTC"
    release_date: date | None = None
    dateline: str = ""
    media_contacts: tuple[tuple[str, str, str], ...] = ()
    boilerplate: str = ""

    @classmethod
    def of(cls, version: StatementVersion) -> Content:
        """The content stored in `version`."""
        values: dict[str, Any] = {f.name: getattr(version, f.name) for f in FIELDS}
        values["media_contacts"] = tuple(
            (c.get("name", ""), c.get("phone", ""), c.get("email", ""))
            for c in version.media_contacts or ()
        )
        return cls(**values)

    def column_values(self) -> dict[str, Any]:
        """Keyword arguments for a new StatementVersion row."""
        values = dataclasses.asdict(self)
        values["title"] = one_line(self.title)  # the title is a mail subject, one line
        values["media_contacts"] = [
            {"name": name, "phone": phone, "email": email}
            for name, phone, email in self.media_contacts
        ]
        return values

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data, so a conflict page can carry the user's unsaved text."""
        values = self.column_values()
        values["release_type"] = self.release_type.value
        values["embargo_until"] = self.embargo_until.isoformat() if self.embargo_until else None
        values["release_date"] = self.release_date.isoformat() if self.release_date else None
        return values

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Content:
        """The inverse of to_json."""
        values = {f.name: data[f.name] for f in FIELDS}
        values["release_type"] = ReleaseType(values["release_type"])
        if values["embargo_until"]:
            values["embargo_until"] = datetime.fromisoformat(values["embargo_until"])
        if values["release_date"]:
            values["release_date"] = date.fromisoformat(values["release_date"])
        values["media_contacts"] = tuple(
            (c["name"], c["phone"], c["email"]) for c in values["media_contacts"]
        )
        return cls(**values)

    @property
    def word_count(self) -> int:
        return len(re.findall(r"\w+", " ".join((self.title, self.subtitle, self.body))))


FIELDS = dataclasses.fields(Content)

_COMMON = {"title", "subtitle", "body", "closing", "release_date"}
_RELEASE = {"release_type", "embargo_until", "embargo_timezone", "dateline", "media_contacts"}
# The fields each kind of statement has; the editor shows only these and leaves the rest alone.
KIND_FIELDS: dict[Kind, frozenset[str]] = {
    Kind.COALITION_LETTER: frozenset(_COMMON | {"addressee"}),
    Kind.PRESS_RELEASE: frozenset(_COMMON | _RELEASE | {"boilerplate"}),
    Kind.STATEMENT: frozenset(_COMMON | {"dateline", "boilerplate"}),
}

# The longest text each single field may hold (the body's limit is a setting).
FIELD_LIMITS: dict[str, int] = {
    "title": 300,
    "subtitle": 500,
    "addressee": 500,
    "closing": 2000,
    "dateline": 120,
    "boilerplate": 5000,
}

LABELS: dict[str, str] = {
    "title": "Title",
    "subtitle": "Subtitle",
    "addressee": "Addressee",
    "body": "Body",
    "closing": "Closing",
    "release_type": "Release",
    "embargo_until": "Embargoed until",
    "embargo_timezone": "Embargo time zone",
    "release_date": "Date",
    "dateline": "Dateline",
    "media_contacts": "Media contacts",
    "boilerplate": "Boilerplate",
}


def as_text(field: str, value: Any) -> str:
    """A field's value as the text that diffs compare and pages show."""
    if value is None:
        return ""
    if field == "media_contacts":
        return "\n".join(" · ".join(part for part in contact if part) for contact in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
