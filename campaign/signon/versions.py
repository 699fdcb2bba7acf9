"""What happens to signatures when a new version of a signed statement is published.

Staff choose: a minor edit carries every signature over to the new version; a material
change leaves each signature on the version it was given for and asks the signer (by a
Celery task, see workers/signon.py) to reconfirm. Until they do, the public list shows them
as having signed the earlier version.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, func, select, update

from campaign import clock
from campaign.audit.services import record
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail.models import OutgoingMail
from campaign.mail.services import dispatch
from campaign.rowcount import rowcount
from campaign.signon import mails
from campaign.signon.listing import listed_statuses, requires_approval
from campaign.signon.models import Signature, SignatureStatus
from campaign.statements.models import Statement, StatementVersion

RECONFIRM_TASK = "signon.request_reconfirmations"
LIVE = (SignatureStatus.PENDING, SignatureStatus.CONFIRMED, SignatureStatus.APPROVED)


class SignatureChange(LabeledEnum):
    MINOR = "minor"
    MATERIAL = "material"

    @property
    def label(self) -> str:
        if self is SignatureChange.MINOR:
            return "Minor edit: signatures carry over"
        return "Material change: ask signers to reconfirm"


class ChoiceNeeded(ValueError):
    """Publishing would change the text under existing signatures and staff did not choose."""


def _behind(statement_id: int, version_id: int, statuses: Any = LIVE) -> list[Any]:
    return [
        Signature.statement_id == statement_id,
        Signature.status.in_(statuses),
        Signature.signed_version_id != version_id,
    ]


def _listed(statement_id: int) -> frozenset[SignatureStatus]:
    return listed_statuses(requires_approval(statement_id))


def signatures_behind(statement: Statement) -> int:
    """Publicly listed signatures given for another version than the head (about to be
    published): the same count the public page shows, and the signers a material change asks."""
    behind = _behind(statement.id, statement.head.id, _listed(statement.id))
    return db.session.scalars(select(func.count()).select_from(Signature).where(*behind)).one()


def apply_on_publish(statement: Statement, change: str | None, actor: object) -> None:
    """Called by the statement workflow before it commits a publication.

    Raises ChoiceNeeded (before anything changed) when signatures exist and `change` is
    neither "minor" nor "material".
    """
    count = signatures_behind(statement)
    if count == 0:
        return
    try:
        chosen = SignatureChange(change or "")
    except ValueError as error:
        raise ChoiceNeeded(
            f"{count} signature{'s' if count != 1 else ''} were given for an earlier version: "
            "choose whether this is a minor edit or a material change."
        ) from error
    head = statement.head
    awaiting = Signature.reconfirm_version_id.is_not(None)
    ask_again = {"reconfirm_version_id": head.id, "reconfirm_requested_at": None}
    if chosen is SignatureChange.MINOR:
        # Only signers of the current text carry over; signers still asked to reconfirm a
        # material change did not agree to it, so they are asked about the newest text.
        _update(statement.id, head.id, ~awaiting, {"signed_version_id": head.id})
        asked = _update(statement.id, head.id, awaiting, ask_again)
    else:  # only listed (confirmed) signers are asked; unconfirmed ones confirm what they signed
        asked = _update(statement.id, head.id, None, ask_again, _listed(statement.id))
    details = {"version": head.number, "signatures": count, "asked_to_reconfirm": asked}
    record(actor, f"signatures.{chosen.value}_change", statement, details)
    if asked:
        _enqueue_after_commit(statement.id)


def _update(
    statement_id: int,
    head_id: int,
    condition: Any,
    values: dict[str, Any],
    statuses: Any = LIVE,
) -> int:
    extra = [condition] if condition is not None else []
    conditions = _behind(statement_id, head_id, statuses) + extra
    result = db.session.execute(
        update(Signature)
        .where(*conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


def _enqueue_after_commit(statement_id: int) -> None:
    """The task must see the committed rows, so it is sent only once the commit happened."""
    session = db.session()

    def send(_: object) -> None:
        enqueue(RECONFIRM_TASK, statement_id)

    event.listen(session, "after_commit", send, once=True)


def request_reconfirmations(statement_id: int, batch: int = 200) -> int:
    """Queue one reconfirmation mail per signature that awaits one; safe to run twice.

    Each signature is claimed by a conditional UPDATE on `reconfirm_requested_at`, so two
    runs never mail the same signer twice.
    """
    sent = 0
    while True:
        waiting = db.session.scalars(
            select(Signature)
            .where(
                Signature.statement_id == statement_id,
                Signature.status.in_(LIVE),
                Signature.reconfirm_version_id.is_not(None),
                Signature.reconfirm_requested_at.is_(None),
            )
            .limit(batch)
        ).all()
        if not waiting:
            return sent
        queued = [mail for mail in map(_claim_and_queue, waiting) if mail is not None]
        db.session.commit()
        for mail in queued:
            dispatch(mail)
        sent += len(queued)


def _claim_and_queue(signature: Signature) -> OutgoingMail | None:
    claimed = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.reconfirm_requested_at.is_(None))
        .values(reconfirm_requested_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        return None
    version = db.session.get_one(StatementVersion, signature.reconfirm_version_id)
    return mails.queue_reconfirmation(signature, version)


def statements_awaiting_reconfirmation() -> list[int]:
    """Statements with reconfirmations not yet mailed (their task was lost)."""
    return list(
        db.session.scalars(
            select(Signature.statement_id)
            .where(
                Signature.reconfirm_version_id.is_not(None),
                Signature.reconfirm_requested_at.is_(None),
                Signature.status.in_(LIVE),
            )
            .distinct()
        )
    )


def reconfirm(signature: Signature, version_id: object) -> bool:
    """Move a signature to the version its signer just confirmed; False if out of date."""
    pending = signature.reconfirm_version_id
    if signature.status not in LIVE or pending is None or pending != version_id:
        return signature.signed_version_id == version_id and signature.status in LIVE
    signature.signed_version_id, signature.reconfirm_version_id = pending, None
    record(
        None,
        "signature.reconfirmed",
        signature,
        {"version_id": version_id},
        actor_label=signature.email_key or "signer",
    )
    db.session.commit()
    return True
