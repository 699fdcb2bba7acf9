"""The directory page, an organization's page, CSV out and in, suggestions and merges."""

from __future__ import annotations

import io

from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.directory.models import Organization
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope, Signature, SignatureStatus


def _names(response):
    text = response.get_data(as_text=True)
    return [
        n
        for n in ("Texas Recovery Alliance", "Austin Harm Reduction", "National Peer Guild")
        if n in text
    ]


def _seed(open_statement, add_signature):
    letter_a, _ = open_statement()
    letter_b, _ = open_statement()
    letter_c, _ = open_statement()
    add_signature(
        letter_a,
        "Texas Recovery Alliance",
        scope=Scope.STATE_LOCAL,
        region="Texas",
        org_type=OrgType.ADVOCACY,
    )
    add_signature(letter_b, "Austin Harm Reduction", scope=Scope.STATE_LOCAL, region="Texas")
    add_signature(letter_c, "National Peer Guild", org_type=OrgType.LABOR)
    add_signature(letter_a, "National Peer Guild", status=SignatureStatus.PENDING)
    return letter_a, letter_b, letter_c


def test_directory_filters_by_type_scope_region_tag_and_letters(
    app, client_as, open_statement, add_signature
):
    letter_a, letter_b, _ = _seed(open_statement, add_signature)
    client = client_as(Role.EDITOR)
    assert len(_names(client.get("/directory"))) == 3
    assert _names(client.get("/directory?scope=state_local&region=texas")) == [
        "Texas Recovery Alliance",
        "Austin Harm Reduction",
    ]
    assert _names(client.get("/directory?org_type=labor")) == ["National Peer Guild"]
    assert _names(client.get("/directory?q=austin")) == ["Austin Harm Reduction"]
    # "signed A or B": a pending signature is not signed
    signed = client.get(f"/directory?signed={letter_a}&signed={letter_b}")
    assert _names(signed) == ["Texas Recovery Alliance", "Austin Harm Reduction"]
    assert _names(client.get("/directory?org_type=nonsense")) == _names(client.get("/directory"))


def test_organization_page_lists_statements_contacts_and_edits(
    app, client_as, open_statement, add_signature
):
    _seed(open_statement, add_signature)
    with app.app_context():
        guild = db.session.scalar(select(Organization).filter_by(name="National Peer Guild"))
    editor = client_as(Role.EDITOR)
    page = editor.get(f"/directory/{guild.id}").get_data(as_text=True)
    assert page.count("Stop the sentencing bill") == 2
    assert "Pending" in page and "Confirmed" in page
    saved = editor.post(
        f"/directory/{guild.id}/edit",
        data={
            "name": "National Peer Support Guild",
            "aliases": "NPG\nPeer Guild",
            "org_type": "labor",
            "scope": "national",
            "region": "",
            "tags": "Labor, peer support",
            "notes": "Met in May",
            "website": "peerguild.example.org",
        },
        follow_redirects=True,
    )
    text = saved.get_data(as_text=True)
    assert "NPG; Peer Guild" in text and "Met in May" in text
    assert "https://peerguild.example.org" in text
    assert _names(editor.get("/directory?tag=peer-support")) == []  # renamed
    assert "National Peer Support Guild" in editor.get("/directory?tag=peer-support").text
    added = editor.post(
        f"/directory/{guild.id}/contacts",
        data={"name": "Pat Lee", "email": "pat@peerguild.example.org", "may_sign": "y"},
        follow_redirects=True,
    )
    assert "pat@peerguild.example.org" in added.text


def test_bad_edits_change_nothing_and_viewers_cannot_edit(app, client_as, add_organization):
    org_id = add_organization("Harbor Families Alliance")
    editor = client_as(Role.EDITOR)
    bad = editor.post(
        f"/directory/{org_id}/edit",
        data={
            "name": "Harbor",
            "org_type": "nonprofit",
            "scope": "national",
            "website": "javascript:alert(1)",
        },
    )
    assert bad.status_code == 200 and "Enter a web address" in bad.text
    with app.app_context():
        assert db.session.get(Organization, org_id).name == "Harbor Families Alliance"
    viewer = client_as(Role.VIEWER)
    assert viewer.post(f"/directory/{org_id}/edit", data={"name": "X"}).status_code == 403
    # The directory holds signers' contact people: moderators only, even for reading.
    assert viewer.get("/directory/suggestions").status_code == 403


def test_export_then_import_round_trips_and_bad_files_change_nothing(
    app, client_as, add_organization
):
    add_organization("=Formula Org", region="Texas", contacts=("a@formula.example.org",))
    editor = client_as(Role.EDITOR)
    exported = editor.get("/directory/export.csv").get_data(as_text=True)
    assert exported.startswith("\ufeffname,aliases,org_type")
    assert "'=Formula Org" in exported
    csv = (
        "name,org_type,scope,region,tags,contact_email\n"
        "Lakeside Clinic,service provider,state_local,Ohio,clinics,lee@lakeside.example.org\n"
        "Formula Org,,,,,b@formula.example.org\n"
    )
    done = editor.post(
        "/directory/import",
        data={"file": (io.BytesIO(csv.encode()), "d.csv")},
        follow_redirects=True,
    )
    assert "1 created, 1 updated" in done.text
    with app.app_context():
        lakeside = db.session.scalar(select(Organization).filter_by(name="Lakeside Clinic"))
        assert lakeside.org_type is OrgType.SERVICE_PROVIDER and lakeside.tags == ["clinics"]
        formula = db.session.scalar(select(Organization).filter_by(normalized_name="formula org"))
        assert formula.region == "Texas" and len(formula.contacts) == 2
    bad = "name,scope,contact_email\nNew Org,galactic,\nOther,,not-an-email\n"
    refused = editor.post("/directory/import", data={"file": (io.BytesIO(bad.encode()), "b.csv")})
    assert "Line 2: unknown scope" in refused.text and "Line 3:" in refused.text
    with app.app_context():
        assert db.session.query(Organization).count() == 2


def test_suggested_duplicates_merge_in_one_audited_reversible_action(
    app, client_as, open_statement, add_signature
):
    first, _ = open_statement()
    second, _ = open_statement()
    add_signature(first, "Harbor Families Alliance", contact_email="a@harbor.example.org")
    add_signature(second, "Harbour Families Aliance", contact_email="b@gmail.com")
    add_signature(second, "Open Door Housing", contact_email="o@opendoor.example.org")
    with app.app_context():
        ids = {o.name: o.id for o in db.session.scalars(select(Organization))}
    keep, drop = ids["Harbor Families Alliance"], ids["Harbour Families Aliance"]
    editor = client_as(Role.EDITOR)
    page = editor.get("/directory/suggestions").text
    assert "Harbour Families Aliance" in page and "Open Door Housing" not in page
    merged = editor.post(
        "/directory/merge", data={"survivor_id": keep, "absorbed_id": drop}, follow_redirects=True
    )
    assert "merged into Harbor Families Alliance" in merged.text
    assert "Harbour Families Aliance" in merged.text  # kept as an alias
    with app.app_context():
        owners = set(
            db.session.scalars(
                select(Signature.organization_id).where(Signature.organization.like("Harbo%"))
            )
        )
        assert owners == {keep}
        event = db.session.scalar(select(AuditEvent).filter_by(action="organization.merged"))
        assert event.details["signatures"] == 1
        merge_id = event.details["merge"]
    assert "Harbour" not in editor.get("/directory/suggestions").text
    assert editor.get(f"/directory/{drop}").status_code == 302
    editor.post(f"/directory/merges/{merge_id}/undo")
    with app.app_context():
        rows = db.session.execute(select(Signature.organization, Signature.organization_id)).all()
        assert dict(rows)["Harbour Families Aliance"] == drop
        assert db.session.get(Organization, drop).merged_into_id is None
        assert [a.name for a in db.session.get(Organization, keep).aliases] == []
        assert db.session.scalar(select(AuditEvent).filter_by(action="organization.merge_undone"))
    again = editor.post(f"/directory/merges/{merge_id}/undo", follow_redirects=True)
    assert "already undone" in again.text


def test_merging_refuses_nonsense(app, client_as, add_organization):
    org_id = add_organization("Harbor Families Alliance")
    editor = client_as(Role.EDITOR)
    same = editor.post(
        "/directory/merge",
        data={"survivor_id": org_id, "absorbed_id": org_id},
        follow_redirects=True,
    )
    assert "cannot be merged into itself" in same.text
    assert (
        editor.post(
            "/directory/merge", data={"survivor_id": "x", "absorbed_id": "1"}, follow_redirects=True
        ).status_code
        == 200
    )
    viewer = client_as(Role.VIEWER)
    assert (
        viewer.post(
            "/directory/merge", data={"survivor_id": org_id, "absorbed_id": org_id}
        ).status_code
        == 403
    )
