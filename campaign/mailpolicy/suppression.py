"""The suppression list: addresses that bounced permanently or complained are skipped until
staff lift them. Whether mail may go to an address is `mailpolicy.policy`'s answer, which
reads this list."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from campaign.audit.services import record
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression, SuppressionSource


def suppress(
    address: str,
    reason: str,
    distribution_id: int | None = None,
    *,
    recipient_id: int | None = None,
    source: SuppressionSource = SuppressionSource.SMTP,
    actor: object = None,
) -> bool:
    """Add `address` to the list (part of the caller's transaction); False if it was on it."""
    key = email_key(address)
    if db.session.scalar(select(Suppression.id).where(Suppression.email_key == key)):
        return False
    row = Suppression(
        email_key=key,
        email=address.strip(),
        reason=reason[:500],
        distribution_id=distribution_id,
        recipient_id=recipient_id,
        source=source,
    )
    db.session.add(row)
    db.session.flush()
    details = {"email": address, "reason": reason[:200], "source": source.value}
    record(actor, "suppression.added", row, details)
    return True


def suppressed_among(addresses: Iterable[str]) -> set[str]:
    """Which of `addresses` (as keys, lower case) are on the list."""
    keys = {email_key(address) for address in addresses}
    found: set[str] = set()
    chunk = sorted(keys)
    for start in range(0, len(chunk), 500):
        part = chunk[start : start + 500]
        found.update(
            db.session.scalars(select(Suppression.email_key).where(Suppression.email_key.in_(part)))
        )
    return found


def lift(suppression: Suppression, actor: object) -> None:
    """Take an address off the list (staff decided it works again); audited."""
    record(actor, "suppression.lifted", suppression, {"email": suppression.email})
    db.session.delete(suppression)
    db.session.commit()
