"""The one answer to "may this mail go to this address, and if not, why not".

The rules, in order: mail the addressee asked for a moment ago (confirming their own
signature, a password link) always goes; otherwise an unsubscribed contact, a do-not-contact
contact and an address on the suppression list are refused, each with its reason. Single
mails ask at send time, recruitment before queueing, distributions at planning and again at
each batch (they read the contact flags in their own batch query and pass them in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from campaign.contacts.models import Contact
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.mailpolicy.suppression import suppressed_among

# Purposes (OutgoingMail.purpose prefixes) of mail the addressee has just asked for: it goes
# out even to an address on the do-not-contact or suppression list.
REQUESTED_BY_ADDRESSEE = ("signon.", "auth.")
DISTRIBUTION = "distribution"

UNSUBSCRIBED = "unsubscribed"
DO_NOT_CONTACT = "do not contact"
SUPPRESSED = "address on the suppression list"


@dataclass(frozen=True, slots=True)
class Standing:
    """What the lists say about one address."""

    unsubscribed: bool = False
    do_not_contact: bool = False
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """Allowed, or refused with the reason shown to staff and written on the row."""

    allowed: bool
    reason: str = ""


ALLOWED = Verdict(True)


def requested_by_addressee(purpose: str) -> bool:
    """Whether mail of this purpose answers the addressee's own request."""
    return purpose.startswith(REQUESTED_BY_ADDRESSEE)


def judge(standing: Standing, purpose: str) -> Verdict:
    """The rule itself, on what is already known about the address."""
    if requested_by_addressee(purpose):
        return ALLOWED
    if standing.unsubscribed:
        return Verdict(False, UNSUBSCRIBED)
    if standing.do_not_contact:
        return Verdict(False, DO_NOT_CONTACT)
    if standing.suppressed:
        return Verdict(False, SUPPRESSED)
    return ALLOWED


def standings(addresses: Iterable[str]) -> dict[str, Standing]:
    """The standing of each address, by its email key, in two queries per 500 addresses."""
    keys = sorted({email_key(address) for address in addresses})
    suppressed = suppressed_among(keys)
    flags: dict[str, tuple[bool, bool]] = {}
    for start in range(0, len(keys), 500):
        query = select(Contact.email_key, Contact.unsubscribed_at, Contact.do_not_contact).where(
            Contact.email_key.in_(keys[start : start + 500])
        )
        for key, unsubscribed_at, do_not_contact in db.session.execute(query):
            flags[key] = (unsubscribed_at is not None, do_not_contact)
    return {
        key: Standing(*flags.get(key, (False, False)), suppressed=key in suppressed) for key in keys
    }


def verdicts(addresses: Iterable[str], purpose: str) -> dict[str, Verdict]:
    """The verdict on each address (by email key) for mail of `purpose`."""
    return {key: judge(standing, purpose) for key, standing in standings(addresses).items()}


def verdict(address: str, purpose: str) -> Verdict:
    """May mail of `purpose` go to `address`? Allowed, or refused with the reason."""
    return verdicts([address], purpose)[email_key(address)]
