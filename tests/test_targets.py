"""Targets of a coalition letter and deliveries: exact version, exact signatories, once each."""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from campaign import clock
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.signon.models import SignatureStatus
from campaign.statements.models import Kind, Statement
from campaign.targets.delivery import DELIVER_TASK, DeliveryError, request_delivery
from campaign.targets.models import Delivery, DeliveryRecipient, DeliveryTrigger, Target
from campaign.targets.preparing import prepare_delivery
from tests.support.pdfs import pdf_text
from tests.support.waiting import wait_until

COMMITTEE = [
    ("Sen. Ada Whitcombe", "Chair, Judiciary Committee", "chair@committee.example.gov"),
    ("Rep. Luis Ferrante", "Ranking Member", "ferrante@committee.example.gov"),
    ("Rep. June Okonkwo", "Member", "okonkwo@committee.example.gov"),
]
SIGNED = ["Riverbend Recovery Network", "Harbor Families Alliance", "Justice Forward Project"]


def add_targets(client, statement_id: int, targets=COMMITTEE) -> None:
    for name, office, email in targets:
        response = client.post(
            f"/statements/{statement_id}/targets",
            data={"name": name, "office": office, "email": email},
        )
        assert response.status_code == 302, response.text


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def letter(app, open_statement, add_signature, client_as):
    """A published letter open for sign-on with three listed signatories (and two not)."""

    def make(**settings):
        statement_id, _ = open_statement(**settings)
        for name in SIGNED:
            add_signature(statement_id, name)
        add_signature(statement_id, "Pending Coalition", SignatureStatus.PENDING)
        add_signature(statement_id, "Withdrawn Society", SignatureStatus.WITHDRAWN)
        editor = client_as(Role.EDITOR)
        add_targets(editor, statement_id)
        return statement_id, editor

    return make


def wait_until_sent(app, expected: int) -> None:
    """The worker marks a mail sent just after the SMTP server accepted it; wait for that."""

    def statuses() -> list[MailStatus]:
        db.session.expire_all()
        return list(db.session.scalars(select(OutgoingMail.status)))

    with app.app_context():
        wait_until(lambda: statuses().count(MailStatus.SENT) == expected, 10, "the mails sent")
        assert statuses() == [MailStatus.SENT] * expected


def only_delivery(app) -> Delivery:
    with app.app_context():
        delivery = db.session.scalars(select(Delivery)).one()
        db.session.refresh(delivery)
        db.session.expunge(delivery)
        return delivery


def check_messages(app, messages, delivery: Delivery) -> None:
    """Three emails, one per target, each with the delivered PDF and CSV."""
    assert sorted(m["To"] for m in messages) == sorted(email for _, _, email in COMMITTEE)
    for message in messages:
        pdf, table = list(message.iter_attachments())
        assert pdf.get_content_type() == "application/pdf"
        assert hashlib.sha256(pdf.get_content()).hexdigest() == delivery.pdf_sha256
        text = pdf_text(pdf.get_content())
        assert "Signed by 3 organizations" in text
        assert all(text.count(name) == 1 for name in SIGNED), text
        assert "Pending Coalition" not in text and "Withdrawn Society" not in text
        assert table.get_content_type() == "text/csv"
        data = table.get_content()
        data = data.encode() if isinstance(data, str) else data
        assert hashlib.sha256(data).hexdigest() == delivery.csv_sha256
        names = [row[0] for row in csv.reader(io.StringIO(data.decode()))][1:]
        assert sorted(names) == sorted(SIGNED)


@pytest.mark.worker
def test_deliver_now_sends_each_target_one_email_with_pdf_and_csv(
    app, letter, smtp_sink, celery_worker
):
    statement_id, editor = letter()
    response = editor.post(f"/statements/{statement_id}/deliveries", data={"sequence": "1"})
    assert response.status_code == 302
    delivery_id = only_delivery(app).id
    with app.app_context():
        assert enqueue(DELIVER_TASK, delivery_id)  # a duplicate task must change nothing
    celery_worker()
    messages = smtp_sink.wait_for(3)
    delivery = only_delivery(app)
    with app.app_context():
        published = db.session.get(Statement, statement_id).published_version_id
        signed_ids = delivery.signatory_ids
    assert delivery.version_id == published
    assert delivery.signatory_count == 3 and len(signed_ids) == 3
    assert sorted(delivery.signatory_names) == sorted(SIGNED)
    check_messages(app, messages, delivery)
    assert count(app, DeliveryRecipient) == 3
    wait_until_sent(app, 3)

    page = editor.get(f"/deliveries/{delivery_id}").text
    assert "version 1" in page
    assert "Delivered: 3 of 3 sent" in page
    assert "3 organizations" in page and delivery.pdf_sha256 in page
    for name in SIGNED:
        assert name in page
    assert "Pending Coalition" not in page and "Withdrawn Society" not in page
    pdf = editor.get(f"/deliveries/{delivery_id}/pdf")
    assert hashlib.sha256(pdf.data).hexdigest() == delivery.pdf_sha256
    assert len(smtp_sink.messages) == 3


def test_a_delivery_is_prepared_once_however_often_its_task_runs(app, letter, smtp_sink):
    statement_id, editor = letter()
    editor.post(f"/statements/{statement_id}/deliveries", data={"sequence": "1"})
    delivery = only_delivery(app)
    with app.app_context():
        assert prepare_delivery(delivery.id) == 0
    check_messages(app, smtp_sink.wait_for(3), delivery)
    assert count(app, OutgoingMail) == 3
    assert len(smtp_sink.messages) == 3


def test_double_click_makes_one_delivery(app, letter, smtp_sink):
    statement_id, editor = letter()
    editor.post(f"/statements/{statement_id}/deliveries", data={"sequence": "1"})
    again = editor.post(
        f"/statements/{statement_id}/deliveries", data={"sequence": "1"}, follow_redirects=True
    )
    assert "Another delivery of this letter was just started" in again.text
    assert count(app, Delivery) == 1
    assert len(smtp_sink.wait_for(3)) == 3


def test_delivery_starts_when_the_signon_deadline_passes(app, letter, smtp_sink):
    sweep = app.extensions["celery"].tasks["targets.sweep"]  # this app's task, run eagerly
    start = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    now = {"value": start}
    clock.set_clock(lambda: now["value"])
    try:
        statement_id, editor = letter(deadline=start + timedelta(hours=1))
        page = editor.get(f"/statements/{statement_id}/targets").text
        assert "the letter will then be delivered automatically" in page
        assert sweep.delay().get() == 0
        assert count(app, Delivery) == 0
        now["value"] = start + timedelta(hours=1, minutes=1)
        assert sweep.delay().get() == 1
        assert sweep.delay().get() == 0
    finally:
        clock.set_clock(None)
    delivery = only_delivery(app)
    assert delivery.trigger is DeliveryTrigger.DEADLINE
    assert delivery.signatory_count == 3
    assert delivery.deadline_at == start + timedelta(hours=1)
    check_messages(app, smtp_sink.wait_for(3), delivery)
    assert count(app, Delivery) == 1


def test_delivery_refused_without_publication_targets_or_signatories(
    app, client_as, make_statement, open_statement, add_signature
):
    editor = client_as(Role.EDITOR)
    draft_id = make_statement()
    add_targets(editor, draft_id, COMMITTEE[:1])
    page = editor.post(
        f"/statements/{draft_id}/deliveries", data={"sequence": "1"}, follow_redirects=True
    )
    assert "Publish the letter before delivering it" in page.text

    statement_id, _ = open_statement()
    page = editor.post(
        f"/statements/{statement_id}/deliveries", data={"sequence": "1"}, follow_redirects=True
    )
    assert "Add at least one target" in page.text
    add_targets(editor, statement_id, COMMITTEE[:1])
    add_signature(statement_id, "Pending Coalition", SignatureStatus.PENDING)
    page = editor.post(
        f"/statements/{statement_id}/deliveries", data={"sequence": "1"}, follow_redirects=True
    )
    assert "No organization has signed" in page.text
    viewer = client_as(Role.VIEWER)
    assert viewer.post(f"/statements/{statement_id}/deliveries").status_code == 403
    assert count(app, Delivery) == 0


def test_targets_crud_and_bad_input(app, client_as, make_statement):
    editor = client_as(Role.EDITOR)
    statement_id = make_statement()
    add_targets(editor, statement_id, COMMITTEE[:1])
    page = editor.get(f"/statements/{statement_id}/targets").text
    assert "Sen. Ada Whitcombe" in page and "Chair, Judiciary Committee" in page
    duplicate = editor.post(
        f"/statements/{statement_id}/targets",
        data={"name": "Ada again", "email": "CHAIR@committee.example.gov"},
    )
    assert duplicate.status_code == 422 and "already a target" in duplicate.text
    invalid = editor.post(
        f"/statements/{statement_id}/targets", data={"name": "X", "email": "nobody"}
    )
    assert invalid.status_code == 422
    assert (
        editor.post(f"/statements/{statement_id}/targets", data={"email": "a@b.org"}).status_code
        == 422
    )
    assert count(app, Target) == 1

    with app.app_context():
        target_id = db.session.scalar(select(Target.id))
    edited = editor.post(
        f"/targets/{target_id}/edit",
        data={
            "name": "Sen. Ada Whitcombe",
            "office": "Chair",
            "email": "ada@committee.example.gov",
        },
    )
    assert edited.status_code == 302
    assert "ada@committee.example.gov" in editor.get(f"/statements/{statement_id}/targets").text
    viewer = client_as(Role.VIEWER)
    assert viewer.post(f"/targets/{target_id}/delete").status_code == 403
    assert editor.post(f"/targets/{target_id}/delete").status_code == 302
    assert count(app, Target) == 0


def test_press_release_has_no_targets(app, client_as, make_statement):
    editor = client_as(Role.EDITOR)
    release_id = make_statement(kind=Kind.PRESS_RELEASE)
    response = editor.post(
        f"/statements/{release_id}/targets", data={"name": "A", "email": "a@example.org"}
    )
    assert "Only a coalition letter has targets" in response.text
    assert count(app, Target) == 0


def _preparing_delivery(app, statement_id: int) -> int:
    """A delivery row whose task never ran (as if the broker had been down)."""
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        delivery = Delivery(
            statement_id=statement_id,
            sequence=1,
            version_id=statement.published_version_id,
            trigger=DeliveryTrigger.MANUAL,
        )
        db.session.add(delivery)
        db.session.commit()
        return delivery.id


def test_lost_delivery_task_is_enqueued_again_by_the_sweep(app, letter, smtp_sink):
    statement_id, _ = letter()
    delivery_id = _preparing_delivery(app, statement_id)
    sweep = app.extensions["celery"].tasks["targets.sweep"]
    assert sweep.delay().get() == 0  # too recent: its task may still be on its way
    clock.set_clock(lambda: datetime.now(UTC) + timedelta(minutes=3))
    try:
        assert sweep.delay().get() == 1
    finally:
        clock.set_clock(None)
    assert only_delivery(app).id == delivery_id
    check_messages(app, smtp_sink.wait_for(3), only_delivery(app))


def test_delivery_with_no_signatory_left_fails_visibly_and_sends_nothing(
    app, open_statement, add_signature, client_as, smtp_sink
):
    statement_id, _ = open_statement()
    add_signature(statement_id, "Withdrawn Society", SignatureStatus.WITHDRAWN)
    editor = client_as(Role.EDITOR)
    add_targets(editor, statement_id, COMMITTEE[:1])
    delivery_id = _preparing_delivery(app, statement_id)
    with app.app_context():
        assert prepare_delivery(delivery_id) == 0
    page = editor.get(f"/deliveries/{delivery_id}").text
    assert "Failed: No organization is listed as a signatory any more." in page
    assert count(app, OutgoingMail) == 0 and smtp_sink.messages == []


def test_targets_added_after_the_deadline_wait_for_deliver_now(app, letter, smtp_sink):
    sweep = app.extensions["celery"].tasks["targets.sweep"]
    letter(deadline=datetime.now(UTC) - timedelta(minutes=5))
    assert sweep.delay().get() == 0
    assert count(app, Delivery) == 0 and smtp_sink.messages == []


def test_two_concurrent_deliver_now_make_one_delivery(app, letter, make_user, smtp_sink):
    statement_id, _ = letter()
    staff = [make_user(Role.EDITOR), make_user(Role.APPROVER)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def press(user_id: int) -> None:
        with app.app_context():
            statement = db.session.get(Statement, statement_id)
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                request_delivery(statement, user, 1)
                outcomes.append("started")
            except DeliveryError:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press, args=(user.id,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused", "started"]
    assert count(app, Delivery) == 1
    assert len(smtp_sink.wait_for(3)) == 3
