"""Staff pages and the public unsubscribe link, through the test client."""

from __future__ import annotations

import csv
import hashlib
import io
import re

from campaign.auth.roles import Role
from campaign.contacts.models import Contact
from campaign.distribution.models import Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.statements.models import Statement
from tests.support.distribution import distribution, statuses


def _form(release, list_ids, **fields):
    return {
        "version_id": release["version_id"],
        "list_ids": list_ids,
        "subject": "Ruling welcomed",
        "reply_to": "officer@press.example",
        "send_mode": "now",
        "timezone": "UTC",
    } | fields


def test_a_press_officer_sends_from_the_form_and_reads_an_honest_report(
    app, client_as, smtp_sink, release, contact_list
):
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    list_id = contact_list(3, {1: {"name": "=HYPERLINK(evil)"}, 2: {"do_not_contact": True}})
    officer = client_as(Role.PRESS_OFFICER)
    page = officer.get(f"/distributions/new?statement_id={release['statement_id']}")
    assert page.status_code == 200
    assert "Coalition welcomes the river clean-up ruling" in page.text
    start = {"action": "start", "expected": 2}
    response = officer.post("/distributions/new", data=_form(release, [list_id]) | start)
    assert response.status_code == 302
    smtp_sink.wait_for(2)
    shown = officer.get(response.headers["Location"])
    assert "finished: 2 sent, 0 failed, 1 skipped" in shown.text
    with app.app_context():
        dist = db.session.scalars(db.select(Distribution)).one()
        sha256, version_number = dist.document.sha256, dist.version.number
    assert sha256 in shown.text
    assert f"/statements/{release['statement_id']}/versions/{version_number}" in shown.text
    pdf = officer.get(f"/distributions/{dist.id}/document.pdf")
    assert hashlib.sha256(pdf.data).hexdigest() == sha256
    [attached] = list(smtp_sink.messages[0].iter_attachments())
    assert hashlib.sha256(attached.get_content()).hexdigest() == sha256

    progress = officer.get(f"/distributions/{dist.id}/progress").get_json()
    assert progress["counts"] == {
        "queued": 0,
        "sending": 0,
        "sent": 2,
        "failed": 0,
        "skipped": 1,
        "unconfirmed": 0,
        "bounced": 0,
    }
    assert progress["done"] and progress["text"] == "finished: 2 sent, 0 failed, 1 skipped"
    exported = officer.get(f"/distributions/{dist.id}/report.csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:4] == ["email", "name", "status", "reason"]
    assert rows[2][1:3] == ["'=HYPERLINK(evil)", "sent"]
    assert rows[3][2:4] == ["skipped", "do not contact"]


def test_bad_input_and_wrong_roles_change_nothing(
    app, client_as, release, contact_list, make_statement
):
    list_id = contact_list(2)
    officer = client_as(Role.PRESS_OFFICER)
    no_lists = officer.post("/distributions/new", data=_form(release, []))
    assert no_lists.status_code == 422 and "Choose at least one contact list." in no_lists.text
    bad_reply = officer.post("/distributions/new", data=_form(release, [list_id], reply_to="x@"))
    assert bad_reply.status_code == 422
    no_time = officer.post(
        "/distributions/new", data=_form(release, [list_id], send_mode="chosen_time")
    )
    assert "Choose the date and time to send." in no_time.text
    no_embargo = officer.post(
        "/distributions/new", data=_form(release, [list_id], send_mode="embargo_lift")
    )
    assert "This version has no embargo" in no_embargo.text
    draft = make_statement(title="Still a draft")
    with app.app_context():
        draft_version = db.session.get(Statement, draft).head.id
    refused = officer.post(
        "/distributions/new", data=_form(release, [list_id], version_id=draft_version)
    )
    assert refused.status_code == 422
    viewer = client_as(Role.VIEWER)
    assert viewer.get("/distributions/new").status_code == 403
    assert viewer.post("/distributions/new", data=_form(release, [list_id])).status_code == 403
    assert viewer.get("/distributions").status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Distribution.id))) == 0
        assert db.session.scalar(db.select(db.func.count(Recipient.id))) == 0
    assert officer.get("/distributions/999").status_code == 404


def test_the_unsubscribe_link_in_the_email_works(app, client, smtp_sink, contact_list, distribute):
    app.config["DISTRIBUTION_RATE_PER_MINUTE"] = 0
    list_id = contact_list(2)
    distribute([list_id])
    messages = smtp_sink.wait_for(2)
    by_address = {m["To"].addresses[0].addr_spec: m for m in messages}
    first = by_address["reporter1-0@news.example"]
    text = first.get_body(("plain",)).get_content()
    link = re.search(r"Unsubscribe: (\S+)", text).group(1)
    assert f"<{link}>" == first["List-Unsubscribe"]
    path = link.removeprefix("http://localhost")
    confirm = client.get(path)
    assert confirm.status_code == 200 and "Stop receiving" in confirm.text
    with app.app_context():
        assert (
            db.session.scalars(db.select(Contact).filter_by(name="Reporter 0"))
            .one()
            .unsubscribed_at
            is None
        )
    assert "You are unsubscribed" in client.post(path).text
    one_click = re.search(
        r"<http://localhost(\S+)>", by_address["reporter1-1@news.example"]["List-Unsubscribe"]
    ).group(1)
    assert client.post(one_click, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert client.get("/unsubscribe/forged-token").status_code == 404
    second = distribute([list_id])
    assert set(statuses(app, second).values()) == {RecipientStatus.SKIPPED}
    with app.app_context():
        reasons = {
            r.reason
            for r in db.session.scalars(db.select(Recipient).filter_by(distribution_id=second))
        }
    assert reasons == {"unsubscribed"}
    assert len(smtp_sink.messages) == 2
    assert distribution(app, second).status.value == "finished"


def test_the_demo_data_includes_a_finished_distribution(app, runner, client_as):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    page = client_as(Role.VIEWER).get("/distributions")
    assert "Coalition letter:" in page.text
    assert re.search(r"finished: \d+ sent, 0 failed, [1-9]\d* skipped", page.text)
