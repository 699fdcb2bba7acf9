"""Who brought a story: the contact who wrote it and the distribution that sent them the text.

The contact is found by author name (case, accents and spacing aside) and, among namesakes,
by outlet. The distribution is the latest one that reached that contact with a version the
story quotes, sent before the story came out; failing a quoted version, any distribution of
the campaign's statements to that contact.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from sqlalchemy import select

from campaign.contacts.models import Contact
from campaign.coverage.matching import tokenize
from campaign.coverage.models import CoverageItem
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.statements.models import Statement

REACHED = (RecipientStatus.SENT, RecipientStatus.UNCONFIRMED)


def _key(text: str) -> str:
    """A name without case, accents or punctuation: "María  Ruiz" and "maria ruiz" agree."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(tokenize(plain).words)


def find_contact(author: str, outlet: str) -> Contact | None:
    """The contact named `author`; among several, the one at `outlet`."""
    wanted = _key(author)
    if not wanted:
        return None
    surname = wanted.split()[-1]
    # The surname narrows the query; accents are compared in Python, after folding.
    like = "".join("_" if ord(ch) > 127 else ch for ch in surname)
    candidates = [
        c
        for c in db.session.scalars(select(Contact).where(Contact.name.ilike(f"%{like[1:]}%")))
        if _key(c.name) == wanted
    ]
    at_outlet = [c for c in candidates if outlet and _key(c.outlet) == _key(outlet)]
    chosen = at_outlet or candidates
    return chosen[0] if len(chosen) == 1 or at_outlet else None


def _reached(contact_id: int, published_on: date | None) -> list[tuple[Distribution, datetime]]:
    query = (
        select(Distribution, Recipient.sent_at)
        .join(Recipient, Recipient.distribution_id == Distribution.id)
        .where(
            Recipient.contact_id == contact_id,
            Recipient.status.in_(REACHED),
            Recipient.sent_at.is_not(None),
        )
        .order_by(Recipient.sent_at.desc())
    )
    rows = [(dist, sent_at) for dist, sent_at in db.session.execute(query) if sent_at is not None]
    if published_on is not None:
        rows = [(d, s) for d, s in rows if s.date() <= published_on]
    return rows


def find_distribution(item: CoverageItem, contact_id: int) -> tuple[Distribution, datetime] | None:
    """The distribution that most likely brought the story (see the module docstring)."""
    reached = _reached(contact_id, item.published_on)
    quoted = {m.version_id for m in item.matches}
    for dist, sent_at in reached:
        if dist.version_id in quoted:
            return dist, sent_at
    statements = set(
        db.session.scalars(select(Statement.id).where(Statement.campaign_id == item.campaign_id))
    )
    for dist, sent_at in reached:
        if dist.statement_id in statements:
            return dist, sent_at
    return None


def _day(value: date | datetime) -> str:
    return f"{value:%b} {value.day}"


def summary(
    item: CoverageItem, contact: Contact, sent: tuple[Distribution, datetime] | None
) -> str:
    """One line: "Maria Ruiz, Valley Herald: received v3 on Dec 2, published Dec 3, quoted 2
    passages"."""
    parts = [f"{contact.name}, {contact.outlet}" if contact.outlet else contact.name]
    facts = []
    if sent is not None:
        facts.append(f"received v{sent[0].version.number} on {_day(sent[1])}")
    if item.published_on is not None:
        facts.append(f"published {_day(item.published_on)}")
    count = len(item.matches)
    facts.append(f"quoted {count} passage{'s' if count != 1 else ''}")
    return f"{parts[0]}: {', '.join(facts)}"[:500]


def attribute(item: CoverageItem) -> None:
    """Link the item to its author's contact and the distribution that reached them."""
    contact = find_contact(item.author, item.outlet)
    item.contact_id = contact.id if contact else None
    sent = find_distribution(item, contact.id) if contact else None
    item.distribution_id = sent[0].id if sent else None
    item.attribution = summary(item, contact, sent) if contact else ""
