"""The impact report (page, SVG charts, PDF typeset by press/, CSV) and journalist timelines."""

from __future__ import annotations

import io
from typing import Any

from flask import Flask
from pypdf import PdfReader

from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.extensions import db
from campaign.signon.models import SignatureStatus
from tests.support import coverage as news


def _confirmed_coverage(app: Flask, client: Any, letter: dict[str, Any], sent_to: Any) -> int:
    """Two confirmed clips quoting the letter; the first written by a contact we reached."""
    with app.app_context():
        contact = Contact(
            name="Maria Ruiz",
            outlet="Valley Herald",
            email="m@vh.example",
            email_key="m@vh.example",
        )
        db.session.add(contact)
        db.session.commit()
        contact_id = contact.id
    sent_to(letter["statement_id"], letter["v2"], contact_id, news.at(18))
    campaign_id = letter["campaign_id"]
    for url, outlet, author, day, text in (
        ("https://vh.example/a", "Valley Herald", "Maria Ruiz", "2026-11-20", news.HEARING),
        (
            "https://ct.example/b",
            "Coastal Times",
            "Sam Okafor",
            "2026-11-21",
            news.HEARING + " " + news.COST_V1,
        ),
    ):
        client.post(
            f"/campaigns/{campaign_id}/coverage/new",
            data={
                "url": url,
                "outlet": outlet,
                "author": author,
                "published_on": day,
                "headline": f"Story in {outlet}",
                "region": "North",
                "text": text,
            },
        )
    return contact_id


def test_impact_report_page_charts_pdf_and_csv(
    app: Flask, client_as: Any, letter: dict[str, Any], sent_to: Any, add_signature: Any
) -> None:
    for number in range(3):
        add_signature(
            letter["statement_id"], f"Organization {number}", confirmed_at=news.at(10 + number)
        )
    add_signature(letter["statement_id"], "Pending Org", status=SignatureStatus.PENDING)
    client = client_as(Role.VIEWER)
    _confirmed_coverage(app, client_as(Role.PRESS_OFFICER), letter, sent_to)
    campaign_id = letter["campaign_id"]

    page = client.get(f"/campaigns/{campaign_id}/impact").get_data(as_text=True)
    assert "Passages quoted most" in page
    assert "(v2, 2 articles)" in page  # the hearing paragraph, quoted by both
    assert "(v1, 1 article)" in page
    for name in ("signatories", "distributions", "outlets", "dates", "regions"):
        assert f"/impact/{name}.svg" in page
        chart = client.get(f"/campaigns/{campaign_id}/impact/{name}.svg")
        assert chart.mimetype == "image/svg+xml"
        assert chart.data.lstrip().startswith(b"<?xml") and b"<svg" in chart.data
    assert client.get(f"/campaigns/{campaign_id}/impact/nope.svg").status_code == 404

    pdf = client.get(f"/campaigns/{campaign_id}/impact.pdf")
    assert pdf.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Impact report" in text
    assert "Coastal Times" in text and "Valley Herald" in text
    assert "Coalition letter on SB 12" in text

    rows = client.get(f"/campaigns/{campaign_id}/impact.csv").get_data(as_text=True).splitlines()
    assert rows[0] == "section,item,detail,value"
    assert (
        "signatories,Coalition letter opposing the Sentencing Enhancement Act,2026-11-12,3" in rows
    )
    assert "coverage by outlet,Coastal Times,,1" in rows
    assert "distribution,Coalition letter on SB 12 (v2),sent,1" in rows


def test_contact_timeline_shows_distributions_coverage_and_notes(
    app: Flask, client_as: Any, letter: dict[str, Any], sent_to: Any
) -> None:
    press = client_as(Role.PRESS_OFFICER)
    contact_id = _confirmed_coverage(app, press, letter, sent_to)
    response = press.post(
        f"/contacts/{contact_id}/notes",
        data={"noted_on": "2026-11-19", "text": "Called; runs Friday."},
    )
    assert response.status_code == 302
    page = press.get(f"/contacts/{contact_id}").get_data(as_text=True)
    order = [
        page.index(s)
        for s in (
            "Story in Valley Herald",
            "Called; runs Friday.",
            "Coalition letter on SB 12 (v2): sent",
        )
    ]
    assert order == sorted(order)  # newest first: Nov 20, Nov 19, Nov 18
    bad = press.post(
        f"/contacts/{contact_id}/notes", data={"noted_on": "", "text": ""}, follow_redirects=True
    )
    assert "A note needs a date" in bad.get_data(as_text=True)
    viewer = client_as(Role.VIEWER)
    assert (
        viewer.post(
            f"/contacts/{contact_id}/notes", data={"noted_on": "2026-11-19", "text": "x"}
        ).status_code
        == 403
    )
