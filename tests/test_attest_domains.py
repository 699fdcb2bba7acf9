"""Verified organizations: by confirming address, by DNS TXT (fake resolver), by well-known file
(a real local HTTP server), and the safe fetcher's rules."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator

import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import pytest
from sqlalchemy import select

from campaign.attest.domain_checks import RESOLVER
from campaign.attest.models import DomainVerification
from campaign.extensions import db
from tests.test_signon_public import form, link_in, mails_to

OTHER_MAIL = "dana@mailhost.example.net"  # not on the organization's own domain


class FakeResolver:
    """Answers TXT queries from a dict, as dnspython's Resolver would (NXDOMAIN otherwise)."""

    def __init__(self) -> None:
        self.records: dict[str, list[str]] = {}

    def resolve(self, name: str, rdtype: str, lifetime: float | None = None) -> list:
        if name not in self.records:
            raise dns.resolver.NXDOMAIN()
        return [
            dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, f'"{value}"')
            for value in self.records[name]
        ]


@pytest.fixture()
def resolver(app) -> Iterator[FakeResolver]:
    fake = FakeResolver()
    app.extensions[RESOLVER] = fake
    yield fake
    app.extensions.pop(RESOLVER)


class _Files(http.server.BaseHTTPRequestHandler):
    files: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:
        status, headers, body = self.files.get(self.path, (404, {}, b"not here"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def web() -> Iterator[tuple[str, dict]]:
    """A real HTTP server on loopback: (base URL, path -> (status, headers, body))."""
    files: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("Handler", (_Files,), {"files": files})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", files
    server.shutdown()
    server.server_close()


def sign_and_confirm(app, client, slug, **overrides) -> str:
    """Sign, confirm; returns the path of the domain-verification page from the email."""
    client.post(f"/s/{slug}/sign", data=form(**overrides))
    address = overrides.get("contact_email", "dana@riverbend.example.org")
    client.post(link_in(mails_to(app, address)[-1][1], "confirm"))
    return link_in(mails_to(app, address)[-1][1], "domain")


def leaf_domains(app, client, slug) -> dict[str, str]:
    document = client.get(f"/s/{slug}/roots.json").json[-1]
    return {leaf["name"]: leaf["verified_domain"] for leaf in document["leaves"][1:]}


def test_confirming_address_on_the_sites_domain_verifies(app, client, open_statement):
    _, slug = open_statement()
    sign_and_confirm(app, client, slug)
    page = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "verified for riverbend.example.org" in page
    assert leaf_domains(app, client, slug) == {
        "Riverbend Recovery Network": "riverbend.example.org"
    }


def test_dns_token_verifies_and_is_reused_on_the_next_letter(app, client, open_statement, resolver):
    _, slug = open_statement()
    domain_page = sign_and_confirm(app, client, slug, contact_email=OTHER_MAIL)
    assert "verified" not in client.get(f"/s/{slug}").get_data(as_text=True)
    page = client.get(domain_page).get_data(as_text=True)
    record = re.search(r"campaign-desk-verification=[\w-]+", page).group(0)
    checked = client.post(domain_page, data=form_token(page), follow_redirects=True).get_data(
        as_text=True
    )
    assert "No token in DNS" in checked and "is verified" not in checked
    resolver.records["_campaign-desk.riverbend.example.org"] = ["v=spf1 -all", record]
    checked = client.post(domain_page, data=form_token(page), follow_redirects=True).get_data(
        as_text=True
    )
    assert "Riverbend Recovery Network is verified for riverbend.example.org" in checked
    with app.app_context():
        claim = db.session.scalars(select(DomainVerification)).one()
        assert claim.method == "dns" and claim.verified_at is not None
    assert "verified for riverbend.example.org" in client.get(f"/s/{slug}").get_data(as_text=True)
    assert leaf_domains(app, client, slug)["Riverbend Recovery Network"] == "riverbend.example.org"
    resolver.records.clear()  # reused: no new check on the next letter
    _, second = open_statement()
    sign_and_confirm(app, client, second, contact_email=OTHER_MAIL)
    assert "verified for riverbend.example.org" in client.get(f"/s/{second}").get_data(as_text=True)


def form_token(page: str) -> dict[str, str]:
    """The form's signed token when the page has one (CSRF is off in most tests)."""
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    return {"csrf_token": found[1]} if found else {}


def test_well_known_file_verifies_through_the_safe_fetcher(
    app, client, open_statement, resolver, web
):
    base, files = web
    app.config["DOMAIN_WELL_KNOWN_URL"] = base + "/{domain}/.well-known/campaign-desk.txt"
    _, slug = open_statement()
    domain_page = sign_and_confirm(app, client, slug, contact_email=OTHER_MAIL)
    page = client.get(domain_page).get_data(as_text=True)
    token = re.search(r"campaign-desk-verification=([\w-]+)", page).group(1)
    files["/riverbend.example.org/.well-known/campaign-desk.txt"] = (200, {}, token.encode())
    refused = client.post(domain_page, data=form_token(page), follow_redirects=True).get_data(
        as_text=True
    )
    assert "private or local address" in refused  # loopback is refused by default
    app.config["FETCH_ALLOW_PRIVATE_ADDRESSES"] = True  # the admin setting
    checked = client.post(domain_page, data=form_token(page), follow_redirects=True).get_data(
        as_text=True
    )
    assert "is verified for riverbend.example.org" in checked
    with app.app_context():
        assert db.session.scalars(select(DomainVerification)).one().method == "well-known"
    assert leaf_domains(app, client, slug)["Riverbend Recovery Network"] == "riverbend.example.org"
