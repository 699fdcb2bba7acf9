"""Approval means these exact words: atomic against concurrent saves, and four-eyes by
authorship (including restores), not by who pressed save last."""

from __future__ import annotations

import threading

import pytest

from campaign.audit.models import AuditEvent
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.statements.models import Status
from tests.conftest import load_statement, log_in
from tests.test_statements_editing import form_data
from tests.test_statements_workflow import act

ROUNDS = 25


def _race(editor, approver, statement_id: int, body: str) -> dict[str, int]:
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def save() -> None:
        barrier.wait()
        response = editor.post(f"/statements/{statement_id}/edit", data=form_data(1, body=body))
        results["save"] = response.status_code

    def approve() -> None:
        barrier.wait()
        response = approver.post(
            f"/statements/{statement_id}/workflow/approve", data={"seen_version": "1"}
        )
        results["approve"] = response.status_code

    threads = [threading.Thread(target=save), threading.Thread(target=approve)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_an_approval_racing_a_save_never_approves_the_newer_text(
    app, backend, make_user, make_statement
):
    if backend != "postgresql":
        pytest.skip("two real concurrent transactions need PostgreSQL")
    editor_user, approver_user = make_user(Role.EDITOR), make_user(Role.APPROVER)
    approved_first = 0
    for round_number in range(ROUNDS):
        statement_id = make_statement(author=editor_user)
        editor = log_in(app.test_client(), editor_user)
        approver = log_in(app.test_client(), approver_user)
        act(editor, statement_id, "submit", 1)
        results = _race(editor, approver, statement_id, f"Changed in round {round_number}.")
        assert results == {"save": 302, "approve": 302}
        statement = load_statement(app, statement_id)
        assert statement.head_number == 2
        # Either the approval of version 1 landed first and the save sent it back to draft,
        # or the save landed first and the approval was refused: never "approved" at v2.
        assert statement.status is Status.DRAFT, f"round {round_number}"
        with app.app_context():
            approvals = db.session.query(AuditEvent).filter_by(
                action="statement.approve", subject_id=statement_id
            )
            versions = [event.details["version"] for event in approvals]
        assert versions in ([], [1])
        approved_first += len(versions)
        assert statement.approved_number == (1 if versions else None)
    print(f"approval landed first in {approved_first} of {ROUNDS} rounds")


def test_a_stale_approval_is_refused_with_the_message(app, make_user, make_statement):
    editor_user = make_user(Role.EDITOR)
    statement_id = make_statement(author=editor_user)
    editor = log_in(app.test_client(), editor_user)
    approver = log_in(app.test_client(), make_user(Role.APPROVER))
    act(editor, statement_id, "submit", 1)
    editor.post(f"/statements/{statement_id}/edit", data=form_data(1, body="Newer words."))
    act(editor, statement_id, "submit", 2)
    page = act(approver, statement_id, "approve", 1).get_data(as_text=True)
    assert "Version 2 was saved after you loaded version 1" in page
    assert load_statement(app, statement_id).status is Status.IN_REVIEW


def _admin_and_editor(app, make_user, make_statement, first_author: str = "editor"):
    """A statement and signed-in clients for an admin and an editor (author of version 1)."""
    users = {"admin": make_user(Role.ADMIN), "editor": make_user(Role.EDITOR)}
    statement_id = make_statement(author=users[first_author])
    clients = [log_in(app.test_client(), users[name]) for name in ("admin", "editor")]
    return statement_id, *clients


def _approver(app, make_user):
    return log_in(app.test_client(), make_user(Role.APPROVER))


def _edit(client, statement_id: int, base: int, body: str) -> None:
    client.post(f"/statements/{statement_id}/edit", data=form_data(base, body=body))


def _refused_as_author(app, admin, statement_id: int, number: int) -> None:
    page = act(admin, statement_id, "approve", number).get_data(as_text=True)
    assert "You wrote part of this text since it was last approved" in page
    assert load_statement(app, statement_id).status is Status.IN_REVIEW


def test_an_earlier_author_since_the_last_approval_cannot_approve(app, make_user, make_statement):
    statement_id, admin, editor = _admin_and_editor(app, make_user, make_statement)
    _edit(admin, statement_id, 1, "The admin's words.")
    _edit(editor, statement_id, 2, "The admin's words!")  # the editor pressed save last
    act(editor, statement_id, "submit", 3)
    _refused_as_author(app, admin, statement_id, 3)
    act(_approver(app, make_user), statement_id, "approve", 3)
    assert load_statement(app, statement_id).status is Status.APPROVED


def test_a_restore_carries_the_authorship_of_the_text_it_restores(app, make_user, make_statement):
    statement_id, admin, editor = _admin_and_editor(app, make_user, make_statement)
    act(editor, statement_id, "submit", 1)
    act(_approver(app, make_user), statement_id, "approve", 1)  # the editor's v1 is approved
    _edit(admin, statement_id, 1, "Admin's text.")
    _edit(editor, statement_id, 2, "Editor's text.")
    act(editor, statement_id, "submit", 3)
    act(_approver(app, make_user), statement_id, "request_changes", 3)
    # The editor restores version 2: the words are the admin's, whoever pressed restore.
    editor.post(f"/statements/{statement_id}/versions/2/restore")
    act(editor, statement_id, "submit", 4)
    _refused_as_author(app, admin, statement_id, 4)


def test_words_already_approved_do_not_block_their_author(app, make_user, make_statement):
    statement_id, admin, editor = _admin_and_editor(app, make_user, make_statement, "admin")
    act(admin, statement_id, "submit", 1)
    act(_approver(app, make_user), statement_id, "approve", 1)
    _edit(editor, statement_id, 1, "Editor's fix.")
    act(editor, statement_id, "submit", 2)
    act(admin, statement_id, "approve", 2)
    statement = load_statement(app, statement_id)
    assert statement.status is Status.APPROVED and statement.approved_number == 2
