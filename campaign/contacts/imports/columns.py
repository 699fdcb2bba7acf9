"""The contact fields a CSV column can fill, and a first guess from the header names."""

from __future__ import annotations

import re

FIELDS: dict[str, str] = {
    "name": "Name",
    "email": "Email",
    "outlet": "Outlet",
    "beat": "Beat / role",
    "phone": "Phone",
    "city": "City",
    "tags": "Tags",
    "notes": "Notes",
    "do_not_contact": "Do not contact",
}
REQUIRED = ("name", "email")
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "contact", "contactname", "journalist"),
    "email": ("email", "emailaddress", "mail", "emails"),
    "outlet": ("outlet", "publication", "media", "mediaoutlet", "organization", "organisation"),
    "beat": ("beat", "role", "beatrole", "title", "jobtitle", "position"),
    "phone": ("phone", "telephone", "tel", "mobile", "phonenumber", "cell"),
    "city": ("city", "town", "location"),
    "tags": ("tags", "tag", "labels", "keywords"),
    "notes": ("notes", "note", "comments", "comment"),
    "do_not_contact": ("donotcontact", "dnc", "optout", "nocontact"),
}

Mapping = dict[str, int]


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(header: list[str]) -> Mapping:
    """Field -> column index for every header that names a field (the first such column)."""
    by_key: dict[str, int] = {}
    for index, name in enumerate(header):
        by_key.setdefault(_key(name), index)
    mapping: Mapping = {}
    for field, synonyms in _SYNONYMS.items():
        for synonym in synonyms:
            if synonym in by_key:
                mapping[field] = by_key[synonym]
                break
    return mapping


def missing_required(mapping: Mapping) -> list[str]:
    """Labels of the required fields that no column fills."""
    return [FIELDS[field] for field in REQUIRED if field not in mapping]


def mapping_from_names(header: list[str], pairs: dict[str, str]) -> Mapping:
    """A mapping from field -> column *name* pairs (CLI `--map email="E-mail"`)."""
    mapping: Mapping = {}
    for field, column in pairs.items():
        if field not in FIELDS:
            raise ValueError(f"Unknown field “{field}”; fields are {', '.join(FIELDS)}.")
        if column not in header:
            raise ValueError(f"The file has no column “{column}”; it has {', '.join(header)}.")
        mapping[field] = header.index(column)
    return mapping
