"""The listing contract: who is shown, in what order and groups, and the CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.exc import IntegrityError

from campaign.extensions import db
from campaign.signon.listing import (
    grouped,
    listed_signatories,
    signatories_csv,
    signatory_logo,
)
from campaign.signon.models import Grouping, OrgType, Scope, Signature, SignatureStatus
from campaign.signon.names import normalize_name, normalize_website


@pytest.mark.parametrize(
    "variant",
    [
        "The Justice Forward Project, Inc.",
        "justice forward project",
        "JUSTICE-FORWARD PROJECT LLC",
        "Justice Forward Project Ltd.",
        "  Justice   Forward Project, L.L.C. ",
        "Justicé Forward Project",
    ],
)
def test_name_variants_normalize_to_one_key(variant):
    assert normalize_name(variant) == "justice forward project"


def test_distinct_names_stay_distinct():
    assert normalize_name("The Co") == "co"
    assert normalize_name("Theater Collective") != normalize_name("Collective")
    assert normalize_name("Harbor & Sons") == normalize_name("Harbor and Sons")
    assert normalize_name("!!!") == ""


def test_only_confirmed_are_listed_sorted_without_the(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "zeta Alliance")
    add_signature(statement_id, "The Anchor Fund")
    add_signature(statement_id, "Beacon Clinic", SignatureStatus.APPROVED)
    for status in (SignatureStatus.PENDING, SignatureStatus.REJECTED, SignatureStatus.WITHDRAWN):
        add_signature(statement_id, f"Hidden {status.value}", status)
    with app.app_context():
        names = [s.name for s in listed_signatories(statement_id)]
    assert names == ["The Anchor Fund", "Beacon Clinic", "zeta Alliance"]


def test_approval_setting_lists_only_approved(app, open_statement, add_signature):
    statement_id, _ = open_statement(requires_approval=True)
    add_signature(statement_id, "Confirmed Only")
    add_signature(statement_id, "Approved Too", SignatureStatus.APPROVED)
    with app.app_context():
        assert [s.name for s in listed_signatories(statement_id)] == ["Approved Too"]


def test_display_name_overrides_organization(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Harbr Families", display_name="Harbor Families Alliance")
    add_signature(statement_id, "Logo Org", logo=b"\x89PNG...", logo_mime="image/png")
    with app.app_context():
        listed, with_logo = listed_signatories(statement_id)
        assert signatory_logo(listed) is None
        assert signatory_logo(with_logo) == ("image/png", b"\x89PNG...")
    assert listed.name == "Harbor Families Alliance"
    assert listed.signed_version_number == 1


def test_database_refuses_the_same_organization_twice(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Riverbend Recovery Network")
    with pytest.raises(IntegrityError):
        add_signature(statement_id, "The Riverbend Recovery Network, Inc.")
    with app.app_context():
        db.session.rollback()
        add_signature(statement_id, "Other Org", contact_email="dup@example.org")
        with pytest.raises(IntegrityError):
            add_signature(statement_id, "Third Org", contact_email="DUP@example.org")
        db.session.rollback()
        assert db.session.query(Signature).count() == 2


def test_grouping_by_scope_and_type(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Global Aid", scope=Scope.INTERNATIONAL)
    add_signature(statement_id, "City Shelter", scope=Scope.STATE_LOCAL, org_type=OrgType.FAITH)
    add_signature(statement_id, "Nation Fund", scope=Scope.NATIONAL)
    with app.app_context():
        listed = listed_signatories(statement_id)
    by_scope = grouped(listed, Grouping.SCOPE)
    assert [(label, [s.name for s in group]) for label, group in by_scope] == [
        ("National", ["Nation Fund"]),
        ("State and local", ["City Shelter"]),
        ("International", ["Global Aid"]),
    ]
    assert [label for label, _ in grouped(listed, "org_type")] == [
        "Nonprofit",
        "Faith-based organization",
    ]
    assert grouped(listed, Grouping.NONE) == [("", listed)]
    assert grouped([], Grouping.NONE) == []


def test_csv_is_formula_safe(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "=HYPERLINK(1)", city="+Town", website="@example")
    with app.app_context():
        data = signatories_csv(listed_signatories(statement_id))
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert header[0] == "Organization"
    assert row[0] == "'=HYPERLINK(1)"
    assert row[3] == "'+Town"
    assert row[6] == "'@example"


def test_websites_are_http_links_or_refused():
    assert normalize_website("riverbend.example.org") == "https://riverbend.example.org"
    assert normalize_website(" http://a.example/x ") == "http://a.example/x"
    assert normalize_website("") == ""
    for bad in ("javascript:alert(1)", "data:text/html,x", "http://localhost", "a b.org"):
        with pytest.raises(ValueError):
            normalize_website(bad)
