"""Who sees what: journalists' and signers' personal data, hidden logos, uncached exports,
security headers on every route, and 404 rather than 500 for impossible values."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon.models import SignatureStatus, SignOnSettings


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.APPROVER])
def test_other_roles_see_a_distributions_counts_never_its_recipients(
    client_as, contact_list, distribute, role
):
    distribution_id = distribute([contact_list(2)])
    client = client_as(role)
    page = client.get(f"/distributions/{distribution_id}")
    assert page.status_code == 200
    assert b"reporter" not in page.data and b"news.example" not in page.data
    assert client.get(f"/distributions/{distribution_id}/report.csv").status_code == 403
    assert client.get("/suppressions").status_code == 403
    assert b"/suppressions" not in client.get("/distributions").data


def test_press_officers_see_recipients_and_exports_are_not_cached(
    client_as, contact_list, distribute
):
    distribution_id = distribute([contact_list(2)])
    press = client_as(Role.PRESS_OFFICER)
    assert b"reporter1-0@news.example" in press.get(f"/distributions/{distribution_id}").data
    report = press.get(f"/distributions/{distribution_id}/report.csv")
    assert report.status_code == 200 and b"news.example" in report.data
    assert report.headers["Cache-Control"] == "no-store"
    assert press.get("/contacts/export.csv").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.APPROVER, Role.PRESS_OFFICER])
def test_only_moderators_see_signers_contact_data(client_as, open_statement, add_signature, role):
    statement_id, _ = open_statement()
    add_signature(statement_id, "River Trust", contact_email="dana@river.example.org")
    client = client_as(role)
    assert client.get(f"/statements/{statement_id}/signatories").status_code == 403
    assert client.get(f"/statements/{statement_id}/signatories.csv").status_code == 403
    public_csv = client.get(f"/statements/{statement_id}/signatories-public.csv")
    assert b"River Trust" in public_csv.data and b"dana@" not in public_csv.data
    assert public_csv.headers["Cache-Control"] == "no-store"
    page = client.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert f'/statements/{statement_id}/signatories"' not in page
    editor = client_as(Role.EDITOR)
    table = editor.get(f"/statements/{statement_id}/signatories")
    assert b"dana@river.example.org" in table.data
    assert editor.get(f"/statements/{statement_id}/signatories.csv").headers["Cache-Control"] == (
        "no-store"
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


def test_logos_below_the_minimum_count_are_not_served(app, client, open_statement, add_signature):
    statement_id, slug = open_statement()
    logo = {"logo": _png(), "logo_mime": "image/png"}
    first = add_signature(statement_id, "River Trust", **logo)
    pending = add_signature(statement_id, "Hill Group", SignatureStatus.PENDING, **logo)
    with app.app_context():
        db.session.get(SignOnSettings, statement_id).min_count_to_show = 2
        db.session.commit()
    assert client.get(f"/s/{slug}/logos/{first}").status_code == 404
    add_signature(statement_id, "Lake Alliance")
    assert client.get(f"/s/{slug}/logos/{first}").status_code == 200
    assert client.get(f"/s/{slug}/logos/{pending}").status_code == 404


STAFF_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _check_headers(response, framed_by: str = "'none'") -> None:
    for name, value in STAFF_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert f"frame-ancestors {framed_by}" in policy


def test_security_headers_on_every_route(app, client_as, open_statement, backend):
    if backend != "sqlite":
        pytest.skip("headers do not depend on the database")
    from tests.test_trust_permissions import _dummy_url

    statement_id, slug = open_statement()
    admin, anonymous = client_as(Role.ADMIN), app.test_client()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        url = _dummy_url(rule)
        for client in (admin, anonymous):
            framed_by = "*" if rule.endpoint == "signon_public.embed" else "'none'"
            _check_headers(client.get(url), framed_by)
    _check_headers(anonymous.get(f"/s/{slug}"))
    _check_headers(anonymous.get(f"/s/{slug}/embed"), "*")
    _check_headers(admin.get(f"/statements/{statement_id}"))
    app.config["EMBED_FRAME_ANCESTORS"] = "https://partner.example.org"
    _check_headers(anonymous.get(f"/s/{slug}/embed"), "https://partner.example.org")


def test_staff_pages_have_no_inline_script_or_style_attributes(client_as, open_statement):
    statement_id, _ = open_statement()
    admin = client_as(Role.ADMIN)
    for path in ("/", f"/statements/{statement_id}", "/contacts", "/admin/users/"):
        page = admin.get(path).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "onsubmit=" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/statements/99999999999999999999999",
        "/statements/9223372036854775808/versions/1",
        "/campaigns/2147483648",
        "/distributions/99999999999999",
        "/contacts?page=99999999999999999999",
        "/contacts/lists/1?page=99999999999999999999",
        "/statements/1/signatories?page=99999999999999999999",
    ],
)
def test_huge_numbers_are_a_404_or_a_page_never_a_500(client_as, path):
    status = client_as(Role.ADMIN).get(path).status_code
    assert status in (200, 404), status
