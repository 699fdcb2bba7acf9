"""Preparing a delivery: the PDF and CSV, the record of what is sent, one email per target.

The task renders the PDF and the CSV outside any write transaction, then in one transaction
claims the delivery (conditional UPDATE from `preparing`), records what is delivered and
queues one email per target. A task that runs twice, or concurrently, finds nothing to
claim; a worker that dies before the commit leaves the row `preparing` for the periodic
sweep to enqueue again. The emails themselves go through the single-mail queue, whose own
claim makes each one leave at most once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import render_template
from sqlalchemy import update

from campaign import clock
from campaign.attest.models import SignedRoot
from campaign.attest.services import delivery_root, insert
from campaign.audit.services import record
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.mail.services import dispatch, queue_mail
from campaign.pdfs.services import RenderedPdf, pdf_for_version
from campaign.rowcount import rowcount
from campaign.signon.listing import ListedSignatory, listed_signatories, signatories_csv
from campaign.targets.delivery import DeliveryError
from campaign.targets.models import Delivery, DeliveryRecipient, DeliveryStatus, Target
from campaign.targets.services import targets_of
from press.plaintext import markdown_to_text

RENDER_ATTEMPTS = 3


def cover_note(count: int) -> str:
    """The line on the PDF's cover that tells the target how many signed."""
    return f"Signed by {count:,} organization{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Package:
    """What every target of one delivery receives."""

    signatories: list[ListedSignatory]
    pdf: RenderedPdf
    csv: bytes
    root: SignedRoot


def _package(delivery: Delivery) -> Package:
    """The PDF and CSV of one and the same signatory list.

    The list is read again after rendering; if a signature arrived meanwhile the PDF is
    rendered again, so the recorded set is exactly the one printed. The PDF carries the
    delivery's signed root (campaign/attest), which is stored with the delivery's record.
    """
    signatories = listed_signatories(delivery.statement_id)
    for _ in range(RENDER_ATTEMPTS):
        if not signatories:
            raise DeliveryError("No organization is listed as a signatory any more.")
        root = _root(delivery, signatories)
        pdf = pdf_for_version(
            delivery.version_id,
            cover_note=cover_note(len(signatories)),
            listed=signatories,
            root=root,
        )
        current = listed_signatories(delivery.statement_id)
        if [s.id for s in current] == [s.id for s in signatories]:
            return Package(signatories, pdf, signatories_csv(signatories), root)
        signatories = current
    raise DeliveryError("The signatory list kept changing during rendering; try again.")


def _root(delivery: Delivery, signatories: list[ListedSignatory]) -> SignedRoot:
    version = delivery.version
    ids = [s.id for s in signatories]
    return delivery_root(version.statement, version, ids, delivery.sequence)


def prepare_delivery(delivery_id: int) -> int:
    """Render, record and queue the emails of a preparing delivery; the number queued.

    Returns 0 when there is nothing to do (already prepared, by this or another worker).
    """
    for _ in range(RENDER_ATTEMPTS):
        delivery = db.session.get(Delivery, delivery_id)
        if delivery is None or delivery.status is not DeliveryStatus.PREPARING:
            return 0
        try:
            package = _package(delivery)
        except DeliveryError as error:
            _fail(delivery_id, str(error))
            return 0
        db.session.commit()  # end the read transaction so the claim below waits for any writer
        claimed = _claim(delivery_id, package)
        if claimed and _chain(delivery_id, package.root):
            return _send_all(delivery_id, package)
        db.session.rollback()
        if not claimed:
            return 0
    _fail(delivery_id, "The letter's signed list kept changing during the delivery; try again.")
    return 0


def _chain(delivery_id: int, root: SignedRoot) -> bool:
    """Add the delivery's signed root; False if another root extended the chain meanwhile
    (the PDF names the root it follows, so it is rendered again)."""
    root.delivery_id = delivery_id
    return insert(root)


def _send_all(delivery_id: int, package: Package) -> int:
    delivery = db.session.get_one(Delivery, delivery_id, populate_existing=True)
    mails = [_queue_for(delivery, target, package) for target in _targets(delivery)]
    record(
        None,
        "delivery.sent",
        delivery,
        {
            "version_id": delivery.version_id,
            "signatory_count": delivery.signatory_count,
            "targets": len(mails),
            "pdf_sha256": delivery.pdf_sha256,
            "root_hash": package.root.root_hash,
            "root_sequence": package.root.sequence,
        },
    )
    db.session.commit()
    for mail in mails:
        dispatch(mail)
    return len(mails)


def _targets(delivery: Delivery) -> list[Target]:
    """The targets staff chose (all of them for a deadline delivery)."""
    targets = targets_of(delivery.statement_id)
    if delivery.target_ids is None:
        return targets
    return [target for target in targets if target.id in set(delivery.target_ids)]


def default_cover_message(count: int) -> str:
    """The editable message above the letter text; the greeting is added per target."""
    plural = "" if count == 1 else "s"
    return (
        f"On behalf of the {count:,} organization{plural} that signed it, we deliver the "
        "letter below. It is attached as a PDF with the full list of signatories, and as a "
        "CSV file listing the same organizations, one a row, for your records.\n\n"
        "Thank you for your attention."
    )


def _claim(delivery_id: int, package: Package) -> bool:
    csv_sha256 = hashlib.sha256(package.csv).hexdigest()
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PREPARING)
        .values(
            status=DeliveryStatus.SENDING,
            prepared_at=clock.now(),
            signatory_ids=[s.id for s in package.signatories],
            signatory_names=[s.name for s in package.signatories],
            signatory_count=len(package.signatories),
            pdf_filename=package.pdf.filename,
            pdf_sha256=package.pdf.sha256,
            pdf_data=package.pdf.data,
            csv_sha256=csv_sha256,
            csv_data=package.csv,
        )
        .execution_options(synchronize_session=False)
    )
    return rowcount(claimed) == 1


def _fail(delivery_id: int, reason: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PREPARING)
        .values(status=DeliveryStatus.FAILED, error=reason[:500])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def csv_filename(delivery: Delivery) -> str:
    return delivery.pdf_filename.removesuffix(".pdf") + "-signatories.csv"


def _queue_for(delivery: Delivery, target: Target, package: Package) -> OutgoingMail:
    version = delivery.version
    text = render_template(
        "targets/delivery_email.txt",
        target=target,
        version=version,
        delivery=delivery,
        cover=delivery.cover_message or default_cover_message(delivery.signatory_count),
        letter=markdown_to_text(version.body),
        closing=markdown_to_text(version.closing) if version.closing else "",
    )
    mail = queue_mail(
        target.email,
        version.title,
        text,
        purpose="targets.delivery",
        reply_to=delivery.requested_by.email if delivery.requested_by else "",
        attachments=[
            (package.pdf.filename, "application/pdf", package.pdf.data),
            (csv_filename(delivery), "text/csv", package.csv),
        ],
    )
    db.session.flush()
    db.session.add(
        DeliveryRecipient(
            delivery_id=delivery.id,
            target_id=target.id,
            name=target.name,
            office=target.office,
            email=target.email,
            mail_id=mail.id,
        )
    )
    return mail
