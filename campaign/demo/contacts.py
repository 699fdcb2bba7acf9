"""Demo media contacts and lists: fictional journalists at fictional outlets.

Phone numbers are in the 555-0100 to 555-0199 range, which is reserved for fiction; every
address is on a `.example` domain, which can never receive mail.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select

from campaign import clock
from campaign.auth.models import User
from campaign.contacts.lists import add_members, create_list
from campaign.contacts.models import Contact, ListKind
from campaign.contacts.services import create_contact
from campaign.extensions import db

OUTLETS = [
    ("The Riverton Ledger", "ledger.example", "Riverton", "(312) 555-01"),
    ("Capitol Dispatch", "dispatch.example", "Lakeport", "(202) 555-01"),
    ("Harbor Public Radio", "hpr.example", "Port Amity", "(617) 555-01"),
    ("Valley Evening News (TV)", "valley-tv.example", "Brookfield", "(415) 555-01"),
    ("The Civic Wire", "civicwire.example", "Lakeport", "(202) 555-01"),
    ("Northfield Courier", "courier.example", "Northfield", "(612) 555-01"),
]
FIRST = ["Maya", "Tomás", "Priya", "Jonah", "Lena", "Kwame", "Aiko", "Rafael", "Ingrid",
         "Dario", "Noor", "Colette"]  # fmt: skip
LAST = ["Okafor", "Rivera", "Raman", "Weiss", "Sørensen", "Mensah", "Tanaka", "Duarte",
        "Lindqvist", "Moretti", "Haddad", "Beaumont"]  # fmt: skip
BEATS = [
    ("Statehouse reporter", "politics, statehouse"),
    ("Criminal justice", "justice, national"),
    ("Health editor", "health"),
    ("Climate and energy", "climate"),
    ("Producer", "justice"),
    ("Assignment desk", "local"),
]
BROADCAST = {"Harbor Public Radio": "radio", "Valley Evening News (TV)": "tv"}


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ø", "o"))
    return folded.encode("ascii", "ignore").decode().lower()


def _rows() -> list[dict[str, str]]:
    rows = []
    for i in range(len(OUTLETS) * len(BEATS)):
        outlet, domain, city, phone = OUTLETS[i // len(BEATS)]
        beat, tags = BEATS[i % len(BEATS)]
        first, last = FIRST[i % 12], LAST[(5 * i + i // 12) % 12]
        extra = BROADCAST.get(outlet, "")
        rows.append(
            {
                "name": f"{first} {last}",
                "email": f"{_ascii(first)}.{_ascii(last)}@{domain}",
                "outlet": outlet,
                "beat": beat,
                "phone": f"{phone}{i + 10:02d}",
                "city": city,
                "tags": f"{tags}, {extra}" if extra else tags,
            }
        )
    return rows


def seed_contacts(author: User) -> None:
    """Thirty-six contacts and three lists, once; running it again changes nothing."""
    if db.session.scalar(select(Contact.id).limit(1)) is not None:
        return
    ids = [create_contact(row, author).id for row in _rows()]
    db.session.get_one(Contact, ids[7]).do_not_contact = True
    db.session.get_one(Contact, ids[20]).unsubscribed_at = clock.now()
    db.session.commit()
    statehouse = create_list(
        "Statehouse press corps", ListKind.STATIC, author, "Reporters who cover the legislature."
    )
    add_members(statehouse, ids[::6] + ids[1::6], author)
    create_list("Climate desk", ListKind.FILTER, author, "Everyone tagged climate.", "climate")
    create_list("Broadcast", ListKind.FILTER, author, "Radio and TV.", "radio, tv", match_all=False)
