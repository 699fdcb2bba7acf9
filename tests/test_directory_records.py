"""Every signature belongs to an organization record shared across statements."""

from __future__ import annotations

from sqlalchemy import select

from campaign.directory.models import OrgAlias, Organization, OrgContact
from campaign.extensions import db
from campaign.signon.models import Signature
from tests.test_signon_public import form


def _organization_ids(app):
    with app.app_context():
        rows = db.session.execute(
            select(Signature.organization, Signature.organization_id).order_by(Signature.id)
        ).all()
        return [(name, org_id) for name, org_id in rows]


def test_the_same_organization_signing_two_letters_is_one_record(app, client, open_statement):
    _, first = open_statement()
    _, second = open_statement()
    client.post(f"/s/{first}/sign", data=form())
    variant = form(
        organization="The Riverbend Recovery Network, Inc.",
        contact_email="ed@riverbend.example.org",
    )
    client.post(f"/s/{second}/sign", data=variant)
    [(_, a), (_, b)] = _organization_ids(app)
    assert a == b is not None
    with app.app_context():
        organization = db.session.get(Organization, a)
        assert organization.name == "Riverbend Recovery Network"
        assert organization.email_domain == "riverbend.example.org"
        assert organization.scope.value == "state_local"
        emails = sorted(c.email_key for c in organization.contacts)
    assert emails == ["dana@riverbend.example.org", "ed@riverbend.example.org"]


def test_a_new_name_from_a_known_contact_joins_the_record_as_an_alias(app, client, open_statement):
    _, first = open_statement()
    _, second = open_statement()
    client.post(f"/s/{first}/sign", data=form())
    client.post(f"/s/{second}/sign", data=form(organization="Riverbend Network for Recovery"))
    [(_, a), (_, b)] = _organization_ids(app)
    assert a == b
    with app.app_context():
        aliases = db.session.scalars(select(OrgAlias.name)).all()
    assert aliases == ["Riverbend Network for Recovery"]


def test_different_organizations_get_different_records(app, client, open_statement):
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form())
    client.post(
        f"/s/{slug}/sign",
        data=form(organization="Lakeside Clinic", contact_email="lee@lakeside.example.org"),
    )
    [(_, a), (_, b)] = _organization_ids(app)
    assert a != b
    with app.app_context():
        assert db.session.query(OrgContact).count() == 2


def test_imported_and_directly_added_signatures_are_linked(app, open_statement, add_signature):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Harbor Families Alliance", contact_email="h@harbor.example.org")
    add_signature(statement_id, "Open Door Housing", contact_email="o@opendoor.example.org")
    assert all(org_id for _, org_id in _organization_ids(app))


def test_a_signature_of_a_merged_away_name_lands_on_the_survivor(
    app, client, open_statement, add_organization
):
    survivor = add_organization("Harbor Families Alliance")
    absorbed = add_organization("Harbour Families Aliance")
    with app.app_context():
        db.session.get(Organization, absorbed).merged_into_id = survivor
        db.session.commit()
    _, slug = open_statement()
    client.post(f"/s/{slug}/sign", data=form(organization="Harbour Families Aliance"))
    [(_, org_id)] = _organization_ids(app)
    assert org_id == survivor
