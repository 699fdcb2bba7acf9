"""Staff-defined extra questions: asked on the sign form, stored, exported, shown if public."""

from __future__ import annotations

from sqlalchemy import select

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.signon.models import Signature
from campaign.signon.questions import Question
from tests.test_signon_public import form, link_in, mails_to


def _ask(editor, statement_id, **values):
    return editor.post(f"/statements/{statement_id}/questions", data=values, follow_redirects=True)


def test_questions_are_asked_stored_exported_and_public_ones_shown(
    app, client, client_as, open_statement
):
    statement_id, slug = open_statement()
    editor = client_as(Role.EDITOR)
    _ask(editor, statement_id, label="How many members?", kind="text", public="y")
    _ask(
        editor,
        statement_id,
        label="Budget size",
        kind="choice",
        choices="Under $1M\n$1M or more",
        required="y",
    )
    _ask(editor, statement_id, label="May we call you?", kind="checkbox")
    page = client.get(f"/s/{slug}/sign").text
    assert "How many members?" in page and "$1M or more" in page
    missing = client.post(f"/s/{slug}/sign", data=form())
    assert missing.status_code == 422 and "Please answer this question." in missing.text
    with app.app_context():
        ids = {q.label: f"q_{q.id}" for q in db.session.scalars(select(Question))}
    fields = {
        ids["How many members?"]: "500",
        ids["Budget size"]: "$1M or more",
        ids["May we call you?"]: "y",
    }
    signed = client.post(f"/s/{slug}/sign", data=form(**fields))
    assert signed.status_code == 200, (fields, signed.text[signed.text.find("error") :][:300])
    with app.app_context():
        answers = db.session.scalar(select(Signature.answers))
    assert answers == {
        "How many members?": "500",
        "Budget size": "$1M or more",
        "May we call you?": "yes",
    }
    [(_, text)] = mails_to(app, "dana@riverbend.example.org")
    client.post(link_in(text, "confirm"))
    public = client.get(f"/s/{slug}").text
    assert "How many members?: 500" in public and "$1M or more" not in public
    staff = editor.get(f"/statements/{statement_id}/signatories.csv").text
    assert "Budget size" in staff.splitlines()[0] and "$1M or more" in staff
    public_csv = editor.get(f"/statements/{statement_id}/signatories-public.csv").text
    assert "How many members?" in public_csv and "Budget size" not in public_csv


def test_bad_questions_are_refused_and_viewers_cannot_add(app, client_as, open_statement):
    statement_id, _ = open_statement()
    editor = client_as(Role.EDITOR)
    one_choice = _ask(editor, statement_id, label="Pick", kind="choice", choices="Only one")
    assert "at least two choices" in one_choice.text
    assert "No extra questions." in _ask(editor, statement_id, label="  ").text
    viewer = client_as(Role.VIEWER)
    assert (
        viewer.post(f"/statements/{statement_id}/questions", data={"label": "X"}).status_code == 403
    )
