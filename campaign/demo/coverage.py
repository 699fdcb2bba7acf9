"""Demo data: coverage of the demo letter (fictional stories by the fictional journalists who
received it), three confirmed items, one shown in the newsroom, and one candidate waiting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from campaign import clock
from campaign.auth.models import User
from campaign.contacts.models import Contact
from campaign.coverage import services
from campaign.coverage.extract import excerpt_of
from campaign.coverage.models import CoverageItem, CoverageSource, CoverageStatus
from campaign.coverage.services import ItemFields
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.signon.models import Signature, SignatureStatus
from campaign.statements.models import Statement

EVIDENCE = (
    "Decades of research show that the length of a sentence does little to deter drug selling, "
    "while the certainty of treatment and support reduces harm."
)
JUDGES = (
    "When a charge carries a fixed minimum, the charging decision becomes the sentence, and the "
    "person in court loses the chance to be judged as an individual."
)
WHITFIELD = (
    "Nobody in our programs got well because a sentence got longer. They got well because "
    "someone offered help and kept offering it."
)
FAMILIES = (
    "They see every day what long sentences do to families: children placed in care, jobs and "
    "housing lost, and people returning home with fewer supports than when they left."
)


def _story(lead: str, *paragraphs: str) -> str:
    return "\n\n".join((lead, *paragraphs))


def _reached_contacts(letter: Statement, count: int) -> list[Contact]:
    query = (
        select(Contact)
        .join(Recipient, Recipient.contact_id == Contact.id)
        .join(Distribution, Distribution.id == Recipient.distribution_id)
        .where(Distribution.statement_id == letter.id, Recipient.status == RecipientStatus.SENT)
        .order_by(Contact.id)
        .limit(count)
    )
    return list(db.session.scalars(query))


def _signatories(letter: Statement, count: int) -> list[str]:
    query = (
        select(Signature.organization)
        .where(Signature.statement_id == letter.id, Signature.status == SignatureStatus.CONFIRMED)
        .order_by(Signature.id)
        .limit(count)
    )
    return list(db.session.scalars(query))


def seed_coverage(letter: Statement, officer: User) -> None:
    """Add the demo coverage once (nothing if the campaign already has some)."""
    if db.session.scalar(
        select(CoverageItem.id).where(CoverageItem.campaign_id == letter.campaign_id)
    ):
        return
    reporters = _reached_contacts(letter, 2)
    orgs = _signatories(letter, 2) or ["a coalition member"]
    day = (letter.published_at or clock.now()).date()
    stories = [
        (
            "https://valleyherald.example/politics/coalition-sentencing-letter",
            reporters[0] if reporters else None,
            "More than 140 groups urge Congress to reject sentencing bill",
            "Mid-Atlantic",
            _story(
                f"More than 140 organizations, among them {orgs[0]}, sent a letter to the House "
                "Judiciary Committee this week opposing the Safer Streets Sentencing Act.",
                f"“{EVIDENCE}” the letter says.",
                f"Dana Whitfield of the Riverbend Recovery Network put it plainly: “{WHITFIELD}”",
            ),
        ),
        (
            "https://metrodaily.example/news/judges-prosecutors-sentencing",
            reporters[1] if len(reporters) > 1 else None,
            "Coalition says sentencing bill hands power to prosecutors",
            "Northeast",
            _story(
                "Treatment and legal-aid groups say the bill would shift power in the courtroom.",
                f"“{JUDGES}” they wrote, adding that “{EVIDENCE.lower()}”",
            ),
        ),
        (
            "https://riverbendradio.example/evening/2026-sentencing",
            None,
            "Evening report: families and the sentencing debate",
            "Midwest",
            _story(
                f"Service providers including {orgs[-1]} joined the coalition letter.",
                f"Members “{FAMILIES}”",
            ),
        ),
    ]
    items = []
    for url, reporter, headline, region, text in stories:
        fields = ItemFields(
            url=url,
            outlet=reporter.outlet if reporter else "Riverbend Community Radio",
            headline=headline,
            author=reporter.name if reporter else "",
            published_on=day,
            excerpt=excerpt_of(text),
            language="en",
            region=region,
        )
        items.append(services.add_manual(letter.campaign, fields, text, officer))
    services.set_public(items[0], True, officer)
    _waiting_candidate(letter, day)


def _waiting_candidate(letter: Statement, day: date) -> None:
    """A story a feed found that changes a word of the quotation: waiting for review."""
    text = _story(
        "A national alliance of clinics weighed in on the sentencing debate on Thursday.",
        "Decades of research show that the length of a prison term does little to deter drug "
        "selling, while the certainty of treatment and support reduces harm, the groups wrote.",
    )
    item = CoverageItem(
        campaign_id=letter.campaign_id,
        url="https://statewire.example/2026/clinics-sentencing",
        outlet="State Wire",
        headline="Clinics join call to drop mandatory minimums",
        author="Robin Vance",
        published_on=day,
        language="en",
        text=text,
        excerpt=excerpt_of(text),
        status=CoverageStatus.CANDIDATE,
        source=CoverageSource.FEED,
    )
    db.session.add(item)
    services.apply_matches(item, text)
    db.session.commit()
