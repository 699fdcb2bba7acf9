"""Partners bring signers: referral links, share step, counts; badge and QR code."""

from __future__ import annotations

import re

from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.directory.models import Partner
from campaign.extensions import db
from campaign.signon.models import Signature
from tests.test_signon_public import form, link_in, mails_to


def _codes(app, statement_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Signature.referral_code).filter_by(statement_id=statement_id)
        )
        return sorted(rows)


def test_partner_links_and_share_links_attribute_sign_ons(app, client, client_as, open_statement):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    editor.post(f"/statements/{statement_id}/partners", data={"name": "Harbor Families Alliance"})
    editor.post(f"/statements/{statement_id}/partners", data={"name": "S Street Clinic"})
    with app.app_context():
        codes = sorted(p.code for p in db.session.scalars(select(Partner)))
    assert codes == ["harbor-families-alliance", "p-s-street-clinic"]
    page = client.get(f"/s/{slug}/sign?partner=Harbor-Families-Alliance<script>")
    assert 'value="harbor-families-alliancescript"' in page.text  # cleaned, never markup
    client.post(f"/s/{slug}/sign", data=form(partner="harbor-families-alliance"))
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    confirmed = client.post(link_in(text, "confirm")).text
    share = re.search(r'id="share-url" readonly value="http://localhost([^"]+)"', confirmed)
    assert share and "partner=s-" in share.group(1)
    assert "bsky.app/intent/compose" in confirmed and "<script src=" in confirmed
    shared_page = client.get(share.group(1)).text
    code = re.search(r'name="partner" type="hidden" value="([^"]+)"', shared_page).group(1)
    client.post(
        f"/s/{slug}/sign",
        data=form(
            organization="Lakeside Clinic", contact_email="l@lakeside.example.org", partner=code
        ),
    )
    assert _codes(app, statement_id) == ["harbor-families-alliance", code]
    table = editor.get(f"/statements/{statement_id}/partners").text
    counts = re.findall(r'class="partner-count">(\d+)<', table)
    assert counts == ["1", "0", "0"]  # Harbor's listed sign-on; the share's is pending
    with app.app_context():
        db.session.execute(Signature.__table__.update().values(status="confirmed"))
        db.session.commit()
    counts = re.findall(
        r'class="partner-count">(\d+)<', editor.get(f"/statements/{statement_id}/partners").text
    )
    assert counts == ["1", "0", "1"]
    assert (
        client_as(Role.VIEWER)
        .post(f"/statements/{statement_id}/partners", data={"name": "X"})
        .status_code
        == 403
    )


def test_counter_badge_and_qr_code_are_public_svg(app, client, open_statement, add_signature):
    statement_id, slug = open_statement()
    add_signature(statement_id, "Harbor Families Alliance")
    badge = client.get(f"/s/{slug}/badge.svg")
    assert badge.mimetype == "image/svg+xml" and "1 organization signed" in badge.text
    qr = client.get(f"/s/{slug}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<path" in qr.data
    assert client.get("/s/no-such-letter/badge.svg").status_code == 404


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "#1f5fa8").save(buffer, format="PNG")
    return buffer.getvalue()


def test_cosponsor_logos_appear_on_the_public_page(app, client, client_as, open_statement):
    import io

    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    editor.post(
        f"/statements/{statement_id}/partners",
        data={"name": "Harbor Families Alliance", "logo": (io.BytesIO(_png()), "logo.png")},
    )
    refused = editor.post(
        f"/statements/{statement_id}/partners",
        data={"name": "Bad Logo Org", "logo": (io.BytesIO(b"<svg onload=x>"), "x.png")},
        follow_redirects=True,
    )
    assert "Bad Logo Org" not in refused.text.split("Listed sign-ons")[1]
    with app.app_context():
        partner = db.session.scalar(select(Partner))
    public = client.get(f"/s/{slug}").text
    assert "Co-sponsored by" in public and "Harbor Families Alliance" in public
    logo = client.get(f"/s/{slug}/cosponsors/{partner.id}/logo")
    assert logo.mimetype == "image/png" and logo.data.startswith(b"\x89PNG")
    assert client.get(f"/s/{slug}/cosponsors/{partner.id + 1}/logo").status_code == 404


def test_cosponsors_are_printed_under_the_letter_title_with_their_logos(
    app, client_as, open_statement
):
    import io

    from pypdf import PdfReader

    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    from PIL import Image

    for name, colour in (
        ("Harbor Families Alliance", "navy"),
        ("Riverbend Recovery Network", "teal"),
    ):
        logo = io.BytesIO()
        Image.new("RGB", (40, 20), colour).save(logo, "PNG")
        data = {"name": name, "logo": (io.BytesIO(logo.getvalue()), "logo.png")}
        editor.post(f"/statements/{statement_id}/partners", data=data)
    pdf = editor.get(f"/statements/{statement_id}/versions/1/pdf")
    reader = PdfReader(io.BytesIO(pdf.data))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Co-sponsored by" in text or "CO-SPONSORED BY" in text
    assert "Harbor Families Alliance" in text and "Riverbend Recovery Network" in text
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2  # the two co-sponsors' logos
