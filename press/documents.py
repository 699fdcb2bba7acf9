"""The plain data a press document is rendered from.

The web app, the CLI and the workers all build one `Document` and hand it to `press.render`;
nothing here knows about the database or Flask, so the same words always typeset the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

COALITION_LETTER = "coalition_letter"
PRESS_RELEASE = "press_release"
STATEMENT = "statement"


def count_label(organizations: int, individuals: int) -> str:
    """ "142 organizations", or "142 organizations and 312 individuals" when people signed."""
    label = f"{organizations:,} organization{'' if organizations == 1 else 's'}"
    if individuals:
        label += f" and {individuals:,} individual{'' if individuals == 1 else 's'}"
    return label


@dataclass(frozen=True)
class Letterhead:
    """The issuing organization printed at the top of page 1 (logo as PNG or JPEG bytes)."""

    name: str
    address: str = ""
    logo: bytes | None = None

    def __repr__(self) -> str:
        """Names the logo by its digest: caches hash the repr, and a logo can be megabytes."""
        digest = hashlib.sha256(self.logo).hexdigest() if self.logo else None
        return f"Letterhead(name={self.name!r}, address={self.address!r}, logo={digest!r})"


@dataclass(frozen=True)
class Cosponsor:
    """A partner organization that co-sponsors a letter, printed under its title."""

    name: str
    logo: bytes | None = None

    def __repr__(self) -> str:
        """Names the logo by its digest, as Letterhead does, for the cache key."""
        digest = hashlib.sha256(self.logo).hexdigest() if self.logo else None
        return f"Cosponsor(name={self.name!r}, logo={digest!r})"


@dataclass(frozen=True)
class Contact:
    """One media contact; `phone` is already formatted for display."""

    name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Signatory:
    """One listed organization; `earlier_version` is set when it signed an older text, and
    `verified_domain` when it proved it speaks for that domain."""

    name: str
    place: str = ""
    earlier_version: int | None = None
    verified_domain: str = ""
    individual: bool = False  # a person signing in their own name, counted apart


@dataclass(frozen=True)
class Attestation:
    """The signed root of the printed list: shown on the last page, embedded in metadata.

    `document` is the root as ASCII JSON (head, signature, leaves) for verifiers to extract.
    """

    root_hash: str
    algorithm: str
    key_id: str
    sequence: int
    verify_url: str
    document: str


@dataclass(frozen=True)
class SignatoryGroup:
    """A labelled run of signatories, in the order the public page shows them."""

    label: str
    signatories: tuple[Signatory, ...]


@dataclass(frozen=True)
class Document:
    """Everything that shapes one rendered document."""

    kind: str
    title: str
    letterhead: Letterhead
    version_number: int = 1
    created: datetime | None = None
    subtitle: str = ""
    addressee: str = ""
    body: str = ""
    closing: str = ""
    document_date: date | None = None
    embargo_until: datetime | None = None
    embargo_timezone: str = "UTC"
    dateline: str = ""
    media_contacts: tuple[Contact, ...] = ()
    boilerplate: str = ""
    signatory_groups: tuple[SignatoryGroup, ...] = field(default=())
    cover_note: str = ""
    # "DRAFT - NOT APPROVED", "APPROVED - NOT YET PUBLISHED", "EMBARGOED - ...": printed
    # diagonally on every page and in the header; empty for the final, public text.
    watermark: str = ""
    attestation: Attestation | None = None
    cosponsors: tuple[Cosponsor, ...] = ()

    @property
    def is_release(self) -> bool:
        return self.kind == PRESS_RELEASE

    @property
    def signatory_count(self) -> int:
        return sum(len(group.signatories) for group in self.signatory_groups)

    @property
    def individual_count(self) -> int:
        return sum(s.individual for group in self.signatory_groups for s in group.signatories)

    @property
    def signatory_count_label(self) -> str:
        """ "142 organizations", or "142 organizations and 312 individuals"."""
        people = self.individual_count
        return count_label(self.signatory_count - people, people)

    @property
    def release_line(self) -> str:
        """The embargo line ("EMBARGOED UNTIL <date time zone>") or FOR IMMEDIATE RELEASE."""
        if self.embargo_until is not None:
            local = self.embargo_until.astimezone(ZoneInfo(self.embargo_timezone))
            stamp = local.strftime("%B %-d, %Y, %-I:%M %p %Z")
            return f"EMBARGOED UNTIL {stamp}"
        return "FOR IMMEDIATE RELEASE" if self.is_release else ""

    @property
    def kind_label(self) -> str:
        return self.kind.replace("_", " ").capitalize()
