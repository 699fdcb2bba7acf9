"""What a bounce does: a permanent bounce or a complaint marks the recipient row "bounced"
with the diagnostic and puts the address on the suppression list, linked to the message; a
temporary bounce is noted on the row and audited, and suppresses nobody.

Every function is safe to run twice on the same notification (mailbox readers retry).
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from campaign.audit.services import record
from campaign.bounces.parse import Bounce, Kind
from campaign.distribution.models import Recipient, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.models import SuppressionSource
from campaign.mailpolicy.suppression import suppress

log = logging.getLogger(__name__)
DELIVERED = (RecipientStatus.SENT, RecipientStatus.UNCONFIRMED)


def _row(bounce: Bounce, trust_address: bool) -> Recipient | None:
    """The recipient row the bounce is about: by its VERP tag (signed, so trusted even when
    a forwarding server reports another final address), else (when the source is trusted)
    the latest delivered row of that address. With VERP on, anyone can mail a DSN naming
    any address, so untagged mailbox bounces are ignored."""
    if bounce.recipient_id is not None:
        return db.session.get(Recipient, bounce.recipient_id)
    if not bounce.address or not trust_address:
        return None
    query = (
        select(Recipient)
        .where(Recipient.email == bounce.address.strip(), Recipient.status.in_(DELIVERED))
        .order_by(Recipient.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def apply(bounce: Bounce, trust_address: bool = False) -> str:
    """Record one bounce; returns what happened, for logs and the webhook's answer.

    `trust_address`: the source is authenticated (the signed webhook) or VERP is off, so a
    bounce without a recipient tag may be matched by its address."""
    row = _row(bounce, trust_address)
    if row is None:
        log.info("bounce for no known message: %s %s", bounce.kind, bounce.address)
        return "unknown"
    diagnostic = f"{bounce.kind.value} bounce: {bounce.diagnostic}"[:500]
    if bounce.kind is Kind.SOFT:
        db.session.execute(
            update(Recipient)
            .where(Recipient.id == row.id, Recipient.status.in_(DELIVERED))
            .values(reason=diagnostic)
            .execution_options(synchronize_session=False)
        )
        record(None, "distribution.soft_bounce", row, {"diagnostic": diagnostic[:200]})
        db.session.commit()
        return "soft"
    if bounce.kind is Kind.COMPLAINT:
        diagnostic = "complaint: the recipient reported it as spam"
    db.session.execute(
        update(Recipient)
        .where(Recipient.id == row.id, Recipient.status.in_(DELIVERED))
        .values(status=RecipientStatus.BOUNCED, reason=diagnostic)
        .execution_options(synchronize_session=False)
    )
    source = (
        SuppressionSource.COMPLAINT if bounce.kind is Kind.COMPLAINT else SuppressionSource.BOUNCE
    )
    suppress(row.email, diagnostic, row.distribution_id, recipient_id=row.id, source=source)
    db.session.commit()
    return bounce.kind.value


def apply_all(bounces: list[Bounce], trust_address: bool = False) -> list[str]:
    return [apply(bounce, trust_address) for bounce in bounces]
