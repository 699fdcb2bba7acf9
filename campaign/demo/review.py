"""Demo partner review and delivery targets: every person and address here is invented.

The press release draft goes to the two partners it quotes, who check their quotes (the
usual reason a release is shown to partners), and the letter gets the members of a
fictional committee as its targets and is delivered to them once (the emails go to the
outbox like all demo mail).
"""

from __future__ import annotations

from sqlalchemy import select

from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.review.services import Partner, add_comment, create_link, resolve_comment
from campaign.statements.models import Kind, Statement
from campaign.targets.delivery import next_sequence, request_delivery
from campaign.targets.services import TargetDetails, add_target

COMMITTEE = [
    ("Rep. Marguerite Ashdown", "Chair, House Judiciary Committee", "chair.ashdown"),
    ("Rep. Desmond Okoye", "Ranking Member, House Judiciary Committee", "rep.okoye"),
    ("Rep. Helena Brandvold", "Member, Subcommittee on Crime", "rep.brandvold"),
    ("Rep. Tomasz Kowalczyk", "Member, Subcommittee on Crime", "rep.kowalczyk"),
    ("Rep. Yvette Sarkis", "Member, House Judiciary Committee", "rep.sarkis"),
]
PARTNERS = [
    Partner("Marisol Okafor", "marisol@justiceforward.example.org"),
    Partner("Theo Lindqvist", "theo@harborfamilies.example.org"),
]
# (partner index, paragraph, comment, resolved by the editor)
COMMENTS = [
    (0, 2, "Please say “executive director” in lower case, as on our website.", True),
    (1, 4, "Could the quote end with “This bill would write more of them”? Shorter.", False),
    (1, 0, "Looks good to us otherwise; thank you for including Harbor Families.", False),
]


def _statement(campaign: Campaign, kind: Kind) -> Statement:
    found = db.session.scalars(
        select(Statement)
        .where(Statement.campaign_id == campaign.id, Statement.kind == kind)
        .order_by(Statement.id)
    ).first()
    assert found is not None, "the demo campaign holds one statement of each kind"
    return found


def seed_review_demo(campaign: Campaign, editor: User) -> None:
    """Targets and a delivery for the letter; a review link for the release with comments."""
    letter = _statement(campaign, Kind.COALITION_LETTER)
    for name, office, mailbox in COMMITTEE:
        add_target(letter, TargetDetails(name, office, f"{mailbox}@house.example.gov"), editor)
    request_delivery(letter, editor, next_sequence(letter.id))
    release = _statement(campaign, Kind.PRESS_RELEASE)
    message = "Please check the quotes attributed to you before we finalize the release."
    link = create_link(release, release.head, editor, PARTNERS, 14, message)
    for partner, paragraph, body, resolved in COMMENTS:
        comment = add_comment(link.invitees[partner], paragraph, body)
        if resolved:
            resolve_comment(comment, editor)
