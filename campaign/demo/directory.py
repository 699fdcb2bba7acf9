"""Demo coalition directory: records built from the demo letter's signatures, a few
near-duplicates to merge, and a second letter with invitations in every status.

Every name here is invented. Invitations are stored directly: the demo sends no mail.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign import clock
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.contacts.tags import encode_tags
from campaign.directory.models import (
    Invitation,
    InvitationStatus,
    Organization,
    OrgContact,
    Partner,
)
from campaign.directory.recruiting import new_invitation
from campaign.extensions import db
from campaign.signon.models import (
    OrgType,
    Scope,
    Signature,
    SignatureStatus,
    SignerKind,
    Signers,
    SignOnSettings,
)
from campaign.signon.names import normalize_name
from campaign.statements.content import Content
from campaign.statements.models import Kind, Statement
from campaign.statements.services import create_statement
from campaign.statements.workflow import Action, perform

SECOND_LETTER = Content(
    title="Fund treatment, not prisons: a letter to the Appropriations Committee",
    addressee="To the Members of the House Appropriations Committee",
    body="""\
We, the undersigned organizations, ask you to move the funds the Safer Streets Sentencing
Act would spend on new prison beds to community treatment, recovery housing and reentry
services.

Every dollar spent on treatment returns several in lower health, justice and welfare costs.
Our members can open new treatment places within months if the funding is there.""",
    closing="Respectfully,",
)
# (name, type, scope, region, contact email): near-duplicates of demo signatories.
NEAR_DUPLICATES = [
    ("Harbour Families Alliance", OrgType.NONPROFIT, Scope.NATIONAL, "DC", "info@hfa.example.org"),
    (
        "Bridgeway Foundaton",
        OrgType.NONPROFIT,
        Scope.NATIONAL,
        "DC",
        "grants@bridgeway.example.org",
    ),
    (
        "Millbrook Recovery Netwrk",
        OrgType.SERVICE_PROVIDER,
        Scope.STATE_LOCAL,
        "OH",
        "office@millbrook-recovery.example.org",
    ),
]
TAGS = {"national": ["justice", "national"], "state_local": ["local"], "international": ["global"]}
# Who on the demo letter gets which answer to the second letter's invitation.
ANSWERS = (
    [InvitationStatus.SIGNED] * 4
    + [InvitationStatus.DECLINED] * 2
    + [InvitationStatus.OPENED] * 3
    + [InvitationStatus.INVITED] * 5
)


def _tag_records() -> None:
    for organization in db.session.scalars(select(Organization)):
        tags = TAGS[organization.scope.value]
        if organization.region in ("TX", "OH"):
            tags = [*tags, "priority-state"]
        organization.tags_text = encode_tags(tags)


def _near_duplicates() -> None:
    for name, org_type, scope, region, email in NEAR_DUPLICATES:
        db.session.add(
            Organization(
                name=name,
                normalized_name=normalize_name(name),
                org_type=org_type,
                scope=scope,
                region=region,
                country="United States",
                email_domain=email.split("@")[1],
                notes="Added from a partner's spreadsheet; probably a duplicate.",
                contacts=[OrgContact(name="Demo Contact", email=email, email_key=email)],
            )
        )


def _second_letter(campaign: Campaign, editor: User, approver: User) -> Statement:
    letter = create_statement(campaign, Kind.COALITION_LETTER, SECOND_LETTER, editor)
    for action, actor in (
        (Action.SUBMIT, editor),
        (Action.APPROVE, approver),
        (Action.PUBLISH, approver),
    ):
        perform(letter, action, actor, letter.head_number)
    deadline = clock.now() + timedelta(days=12)
    db.session.add(
        SignOnSettings(
            statement_id=letter.id, open=True, deadline=deadline, goal=50, signers=Signers.BOTH
        )
    )
    db.session.commit()
    return letter


def _answer(letter: Statement, invitation: Invitation, status: InvitationStatus) -> None:
    now = clock.now()
    if status is not InvitationStatus.INVITED:
        invitation.status, invitation.opened_at = InvitationStatus.OPENED, now
    if status is InvitationStatus.DECLINED:
        invitation.status, invitation.answered_at = status, now
    if status is InvitationStatus.SIGNED:
        first = db.session.get_one(Signature, _first_signature(invitation))
        db.session.add(
            Signature(
                statement_id=letter.id,
                signed_version_id=letter.published_version_id,
                organization=first.organization,
                normalized_name=first.normalized_name,
                org_type=first.org_type,
                scope=first.scope,
                city=first.city,
                region=first.region,
                country=first.country,
                contact_name=first.contact_name,
                contact_email=first.contact_email,
                email_key=first.email_key,
                status=SignatureStatus.CONFIRMED,
                confirmed_at=now,
            )
        )


def _first_signature(invitation: Invitation) -> int:
    found = db.session.scalar(
        select(Signature.id)
        .where(Signature.organization_id == invitation.organization_id)
        .order_by(Signature.id)
    )
    assert found is not None, "the demo invites organizations that signed before"
    return found


def _invite(letter: Statement, editor: User) -> None:
    organizations = db.session.scalars(
        select(Organization)
        .where(Organization.scope == Scope.NATIONAL, Organization.merged_into_id.is_(None))
        .order_by(Organization.id)
        .limit(len(ANSWERS))
    ).all()
    for organization, status in zip(organizations, ANSWERS, strict=False):
        invitation = new_invitation(letter, organization, organization.contacts[0], editor)
        _answer(letter, invitation, status)
        db.session.flush()


# Individuals signing the second letter in their own name: (name, title, affiliation).
INDIVIDUALS = [
    ("Dr. Amara Okafor", "Addiction psychiatrist", "Lakeview General Hospital"),
    ("Rev. Thomas Heller", "Pastor", "First Street Congregation, Millbrook"),
    ("Lucía Fernández", "Professor of Criminology", "Riverbend State University"),
    ("Marcus Bell", "Peer recovery coach", ""),
    ("Hannah Lindqvist", "Public defender", "Cedar Falls County"),
    ("Samuel Osei", "", "Formerly incarcerated advocate"),
    ("Priya Raman", "Nurse practitioner", "Coalition of Free Clinics"),
    ("Jonah Whitaker", "Retired judge", ""),
]


def _individuals(letter: Statement) -> None:
    for number, (name, title, affiliation) in enumerate(INDIVIDUALS, 1):
        email = f"person{number}@people.example.org"
        db.session.add(
            Signature(
                statement_id=letter.id,
                signed_version_id=letter.published_version_id,
                kind=SignerKind.INDIVIDUAL,
                organization=name,
                normalized_name="@" + email,
                title=title,
                affiliation=affiliation,
                contact_name=name,
                contact_email=email,
                email_key=email,
                status=SignatureStatus.CONFIRMED,
                confirmed_at=clock.now(),
            )
        )


def _partners_and_comments(letter: Statement) -> None:
    """Two co-sponsors, sign-ons they brought, and "why we sign" comments (one approved)."""
    harbor = Partner(statement_id=letter.id, name="Harbor Families Alliance", code="harbor")
    clinics = Partner(statement_id=letter.id, name="Coalition of Free Clinics", code="clinics")
    db.session.add_all([harbor, clinics])
    people = db.session.scalars(
        select(Signature)
        .where(Signature.statement_id == letter.id, Signature.kind == SignerKind.INDIVIDUAL)
        .order_by(Signature.id)
    ).all()
    for signature, code in zip(people, ["harbor", "harbor", "harbor", "clinics"], strict=False):
        signature.referral_code = code
    people[0].comment = "I have treated hundreds of patients whom prison made sicker."
    people[0].comment_approved_at = clock.now()
    people[1].comment = "Our congregation visits the county jail every week."


def seed_directory(campaign: Campaign, editor: User, approver: User) -> Statement:
    """Tags, near-duplicates and the second letter's recruitment; returns that letter."""
    _tag_records()
    _near_duplicates()
    letter = _second_letter(campaign, editor, approver)
    _invite(letter, editor)
    _individuals(letter)
    db.session.flush()
    _partners_and_comments(letter)
    db.session.commit()
    return letter
