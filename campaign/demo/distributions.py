"""Demo data: one finished distribution of the published letter, so the progress page, the
report and the suppression list have something real to show."""

from __future__ import annotations

from sqlalchemy import select

from campaign.auth.models import User
from campaign.contacts.models import ContactList
from campaign.distribution import engine
from campaign.distribution.models import Distribution
from campaign.distribution.services import Request, create_distribution
from campaign.extensions import db
from campaign.statements.models import Statement

DEMO_LIST = "Statehouse press corps"


def seed_distribution(officer: User, letter: Statement) -> None:
    """Send the letter to the demo list through the configured mail backend, once."""
    lst = db.session.scalar(select(ContactList).where(ContactList.name == DEMO_LIST))
    if lst is None or db.session.scalar(select(Distribution.id).limit(1)) is not None:
        return
    version = letter.published_version
    assert version is not None, "the demo letter is published before it is sent"
    request = Request(
        version_id=version.id,
        list_ids=[lst.id],
        subject=f"Coalition letter: {version.title}",
        reply_to=officer.email,
    )
    dist, _ = create_distribution(request, officer)
    for _ in range(100):  # a worker may be sending too; the claims keep it to one copy each
        if engine.step(dist.id).endswith(("finished", "stopped")):
            return
