"""Recruitment: inviting organizations to sign a letter, and what became of each invitation.

invited --opens the personal link--> opened --signs--> signed; invited/opened --"we
decline"--> declined. "No answer" is not stored: it is an invitation still waiting when
sign-on has closed. Reminders go to waiting invitations only, at most once per step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, render_template
from flask_sqlalchemy.session import Session
from sqlalchemy import event, or_, select, update

from campaign import clock
from campaign.audit.services import record
from campaign.directory.models import Invitation, InvitationStatus, Organization, OrgContact
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail.models import OutgoingMail
from campaign.mail.services import SEND_TASK, queue_mail
from campaign.mailpolicy.policy import verdict
from campaign.rowcount import rowcount
from campaign.signon.models import Signature
from campaign.signon.services import accepting, settings_for
from campaign.statements.models import Statement
from campaign.tokens import make_token, read_token
from campaign.urls import external_url

INVITE = "directory-invite"
DECLINE = "directory-decline"
NO_ANSWER = "no answer"
PURPOSE = "recruitment"  # of the mails: "recruitment.invite", "recruitment.reminder"
INVITE_PURPOSE, REMINDER_PURPOSE = f"{PURPOSE}.invite", f"{PURPOSE}.reminder"


class RecruitmentError(ValueError):
    """Inviting is not possible now, in words for staff."""


@dataclass
class InviteReport:
    invited: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)
    no_contact: list[str] = field(default_factory=list)


def invite_token(invitation: Invitation, purpose: str = INVITE) -> str:
    return make_token(purpose, {"inv": invitation.id, "email": invitation.email_key})


def invitation_from(token: str, purpose: str = INVITE) -> Invitation | None:
    """The invitation a personal link names; raises TokenExpired/TokenInvalid from tokens."""
    max_age = current_app.config["DIRECTORY_INVITE_MAX_AGE"]
    data = read_token(purpose, token, max_age=max_age)
    invitation = db.session.get(Invitation, data.get("inv"))
    if invitation is None or invitation.email_key != data.get("email"):
        return None
    return invitation


def _title(statement: Statement) -> str:
    return statement.published_version.title if statement.published_version else statement.slug


def queue_invitation_mail(invitation: Invitation, statement: Statement, kind: str) -> OutgoingMail:
    """The invitation or reminder mail, with the personal sign and decline links."""
    settings = settings_for(statement.id)
    text = render_template(
        f"directory/mail/{kind}.txt",
        invitation=invitation,
        title=_title(statement),
        sign=external_url("directory_public.invited", token=invite_token(invitation)),
        decline=external_url("directory_public.decline", token=invite_token(invitation, DECLINE)),
        deadline=settings.deadline if settings else None,
        timezone=settings.deadline_timezone if settings else "UTC",
    )
    subject = {"invite": "Will you sign?", "reminder": "Reminder: will you sign?"}[kind]
    return queue_mail(
        invitation.email, f"{subject} {_title(statement)}", text, purpose=f"{PURPOSE}.{kind}"
    )


def _signers(organization: Organization) -> list[Any]:
    """Contacts who may sign for the organization; everyone on file if nobody is marked."""
    marked = [c for c in organization.contacts if c.may_sign and c.email_key]
    return marked or [c for c in organization.contacts if c.email_key]


def _taken(statement: Statement) -> set[str]:
    return set(
        db.session.scalars(
            select(Invitation.email_key).where(Invitation.statement_id == statement.id)
        )
    )


def new_invitation(
    statement: Statement, organization: Organization, contact: OrgContact, actor: Any
) -> Invitation:
    """An invitation row for one contact (flushed, so its id is known); no mail."""
    invitation = Invitation(
        statement_id=statement.id,
        organization_id=organization.id,
        contact_id=contact.id,
        contact_name=contact.name,
        email=contact.email,
        email_key=contact.email_key,
        invited_by_id=actor.id,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def invite(statement: Statement, organizations: list[Organization], actor: Any) -> InviteReport:
    """Invite each organization's signing contacts, each with a personal link, once."""
    if not accepting(statement):
        raise RecruitmentError("Open the letter for sign-on before inviting organizations.")
    report, taken, mails = InviteReport(), _taken(statement), []
    for organization in organizations:
        contacts = _signers(organization)
        if not contacts:
            report.no_contact.append(organization.name)
        for contact in contacts:
            label = f"{organization.name} ({contact.email})"
            if contact.email_key in taken:
                report.already.append(label)
                continue
            if not verdict(contact.email_key, INVITE_PURPOSE).allowed:
                report.unreachable.append(label)
                continue
            invitation = new_invitation(statement, organization, contact, actor)
            mails.append(queue_invitation_mail(invitation, statement, "invite"))
            taken.add(contact.email_key)
            report.invited.append(label)
    record(actor, "recruitment.invited", statement, {"invited": len(report.invited)})
    db.session.commit()
    for mail in mails:
        enqueue(SEND_TASK, mail.id)
    return report


def _advance(invitation: Invitation, status: InvitationStatus, **values: Any) -> bool:
    """Move a waiting invitation on; False if it already moved (a second click, a race)."""
    waiting: tuple[InvitationStatus, ...] = (InvitationStatus.INVITED, InvitationStatus.OPENED)
    if status is InvitationStatus.OPENED:
        waiting = (InvitationStatus.INVITED,)
    done = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.status.in_(waiting))
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(done) == 1


def mark_opened(invitation: Invitation) -> None:
    """The invited contact opened their personal sign link."""
    if _advance(invitation, InvitationStatus.OPENED, opened_at=clock.now()):
        db.session.commit()
        db.session.refresh(invitation)


def decline(invitation: Invitation) -> bool:
    """The organization says no; False if it has signed already."""
    if invitation.status is InvitationStatus.DECLINED:
        return True
    if not _advance(invitation, InvitationStatus.DECLINED, answered_at=clock.now()):
        db.session.rollback()
        return False
    record(None, "recruitment.declined", invitation, actor_label=invitation.email_key)
    db.session.commit()
    db.session.refresh(invitation)
    return True


def _answer(session: Any, signature: Signature) -> None:
    session.execute(
        update(Invitation)
        .where(
            Invitation.statement_id == signature.statement_id,
            Invitation.status.in_((InvitationStatus.INVITED, InvitationStatus.OPENED)),
            or_(
                Invitation.organization_id == signature.organization_id,
                Invitation.email_key == (signature.email_key or ""),
            ),
        )
        .values(status=InvitationStatus.SIGNED, answered_at=clock.now(), signature_id=signature.id)
        .execution_options(synchronize_session=False)
    )


@event.listens_for(Session, "after_flush")
def _new_signatures_answer_invitations(session: Any, flush_context: Any) -> None:
    """A new signature answers the waiting invitations of its organization (or address),
    however it was made: the personal link, the public form, an import."""
    signatures = [obj for obj in session.new if isinstance(obj, Signature)]
    if not signatures:
        return
    asked = set(
        session.scalars(
            select(Invitation.statement_id).where(
                Invitation.statement_id.in_({s.statement_id for s in signatures}),
                Invitation.status.in_((InvitationStatus.INVITED, InvitationStatus.OPENED)),
            )
        )
    )
    for signature in signatures:  # only letters with someone still waiting cost an UPDATE
        if signature.statement_id in asked:
            _answer(session, signature)


@dataclass(frozen=True)
class RecruitmentRow:
    invitation: Invitation
    label: str
    signature_status: str


def status_label(invitation: Invitation, closed: bool) -> str:
    """The status staff see; waiting invitations of a closed letter read "no answer"."""
    return NO_ANSWER if closed and invitation.waiting else invitation.status.label.lower()


def recruitment(statement: Statement) -> tuple[list[RecruitmentRow], dict[str, int]]:
    """Every invitation of the letter with its status, and how many are in each status."""
    closed = not accepting(statement)
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.statement_id == statement.id)
        .order_by(Invitation.invited_at.desc(), Invitation.id.desc())
    ).all()
    signatures = {
        s.id: s
        for s in db.session.scalars(
            select(Signature).where(
                Signature.id.in_([i.signature_id for i in invitations if i.signature_id])
            )
        )
    }
    rows = []
    counts = dict.fromkeys(["invited", "opened", "signed", "declined", NO_ANSWER], 0)
    for invitation in invitations:
        label = status_label(invitation, closed)
        counts[label] += 1
        signature = signatures.get(invitation.signature_id or 0)
        rows.append(RecruitmentRow(invitation, label, signature.status.label if signature else ""))
    return rows, counts
