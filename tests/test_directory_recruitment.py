"""Recruitment: invitations with personal links, statuses, declines and reminders."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from campaign import clock
from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.directory.models import Invitation
from campaign.directory.reminders import send_reminders
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.signon.models import Scope
from tests.test_signon_public import form


def _mails(app, purpose):
    with app.app_context():
        rows = db.session.scalars(
            select(OutgoingMail).filter_by(purpose=purpose).order_by(OutgoingMail.id)
        )
        return [(m.to_address, m.text_body) for m in rows]


def _link(text, kind):
    pattern = (
        r"http://localhost(/invite/[^/\s]+/decline)"
        if kind == "decline"
        else (r"http://localhost(/invite/[^/\s]+)\s")
    )
    return re.search(pattern, text).group(1)


def _statuses(app, statement_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Invitation).filter_by(statement_id=statement_id).order_by(Invitation.email)
        )
        return {i.email: i.status.value for i in rows}


@pytest.fixture()
def coalition(add_organization):
    """Three organizations; Texas ones are state and local."""
    return {
        "texas": add_organization(
            "Texas Recovery Alliance",
            ("tara@tra.example.org",),
            scope=Scope.STATE_LOCAL,
            region="Texas",
        ),
        "austin": add_organization(
            "Austin Harm Reduction",
            ("al@ahr.example.org",),
            scope=Scope.STATE_LOCAL,
            region="Texas",
        ),
        "national": add_organization("National Peer Guild", ("ned@npg.example.org",)),
    }


def test_invite_by_filter_and_by_hand_sends_personal_mail_once(
    app, client_as, open_statement, coalition
):
    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    found = editor.get(
        f"/statements/{statement_id}/recruitment?find=1&region=Texas&scope=state_local"
    )
    assert "Texas Recovery Alliance" in found.text and "National Peer Guild" not in found.text
    done = editor.post(
        f"/statements/{statement_id}/recruitment/invite",
        data={"all_matching": "1", "region": "Texas", "scope": "state_local"},
        follow_redirects=True,
    )
    assert "2 invitation(s) sent" in done.text
    editor.post(
        f"/statements/{statement_id}/recruitment/invite",
        data={"organization_id": [coalition["national"], coalition["texas"]]},
    )
    invites = _mails(app, "recruitment.invite")
    assert sorted(to for to, _ in invites) == [
        "al@ahr.example.org",
        "ned@npg.example.org",
        "tara@tra.example.org",
    ]
    assert _statuses(app, statement_id) == dict.fromkeys(
        ["al@ahr.example.org", "ned@npg.example.org", "tara@tra.example.org"], "invited"
    )
    page = editor.get(f"/statements/{statement_id}/recruitment").text
    assert "<strong>3</strong> invited" in page


def test_do_not_contact_and_closed_letters_are_refused(app, client_as, open_statement, coalition):
    with app.app_context():
        db.session.add(
            Contact(
                name="Tara",
                email="tara@tra.example.org",
                email_key="tara@tra.example.org",
                do_not_contact=True,
            )
        )
        db.session.commit()
    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    done = editor.post(
        f"/statements/{statement_id}/recruitment/invite",
        data={"organization_id": [coalition["texas"]]},
        follow_redirects=True,
    )
    assert "do-not-contact" in done.text and _mails(app, "recruitment.invite") == []
    closed_id, _ = open_statement(deadline=datetime(2001, 1, 1, tzinfo=UTC))
    refused = editor.post(
        f"/statements/{closed_id}/recruitment/invite",
        data={"organization_id": [coalition["austin"]]},
        follow_redirects=True,
    )
    assert "Open the letter for sign-on" in refused.text
    viewer = client_as(Role.VIEWER)
    assert (
        viewer.post(
            f"/statements/{statement_id}/recruitment/invite",
            data={"organization_id": [coalition["austin"]]},
        ).status_code
        == 403
    )


def test_personal_link_prefills_the_form_and_signing_updates_the_table(
    app, client, client_as, open_statement, coalition
):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    editor.post(
        f"/statements/{statement_id}/recruitment/invite",
        data={"organization_id": [coalition["texas"]]},
    )
    [(_, text)] = _mails(app, "recruitment.invite")
    page = client.get(_link(text, "sign"))
    assert 'value="Texas Recovery Alliance"' in page.text
    assert 'value="tara@tra.example.org"' in page.text
    assert _statuses(app, statement_id) == {"tara@tra.example.org": "opened"}
    client.post(
        f"/s/{slug}/sign",
        data=form(organization="Texas Recovery Alliance", contact_email="tara@tra.example.org"),
    )
    assert _statuses(app, statement_id) == {"tara@tra.example.org": "signed"}
    table = editor.get(f"/statements/{statement_id}/recruitment").text
    assert "<strong>1</strong> signed" in table and "(pending)" in table
    # declining after signing is refused
    refused = client.post(_link(text, "decline"))
    assert refused.status_code == 409
    assert client.get("/invite/not-a-token").status_code == 404


def test_decline_needs_a_post(app, client, client_as, open_statement, coalition):
    statement_id, _ = open_statement()
    client_as(Role.EDITOR).post(
        f"/statements/{statement_id}/recruitment/invite",
        data={"organization_id": [coalition["austin"]]},
    )
    [(_, text)] = _mails(app, "recruitment.invite")
    link = _link(text, "decline")
    assert "We decline" in client.get(link).text
    assert _statuses(app, statement_id) == {"al@ahr.example.org": "invited"}
    assert "will not ask" in client.post(link).text
    assert _statuses(app, statement_id) == {"al@ahr.example.org": "declined"}


def test_reminders_go_once_per_step_to_waiting_reachable_invitations(
    app, client, client_as, open_statement, coalition
):
    start = datetime(2031, 3, 1, 12, tzinfo=UTC)
    moment = {"now": start}
    clock.set_clock(lambda: moment["now"])
    try:
        deadline = start + timedelta(days=10)
        statement_id, _ = open_statement(deadline=deadline)
        editor = client_as(Role.EDITOR)
        editor.post(
            f"/statements/{statement_id}/recruitment/invite",
            data={"organization_id": list(coalition.values())},
        )
        invites = dict(_mails(app, "recruitment.invite"))
        client.post(_link(invites["al@ahr.example.org"], "decline"))
        with app.app_context():
            db.session.add(
                Contact(
                    name="Ned",
                    email="ned@npg.example.org",
                    email_key="ned@npg.example.org",
                    do_not_contact=True,
                )
            )
            db.session.commit()
            assert send_reminders() == 0  # ten days out: no step reached
            moment["now"] = deadline - timedelta(days=7) + timedelta(hours=1)
            assert send_reminders() == 1
            assert send_reminders() == 0  # the same step never twice
            moment["now"] = deadline - timedelta(days=1)
            assert send_reminders() == 1
            moment["now"] = deadline + timedelta(hours=1)
            assert send_reminders() == 0  # after the deadline: nothing
        assert [to for to, _ in _mails(app, "recruitment.reminder")] == [
            "tara@tra.example.org",
            "tara@tra.example.org",
        ]
        page = editor.get(f"/statements/{statement_id}/recruitment").text
        assert "<strong>2</strong> no answer" in page and "<strong>1</strong> declined" in page
    finally:
        clock.set_clock(None)
