"""What needs me: notifications in the app and by email, the reason for sent-back statements,
and the home page lists."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from campaign import clock
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.notify.events import Event
from campaign.notify.models import Notification
from tests.conftest import load_statement, log_in
from tests.test_statements_workflow import act


def mails(app, purpose: str) -> list[OutgoingMail]:
    with app.app_context():
        return list(db.session.scalars(select(OutgoingMail).filter_by(purpose=purpose)))


def notes_of(app, user) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.text).filter_by(user_id=user.id)))


def team(app, make_user, make_statement):
    author, approver = make_user(Role.EDITOR), make_user(Role.APPROVER)
    statement_id = make_statement(author=author, title="Close the jail")
    return (
        statement_id,
        author,
        approver,
        log_in(app.test_client(), author),
        log_in(app.test_client(), approver),
    )


def test_request_changes_needs_a_reason_shown_on_statement_and_history(
    app, make_user, make_statement
):
    statement_id, _, _, editor, approver = team(app, make_user, make_statement)
    act(editor, statement_id, "submit", 1)
    refused = act(approver, statement_id, "request_changes", 1, note="  ")
    assert "a reason is required" in refused.text
    assert load_statement(app, statement_id).status.value == "in_review"
    act(approver, statement_id, "request_changes", 1, note="Cite the 2025 study.")
    page = editor.get(f"/statements/{statement_id}").text
    assert "Changes requested" in page and "Cite the 2025 study." in page
    history = editor.get(f"/statements/{statement_id}/history").text
    assert "Changes requested" in history and "Cite the 2025 study." in history
    assert "Submitted for review" in history


def email_me(client, *events: str) -> None:
    data = {f"event_{event.value}": "app" for event in Event} | {"timezone": "UTC"}
    data |= {f"event_{event}": "both" for event in events}
    assert client.post("/profile", data=data).status_code == 302


def test_submit_notifies_approvers_in_app_and_by_email(app, make_user, make_statement):
    statement_id, author, approver, editor, approver_client = team(app, make_user, make_statement)
    email_me(approver_client, "submitted")
    act(editor, statement_id, "submit", 1)
    assert notes_of(app, approver) == [
        f"“Close the jail” waits for your review (submitted by {author.name})."
    ]
    assert notes_of(app, author) == []  # nobody is told about their own action
    sent = mails(app, "notify.submitted")
    assert [m.to_address for m in sent] == [approver.email]
    assert f"/statements/{statement_id}" in sent[0].text_body


def test_changes_requested_reaches_the_author_with_the_reason(app, make_user, make_statement):
    statement_id, author, _, editor, approver = team(app, make_user, make_statement)
    email_me(editor, "changes_requested")
    act(editor, statement_id, "submit", 1)
    act(approver, statement_id, "request_changes", 1, note="Shorter, please.")
    assert any("Shorter, please." in text for text in notes_of(app, author))
    assert [m.to_address for m in mails(app, "notify.changes_requested")] == [author.email]


def test_each_user_chooses_the_channel(app, make_user, make_statement):
    statement_id, _, approver, editor, approver_client = team(app, make_user, make_statement)
    form = approver_client.get("/profile").text
    assert re.search(r'<input [^>]*checked id="event_submitted-1"[^>]*value="app">', form)
    data = {
        f"event_{e}": "app"
        for e in (
            "approved",
            "published",
            "comment_added",
            "distribution_finished",
            "goal_reached",
            "deadline_tomorrow",
            "changes_requested",
        )
    }
    data |= {"event_submitted": "none", "timezone": "Europe/Berlin"}
    assert approver_client.post("/profile", data=data).status_code == 302
    act(editor, statement_id, "submit", 1)
    assert notes_of(app, approver) == [] and mails(app, "notify.submitted") == []
    assert 'value="Europe/Berlin"' in approver_client.get("/profile").text


def test_profile_refuses_an_unknown_zone(client_as):
    response = client_as(Role.EDITOR).post("/profile", data={"timezone": "Atlantis/Capital"})
    assert response.status_code == 422
    assert "Choose a time zone from the list" in response.text


def test_the_in_app_list_shows_and_marks_read(app, make_user, make_statement):
    statement_id, _, _, editor, approver = team(app, make_user, make_statement)
    act(editor, statement_id, "submit", 1)
    home = approver.get("/").text
    assert 'class="count">1<' in home
    listing = approver.get("/notifications").text
    assert "waits for your review" in listing and "New" in listing
    assert 'class="count"' not in approver.get("/").text


def test_home_page_lists_what_needs_me(app, make_user, make_statement):
    statement_id, _, _, editor, approver = team(app, make_user, make_statement)
    act(editor, statement_id, "submit", 1)
    review = approver.get("/").text
    assert "Waiting for your review" in review and "Close the jail" in review
    assert "Waiting for your review" not in editor.get("/").text
    act(approver, statement_id, "request_changes", 1, note="Add the numbers.")
    home = editor.get("/").text
    assert "Sent back to you" in home and "Add the numbers." in home
    assert "Recent activity on your statements" in home and "Changes requested" in home


def test_goal_and_deadline_are_told_once(app, open_statement, add_signature):
    from campaign.notify.sweep import sweep

    deadline = clock.now() + timedelta(hours=20)
    statement_id, _ = open_statement(goal=2, deadline=deadline)
    with app.app_context():
        author_id = load_statement(app, statement_id).head.author_id
    add_signature(statement_id, "Anchor Fund")
    with app.app_context():
        assert sweep() == 1  # the deadline; the goal is not reached yet
    add_signature(statement_id, "Beacon Clinic")
    with app.app_context():
        assert sweep() == 1 and sweep() == 0
        texts = list(db.session.scalars(select(Notification.text).filter_by(user_id=author_id)))
    assert any("closes within a day" in text for text in texts)
    assert any("reached its sign-on goal: 2 of 2" in text for text in texts)


def test_a_finished_distribution_tells_its_sender_the_honest_counts(
    app, smtp_sink, release, contact_list, distribute
):
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    distribute([contact_list(3, extra={1: {"do_not_contact": True}})])  # eager: runs to the end
    texts = notes_of(app, release["officer"])
    assert len(texts) == 1 and "finished: 2 sent, 1 skipped" in texts[0]
