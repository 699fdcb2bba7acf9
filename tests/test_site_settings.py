"""The organization settings page: admins change what PDFs, emails and links say."""

from __future__ import annotations

import io

from PIL import Image

from campaign.auth.roles import Role
from campaign.site.services import organization
from campaign.urls import external_url


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, "PNG")
    return buffer.getvalue()


FORM = {
    "name": "Harbor Families Alliance",
    "postal_address": "12 Quay Street\nPortsmouth, NH 03801",
    "boilerplate": "Harbor Families Alliance organizes families of incarcerated people.",
    "accent_colour": "#aa3300",
    "sender_name": "Harbor Press Office",
    "sender_address": "press@harbor.example.org",
    "public_base_url": "https://desk.harbor.example.org/",
    "media_contacts-0-name": "Dana Reyes",
    "media_contacts-0-phone": "(603) 555-0142",
    "media_contacts-0-email": "dana@harbor.example.org",
}


def test_only_admins_reach_the_settings(client_as, client):
    assert client.get("/admin/settings").status_code == 302
    for role in (Role.EDITOR, Role.APPROVER, Role.PRESS_OFFICER, Role.VIEWER):
        assert client_as(role).get("/admin/settings").status_code == 403
    page = client_as(Role.ADMIN).get("/admin/settings")
    assert page.status_code == 200
    assert b"Organization settings" in page.data


def test_saved_profile_reaches_letterhead_sender_and_links(app, client_as):
    admin = client_as(Role.ADMIN)
    data = dict(FORM, logo=(io.BytesIO(_png()), "logo.png"))
    response = admin.post("/admin/settings", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.test_request_context():
        org = organization()
        assert org.name == "Harbor Families Alliance"
        assert org.sender == "Harbor Press Office <press@harbor.example.org>"
        assert org.media_contacts[0]["name"] == "Dana Reyes"
        assert org.logo and org.logo_mime_type == "image/png"
        assert external_url("auth.login").startswith("https://desk.harbor.example.org/")
    logo = app.test_client().get("/organization/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"


def test_bad_input_shows_errors_and_changes_nothing(app, client_as):
    admin = client_as(Role.ADMIN)
    bad = dict(
        FORM,
        accent_colour="red",
        public_base_url="javascript:alert(1)",
        logo=(io.BytesIO(b"not an image"), "logo.png"),
    )
    page = admin.post("/admin/settings", data=bad, content_type="multipart/form-data")
    assert page.status_code == 200
    assert b"Use #RRGGBB." in page.data
    assert b"Use an http:// or https:// address." in page.data
    assert b"could not be read as a PNG or JPEG" in page.data
    with app.test_request_context():
        assert organization().name == app.config["LETTERHEAD_NAME"]


def test_environment_pins_a_setting(app, client_as):
    app.config["SETTINGS_FROM_ENVIRONMENT"] = frozenset({"PUBLIC_BASE_URL"})
    admin = client_as(Role.ADMIN)
    page = admin.get("/admin/settings")
    assert b"cannot be changed here" in page.data
    form = {k: v for k, v in FORM.items() if k != "public_base_url"}
    assert admin.post("/admin/settings", data=form).status_code == 302
    with app.test_request_context():
        org = organization()
        assert org.name == "Harbor Families Alliance"
        assert org.public_base_url == app.config["PUBLIC_BASE_URL"].rstrip("/")


def test_profile_change_is_audited(app, client_as):
    admin = client_as(Role.ADMIN)
    admin.post("/admin/settings", data=FORM)
    log = admin.get("/admin/audit")
    assert b"Organization settings changed" in log.data


def test_the_defaults_can_be_saved_and_a_missing_field_is_a_form_error(app, client_as):
    admin = client_as(Role.ADMIN)
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "desk@example.org" in page  # the default sender passes the form's own check
    partial = {k: v for k, v in FORM.items() if k != "postal_address"}
    assert admin.post("/admin/settings", data=partial).status_code == 302
    missing_name = {k: v for k, v in FORM.items() if k != "name"}
    answer = admin.post("/admin/settings", data=missing_name)
    assert answer.status_code == 200 and b"A name is required." in answer.data


def test_mail_leaves_with_the_sender_of_the_settings_in_header_and_envelope(
    app, client_as, smtp_sink
):
    from campaign.extensions import db
    from campaign.mail.services import dispatch, queue_mail

    client_as(Role.ADMIN).post("/admin/settings", data=FORM)
    with app.app_context():
        mail = queue_mail("dana@riverbend.example.org", "Hello", "Text.", purpose="auth.reset")
        db.session.commit()
        dispatch(mail)
    [message] = smtp_sink.wait_for(1)
    assert message["From"] == "Harbor Press Office <press@harbor.example.org>"
    assert smtp_sink.senders == ["press@harbor.example.org"]  # SPF and DMARC align
