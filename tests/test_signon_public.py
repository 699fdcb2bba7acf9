"""The public sign-on form: signing, confirming, duplicates, withdrawal, and bad input."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from PIL import Image

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.signon.listing import listed_signatories
from campaign.signon.models import Signature, SignatureStatus, SignOnSettings


def form(**overrides):
    data = {
        "organization": "Riverbend Recovery Network",
        "org_type": "service_provider",
        "scope": "state_local",
        "city": "Millbrook",
        "region": "OH",
        "country": "United States",
        "website": "https://riverbend.example.org",
        "contact_name": "Dana Whitfield",
        "contact_email": "dana@riverbend.example.org",
        "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def mails_to(app, address):
    with app.app_context():
        return [
            (m.purpose, m.text_body)
            for m in db.session.query(OutgoingMail)
            .filter_by(to_address=address)
            .order_by(OutgoingMail.id)
        ]


def link_in(text, kind):
    return re.search(rf"http://localhost(/signon/{kind}/\S+)", text).group(1)


def signatures(app, statement_id):
    with app.app_context():
        return db.session.query(Signature).filter_by(statement_id=statement_id).all()


def test_sign_confirm_and_appear_on_the_public_list(app, client, open_statement):
    statement_id, slug = open_statement()
    page = client.get(f"/s/{slug}/sign")
    assert page.status_code == 200
    assert b"We, the undersigned, oppose the bill." in page.data
    response = client.post(f"/s/{slug}/sign", data=form())
    assert b"please check your email" in response.data
    [signature] = signatures(app, statement_id)
    assert signature.status is SignatureStatus.PENDING
    assert b"Riverbend" not in client.get(f"/s/{slug}").data
    [(purpose, text)] = mails_to(app, "dana@riverbend.example.org")
    assert purpose == "signon.confirm"
    confirmed = client.post(link_in(text, "confirm"))
    assert b"Riverbend Recovery Network has signed" in confirmed.data
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "Riverbend Recovery Network" in public
    assert "1 organization<" in public
    # the confirmed mail carries the withdraw link
    purposes = [p for p, _ in mails_to(app, "dana@riverbend.example.org")]
    assert purposes == ["signon.confirm", "signon.confirmed"]


def test_confirming_twice_is_harmless(app, client, open_statement):
    statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    link = link_in(text, "confirm")
    assert client.post(link).status_code == 200
    assert client.post(link).status_code == 200
    assert len(mails_to(app, "dana@riverbend.example.org")) == 2
    with app.app_context():
        assert len(listed_signatories(statement_id)) == 1


def _page_text(response) -> str:
    """The visible message, without the form's per-request token."""
    return re.sub(r'name="csrf_token"[^>]*', "", response.get_data(as_text=True))


def test_a_duplicate_gets_the_same_answer_the_mail_tells_and_staff_see_the_flag(
    app, client, open_statement
):
    statement_id, slug = open_statement()
    first = client.post(f"/s/{slug}/sign", data=form())
    organization = "The Riverbend Recovery Network, Inc."
    again = client.post(
        f"/s/{slug}/sign", data=form(organization=organization, contact_email="x@example.org")
    )
    fresh = client.post(
        f"/s/{slug}/sign", data=form(organization=organization, contact_email="x@example.org")
    )
    assert again.status_code == first.status_code == 200
    assert "please check your email" in _page_text(again)
    assert "already" not in _page_text(again)
    assert _page_text(again) == _page_text(fresh)
    [signature] = signatures(app, statement_id)
    assert signature.duplicate_attempts == 2
    assert "x@example.org" in signature.flag
    [(purpose, text), _] = mails_to(app, "x@example.org")
    assert purpose == "signon.already_listed" and "already on file" in text
    assert "/signon/withdraw/" not in text  # not the contact on file: no withdrawal link
    client.post(f"/s/{slug}/sign", data=form(organization="Another Name Entirely"))
    assert len(signatures(app, statement_id)) == 1
    purpose, text = mails_to(app, "dana@riverbend.example.org")[-1]
    assert purpose == "signon.already_listed" and "/signon/withdraw/" in text


def test_public_forms_mail_one_address_a_limited_number_of_times(app, client, open_statement):
    app.config["SIGNON_MAILS_PER_ADDRESS"] = 3
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form(contact_email="victim@example.org"))
    for _ in range(3):
        client.post(f"/s/{slug}/resend", data={"email": "victim@example.org"})
    client.post(
        f"/s/{slug}/embed", data=form(organization="Other", contact_email="victim@example.org")
    )
    [(_, text)] = mails_to(app, "victim@example.org")[:1]
    assert len(mails_to(app, "victim@example.org")) == 3
    link = link_in(text, "confirm")
    app.config["SIGNON_CONFIRM_MAX_AGE"] = -1
    renewed = client.post(link + "/renew")
    assert renewed.status_code == 200
    assert len(mails_to(app, "victim@example.org")) == 3


def test_the_confirmation_mail_echoes_no_free_text_but_the_organization(
    app, client, open_statement
):
    _, slug = open_statement()
    client.post(
        f"/s/{slug}/sign",
        data=form(contact_name="Buy cheap pills at spam.example", city="Spamtown"),
    )
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    assert "spam.example" not in text and "Spamtown" not in text
    assert "Riverbend" in text


def test_withdraw_removes_from_list_and_is_audited(app, client, open_statement):
    statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    client.post(link_in(text, "confirm"))
    withdraw = link_in(mails_to(app, "dana@riverbend.example.org")[1][1], "withdraw")
    asking = client.get(withdraw)
    assert b"Withdraw the signature of Riverbend" in asking.data
    [signature] = signatures(app, statement_id)
    assert signature.status is SignatureStatus.CONFIRMED  # a GET (mail scanner) changes nothing
    done = client.post(withdraw)
    assert b"no longer listed" in done.data
    assert b"Riverbend" not in client.get(f"/s/{slug}").data
    with app.app_context():
        assert listed_signatories(statement_id) == []
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert "signature.withdrawn" in actions


def test_expired_link_offers_a_new_one(app, client, open_statement):
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    link = link_in(text, "confirm")
    app.config["SIGNON_CONFIRM_MAX_AGE"] = -1
    expired = client.get(link)
    assert expired.status_code == 410
    assert b"has expired" in expired.data
    renewed = client.post(link + "/renew")
    assert b"new confirmation link is on its way" in renewed.data
    app.config["SIGNON_CONFIRM_MAX_AGE"] = 3600
    [_, (_, new_text)] = mails_to(app, "dana@riverbend.example.org")
    assert b"has signed" in client.post(link_in(new_text, "confirm")).data


def test_resend_by_email_does_not_reveal_who_signed(app, client, open_statement):
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    for address in ("dana@riverbend.example.org", "nobody@example.org"):
        response = client.post(f"/s/{slug}/resend", data={"email": address})
        assert b"If a signature waiting for confirmation uses that address" in response.data
    assert len(mails_to(app, "dana@riverbend.example.org")) == 2
    assert mails_to(app, "nobody@example.org") == []


def test_tampered_token_is_refused(app, client, open_statement):
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    assert client.get(link_in(text, "confirm") + "x").status_code == 404
    assert client.get("/signon/withdraw/not-a-token").status_code == 404


def test_honeypot_pretends_success_and_stores_nothing(app, client, open_statement):
    statement_id, slug = open_statement()
    response = client.post(f"/s/{slug}/sign", data=form(fax_number="http://spam.example"))
    assert b"Please check your email" in response.data
    assert signatures(app, statement_id) == []


def test_bad_input_gets_clear_errors(app, client, open_statement):
    statement_id, slug = open_statement()
    cases = {
        "Enter your organization&#39;s name.": form(organization=""),
        "The organization name needs letters or digits.": form(organization="!!!"),
        "Field cannot be longer than 200 characters.": form(organization="x" * 201),
        "must have an @-sign": form(contact_email="not-an-email"),
        "Please confirm that you may sign": form(consent=None),
        "Enter a web address such as": form(website="javascript:alert(1)"),
        "Enter a web address such": form(website="not a site"),
        "Not a valid choice.": form(org_type="pirates"),
    }
    for message, data in cases.items():
        response = client.post(f"/s/{slug}/sign", data=data)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    assert signatures(app, statement_id) == []


def _image(fmt, size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return buffer.getvalue()


def test_logo_is_decoded_and_limited(app, client, open_statement):
    statement_id, slug = open_statement()
    app.config.update(SIGNON_LOGO_MAX_PIXELS=10_000, SIGNON_LOGO_MAX_BYTES=50_000)
    refused = {
        "could not be read as a PNG or JPEG": b"GIF89a not really an image",
        "must be a PNG or JPEG": _image("GIF"),
        "the limit is 10,000 pixels": _image("PNG", (200, 200)),
        "the limit is 50,000": b"\x89PNG" + b"0" * 60_000,
        "could not be read": _image("PNG")[:60],
    }
    for message, content in refused.items():
        data = form(logo=(io.BytesIO(content), "logo.png"))
        response = client.post(f"/s/{slug}/sign", data=data, content_type="multipart/form-data")
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True), message
    data = form(logo=(io.BytesIO(_image("JPEG")), "logo.jpg"))
    client.post(f"/s/{slug}/sign", data=data, content_type="multipart/form-data")
    [signature] = signatures(app, statement_id)
    assert signature.logo_mime == "image/jpeg"
    logo_url = f"/s/{slug}/logos/{signature.id}"
    assert client.get(logo_url).status_code == 404  # not listed until confirmed
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    client.post(link_in(text, "confirm"))
    served = client.get(logo_url)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert f'src="{logo_url}"' in client.get(f"/s/{slug}").get_data(as_text=True)


def test_closed_and_past_deadline_refuse(app, client, open_statement):
    statement_id, slug = open_statement(deadline=datetime(2030, 1, 1, tzinfo=UTC))
    clock.set_clock(lambda: datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=1))
    try:
        response = client.post(f"/s/{slug}/sign", data=form())
    finally:
        clock.set_clock(None)
    assert b"not taking signatures" in response.data
    with app.app_context():
        db.session.get(SignOnSettings, statement_id).open = False
        db.session.commit()
    assert b"not taking signatures" in client.get(f"/s/{slug}/sign").data
    assert signatures(app, statement_id) == []


def test_approval_required_lists_only_after_staff_approve(app, client, client_as, open_statement):
    statement_id, slug = open_statement(requires_approval=True)
    client.post(f"/s/{slug}/sign", data=form())
    [signature] = signatures(app, statement_id)
    staff = client_as(Role.EDITOR)
    decide = f"/statements/{statement_id}/signatories/decide"
    early = staff.post(decide, data={"decision": "approve", "ids": [signature.id]})
    assert early.status_code == 302  # refused quietly: not confirmed yet
    assert signatures(app, statement_id)[0].status is SignatureStatus.PENDING
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    assert b"review each signature" in client.post(link_in(text, "confirm")).data
    assert b"Riverbend" not in client.get(f"/s/{slug}").data
    staff.post(decide, data={"decision": "approve", "ids": [signature.id]})
    assert b"Riverbend Recovery Network" in client.get(f"/s/{slug}").data


def test_embed_page_can_be_framed_and_posts_to_itself(app, client, open_statement):
    _, slug = open_statement()
    page = client.get(f"/s/{slug}/embed")
    assert "frame-ancestors *" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    html = page.get_data(as_text=True)
    assert f'action="/s/{slug}/embed"' in html
    assert 'class="topbar"' not in html
    response = client.post(f"/s/{slug}/embed", data=form())
    assert b"please check your email" in response.data


def test_public_form_needs_its_signed_csrf_token(app, client, open_statement):
    statement_id, slug = open_statement()
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post(f"/s/{slug}/sign", data=form())
    assert refused.status_code == 422
    assert b"security token is missing or invalid" in refused.data
    page = client.get(f"/s/{slug}/embed").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    fresh = app.test_client()  # no cookie: as inside a third-party iframe
    accepted = fresh.post(f"/s/{slug}/embed", data=form(csrf_token=token))
    assert b"please check your email" in accepted.data
    assert len(signatures(app, statement_id)) == 1


def test_public_posts_are_rate_limited_per_ip(app, client, open_statement, rate_limits):
    _, slug = open_statement()
    app.config["SIGNON_RATE_LIMIT"] = "3 per minute"
    codes = [
        client.post(
            f"/s/{slug}/sign", data=form(organization=f"Org {n}", contact_email=f"o{n}@example.org")
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]
    assert client.get(f"/s/{slug}/sign").status_code == 200


def test_unpublished_statement_has_no_sign_page(app, client, make_statement):
    statement_id = make_statement()
    with app.app_context():
        db.session.add(SignOnSettings(statement_id=statement_id, open=True))
        db.session.commit()
    from tests.conftest import load_statement

    assert client.get(f"/s/{load_statement(app, statement_id).slug}/sign").status_code == 404


def test_goal_progress_and_hidden_list_until_minimum(app, client, open_statement, add_signature):
    statement_id, slug = open_statement(goal=10, min_count_to_show=3)
    add_signature(statement_id, "Anchor Fund")
    add_signature(statement_id, "Beacon Clinic")
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "2 organizations" in page and "2 of 10 (20%)" in page
    assert 'max="10" value="2"' in page
    assert "will be published once 3 organizations have signed" in page
    assert "Anchor Fund" not in page
    add_signature(statement_id, "Cedar Trust")
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "Anchor Fund" in page and "Cedar Trust" in page and "3 of 10 (30%)" in page
    for form_page in (f"/s/{slug}/sign", f"/s/{slug}/embed"):
        assert "3 of 10 (30%)" in client.get(form_page).get_data(as_text=True)


def test_oversized_request_is_refused_with_a_message(app, client, open_statement):
    statement_id, slug = open_statement()
    app.config["MAX_CONTENT_LENGTH"] = 20_000
    data = form(logo=(io.BytesIO(b"\x89PNG" + b"0" * 30_000), "huge.png"))
    response = client.post(f"/s/{slug}/sign", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert b"Request Entity Too Large" in response.data
    assert signatures(app, statement_id) == []


def test_withdrawn_organization_can_sign_again(app, client, open_statement):
    statement_id, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    client.post(link_in(mails_to(app, "dana@riverbend.example.org")[0][1], "confirm"))
    client.post(link_in(mails_to(app, "dana@riverbend.example.org")[1][1], "withdraw"))
    again = client.post(f"/s/{slug}/sign", data=form(contact_email="new@riverbend.example.org"))
    assert b"please check your email" in again.data
    [signature] = signatures(app, statement_id)
    assert signature.status is SignatureStatus.PENDING
    assert signature.contact_email == "new@riverbend.example.org"
    old_mails = mails_to(app, "dana@riverbend.example.org")
    assert client.get(link_in(old_mails[0][1], "confirm")).status_code == 404
    assert client.get(link_in(old_mails[1][1], "withdraw")).status_code == 404
    [(_, text)] = mails_to(app, "new@riverbend.example.org")
    client.post(link_in(text, "confirm"))
    assert b"Riverbend Recovery Network" in client.get(f"/s/{slug}").data


def test_where_you_work_has_no_default_and_the_form_is_linked_from_the_top(
    app, client, open_statement
):
    statement_id, slug = open_statement()
    page = client.get(f"/s/{slug}/sign").get_data(as_text=True)
    assert '<select id="scope" name="scope" required><option value="">Choose…</option>' in page
    assert "<option selected" not in page.split('id="scope"')[1].split("</select>")[0]
    refused = client.post(f"/s/{slug}/sign", data=form(scope=""))
    assert "Choose where your organization works." in refused.get_data(as_text=True)
    assert signatures(app, statement_id) == []
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert public.index("Sign on for your organization") < public.index('class="document')


def test_the_embed_reports_its_content_height_and_reveals_the_confirmation(
    app, client, open_statement
):
    _, slug = open_statement()
    embed = client.get(f"/s/{slug}/embed").get_data(as_text=True)
    assert '<script src="/static/embed.js" defer></script>' in embed
    assert "<script>" not in embed and "data-reveal" not in embed
    thanks = client.post(f"/s/{slug}/embed", data=form()).get_data(as_text=True)
    assert '<body class="embed" data-reveal>' in thanks
    script = client.get("/static/embed.js").get_data(as_text=True)
    assert "getBoundingClientRect().bottom" in script and "campaignDeskReveal" in script
