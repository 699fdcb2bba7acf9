"""Review, approval, publication and retraction, and the audit trail they leave."""

from __future__ import annotations

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.statements.models import Status
from tests.conftest import load_statement, log_in
from tests.test_statements_editing import form_data


def act(client, statement_id: int, action: str, seen: int, note: str = ""):
    return client.post(
        f"/statements/{statement_id}/workflow/{action}",
        data={"seen_version": str(seen), "note": note},
        follow_redirects=True,
    )


def status_of(app, statement_id: int) -> Status:
    return load_statement(app, statement_id).status


def published(app, make_user, make_statement, body: str = "We oppose the bill."):
    """A statement taken through the whole workflow; returns (id, editor, approver clients)."""
    author = make_user(Role.EDITOR)
    statement_id = make_statement(author=author, body=body)
    editor = log_in(app.test_client(), author)
    approver = log_in(app.test_client(), make_user(Role.APPROVER))
    act(editor, statement_id, "submit", 1)
    act(approver, statement_id, "approve", 1)
    act(approver, statement_id, "publish", 1)
    assert status_of(app, statement_id) is Status.PUBLISHED
    return statement_id, editor, approver


def test_full_workflow_to_publication(app, client, make_user, make_statement):
    statement_id, _, _ = published(app, make_user, make_statement)
    statement = load_statement(app, statement_id)
    page = client.get(f"/s/{statement.slug}")
    assert page.status_code == 200
    assert b"We oppose the bill." in page.data


def test_draft_is_not_public(app, client, make_statement):
    statement_id = make_statement()
    assert client.get(f"/s/{load_statement(app, statement_id).slug}").status_code == 404


def test_last_author_cannot_approve_their_own_words(app, make_user, make_statement):
    approver_user = make_user(Role.APPROVER)
    statement_id = make_statement(author=approver_user)
    approver = log_in(app.test_client(), approver_user)
    act(log_in(app.test_client(), make_user(Role.EDITOR)), statement_id, "submit", 1)
    response = act(approver, statement_id, "approve", 1)
    assert "You wrote part of this text since it was last approved" in response.get_data(
        as_text=True
    )
    assert status_of(app, statement_id) is Status.IN_REVIEW


def test_wrong_roles_are_forbidden_and_change_nothing(app, client_as, make_statement):
    statement_id = make_statement()
    viewer, editor, press = (client_as(r) for r in (Role.VIEWER, Role.EDITOR, Role.PRESS_OFFICER))
    submit = f"/statements/{statement_id}/workflow/submit"
    assert viewer.post(submit, data={"seen_version": "1"}).status_code == 403
    act(editor, statement_id, "submit", 1)
    for client in (editor, press):
        response = client.post(
            f"/statements/{statement_id}/workflow/approve", data={"seen_version": "1"}
        )
        assert response.status_code == 403
    assert status_of(app, statement_id) is Status.IN_REVIEW


def test_transition_from_the_wrong_status_is_explained(app, client_as, make_statement):
    statement_id = make_statement()
    response = act(client_as(Role.APPROVER), statement_id, "publish", 1)
    assert "is not possible while the statement is draft" in response.get_data(as_text=True)
    assert status_of(app, statement_id) is Status.DRAFT


def test_unknown_action_and_missing_seen_version(app, client_as, make_statement):
    statement_id = make_statement()
    editor = client_as(Role.EDITOR)
    base = f"/statements/{statement_id}/workflow"
    assert editor.post(f"{base}/explode", data={"seen_version": "1"}).status_code == 404
    assert editor.post(f"{base}/submit", data={}).status_code == 400
    assert status_of(app, statement_id) is Status.DRAFT


def test_approving_words_that_changed_since_the_page_loaded_is_refused(
    app, client_as, make_statement
):
    statement_id = make_statement()
    editor, approver = client_as(Role.EDITOR), client_as(Role.APPROVER)
    act(editor, statement_id, "submit", 1)
    editor.post(f"/statements/{statement_id}/edit", data=form_data(1, body="Changed words."))
    act(editor, statement_id, "submit", 2)
    response = act(approver, statement_id, "approve", 1)
    assert "Version 2 was saved after you loaded version 1" in response.get_data(as_text=True)
    assert status_of(app, statement_id) is Status.IN_REVIEW


def test_published_text_stays_frozen_while_a_new_draft_is_reviewed(
    app, client, make_user, make_statement
):
    statement_id, editor, approver = published(app, make_user, make_statement)
    slug = load_statement(app, statement_id).slug
    saved = editor.post(f"/statements/{statement_id}/edit", data=form_data(1, body="New words."))
    assert saved.status_code == 302
    assert status_of(app, statement_id) is Status.DRAFT
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "We oppose the bill." in public and "New words." not in public
    act(editor, statement_id, "submit", 2)
    act(approver, statement_id, "approve", 2)
    assert "New words." not in client.get(f"/s/{slug}").get_data(as_text=True)
    act(approver, statement_id, "publish", 2)
    public = client.get(f"/s/{slug}").get_data(as_text=True)
    assert "New words." in public and "We oppose the bill." not in public


def test_request_changes_sends_back_to_draft(app, client_as, make_statement):
    statement_id = make_statement()
    act(client_as(Role.EDITOR), statement_id, "submit", 1)
    act(client_as(Role.APPROVER), statement_id, "request_changes", 1, note="Cite the study.")
    assert status_of(app, statement_id) is Status.DRAFT


def test_retraction_shows_a_notice_instead_of_the_text(app, client, make_user, make_statement):
    statement_id, _, approver = published(app, make_user, make_statement)
    act(approver, statement_id, "retract", 1, note="Superseded")
    assert status_of(app, statement_id) is Status.RETRACTED
    page = client.get(f"/s/{load_statement(app, statement_id).slug}").get_data(as_text=True)
    assert "This statement has been retracted" in page
    assert "We oppose the bill." not in page


def test_every_transition_is_in_the_audit_log_for_admins(app, client_as, make_user, make_statement):
    statement_id, _, approver = published(app, make_user, make_statement)
    act(approver, statement_id, "retract", 1)
    with app.app_context():
        actions = [
            event.action
            for event in db.session.scalars(
                db.select(AuditEvent)
                .where(AuditEvent.subject_id == statement_id)
                .order_by(AuditEvent.id)
            )
        ]
    assert actions[-4:] == [
        "statement.submit",
        "statement.approve",
        "statement.publish",
        "statement.retract",
    ]
    admin_page = client_as(Role.ADMIN).get("/admin/audit").get_data(as_text=True)
    assert "<td>Published</td>" in admin_page
    assert "approver" in admin_page and "to: published" in admin_page
    assert client_as(Role.EDITOR).get("/admin/audit").status_code == 403
