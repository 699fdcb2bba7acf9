"""Journalists' personal preview links on a distribution of an embargoed release."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parseaddr

from sqlalchemy import func, select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.distribution.services import Request, create_distribution
from campaign.embargo.models import PreviewLink, PreviewOpen
from campaign.extensions import db
from campaign.statements.models import Statement
from tests.conftest import log_in
from tests.support.distribution import drain
from tests.support.embargo import LIFT, SECRET_WORDS, act
from tests.support.pdfs import pdf_text


def _send(app, embargoed, contact_list, make_user, smtp_sink):
    act(embargoed.approver, embargoed.statement_id, "publish", 1, embargo="at_lift")
    officer = make_user(Role.PRESS_OFFICER)
    list_id = contact_list(2)
    with app.app_context():
        statement = db.session.get(Statement, embargoed.statement_id)
        request = Request(statement.head.id, [list_id], "Embargoed: settlement", "p@x.example")
        dist, _ = create_distribution(request, db.session.get(User, officer.id))
        dist_id = dist.id
    drain(app, dist_id)  # eager mode may have sent already
    links = {}
    for message in smtp_sink.wait_for(2):
        text = "".join(
            part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"
        )
        found = re.search(r"http://localhost/preview/([A-Za-z0-9_-]{40,})", text)
        links[message["To"]] = found.group(1)
    return officer, links


def test_each_recipient_gets_a_personal_logged_link(
    app, embargoed, contact_list, make_user, smtp_sink, client, moment
):
    officer, links = _send(app, embargoed, contact_list, make_user, smtp_sink)
    assert len(set(links.values())) == 2
    token = next(iter(links.values()))
    page = client.get(f"/preview/{token}")
    assert page.status_code == 200
    assert SECRET_WORDS in page.text
    assert "EMBARGOED - NOT FOR PUBLICATION UNTIL" in page.text
    assert page.headers["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in page.headers["Cache-Control"]
    pdf = client.get(f"/preview/{token}/pdf")
    assert pdf.headers["Content-Disposition"].endswith("-embargoed.pdf")
    text = " ".join(pdf_text(pdf.data).split())
    assert "EMBARGOED - NOT FOR PUBLICATION UNTIL December 8, 2026, 9:00 AM CST" in text
    with app.app_context():
        link = db.session.scalar(select(PreviewLink).filter_by(token=token))
        opens = db.session.scalars(select(PreviewOpen).filter_by(link_id=link.id)).all()
        assert [o.what for o in opens] == ["page", "pdf"]
        assert opens[0].opened_at == moment.now
    staff = log_in(app.test_client(), officer)
    listing = staff.get(f"/statements/{embargoed.statement_id}/previews").text
    assert link.email in listing and "<td>2</td>" in listing


def test_revoked_link_stops_and_lifted_link_leads_to_the_public_page(
    app, embargoed, contact_list, make_user, smtp_sink, client, moment
):
    officer, links = _send(app, embargoed, contact_list, make_user, smtp_sink)
    first, second = links.values()
    staff = log_in(app.test_client(), officer)
    with app.app_context():
        link_id = db.session.scalar(select(PreviewLink.id).filter_by(token=first))
    staff.post(f"/preview-links/{link_id}/revoke")
    assert client.get(f"/preview/{first}").status_code == 404
    assert client.get("/preview/not-a-real-token").status_code == 404
    moment.at(LIFT + timedelta(minutes=1))
    after = client.get(f"/preview/{second}")
    assert after.status_code == 302
    assert after.headers["Location"].endswith(f"/s/{embargoed.slug}")
    with app.app_context():
        count = db.session.scalar(select(func.count(PreviewOpen.id)))
    assert count == 0  # openings after the lift are ordinary visits


def test_release_without_embargo_sends_no_preview_link(app, release, contact_list, distribute):
    dist_id = distribute([contact_list(1)])
    drain(app, dist_id)
    with app.app_context():
        assert db.session.scalar(select(func.count(PreviewLink.id))) == 0


def test_press_officer_only_revokes(app, embargoed, client_as):
    viewer = client_as(Role.VIEWER)
    assert viewer.post("/preview-links/1/revoke").status_code in (403, 404)
    # The list names journalists: like every recipient list, press officers and admins only.
    assert viewer.get(f"/statements/{embargoed.statement_id}/previews").status_code == 403


def test_the_journalists_timeline_shows_the_preview_they_opened(
    app, embargoed, contact_list, make_user, smtp_sink, client, moment
):
    officer, links = _send(app, embargoed, contact_list, make_user, smtp_sink)
    to, token = next(iter(links.items()))
    address = parseaddr(str(to))[1]
    assert client.get(f"/preview/{token}").status_code == 200
    with app.app_context():
        from campaign.contacts.models import Contact

        contact_id = db.session.scalar(
            select(Contact.id).where(func.lower(Contact.email) == address.lower())
        )
    page = log_in(app.test_client(), officer).get(f"/contacts/{contact_id}").text
    assert "Opened" in page and "Embargoed: settlement (v1): embargoed page opened at" in page
