"""The demo coalition letter carries 140+ confirmed fictional signatories, grouped by scope."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from campaign.statements.models import Kind, Statement


def test_demo_letter_lists_its_signatories(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        letter = db.session.scalar(
            select(Statement).where(Statement.kind == Kind.COALITION_LETTER).order_by(Statement.id)
        )
        listed = listed_signatories(letter.id)
        slug = letter.slug
    assert len(listed) >= 140
    assert len({s.name for s in listed}) == len(listed)
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    assert f"{len(listed)} organizations" in page
    assert (
        page.index(">National <")
        < page.index(">State and local <")
        < page.index(">International <")
    )
    assert "Lantern Street Tenants Union" not in page  # pending: never listed
    assert 'max="200"' in page  # goal progress bar
