"""Single emails go through a real Celery worker on Redis to a real SMTP server."""

from __future__ import annotations

from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import dispatch, queue_mail, send_queued


def _queue(app, to="ally@example.org"):
    with app.app_context():
        mail = queue_mail(to, "Please confirm", "Click the link.", purpose="test")
        db.session.commit()
        return mail.id


def test_worker_sends_queued_mail_once(app, smtp_sink, celery_worker):
    mail_id = _queue(app)
    celery_worker()
    with app.app_context():
        mail = db.session.get(OutgoingMail, mail_id)
        assert dispatch(mail) and dispatch(mail)  # a duplicate task must not send twice
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "ally@example.org"
    assert message["Subject"] == "Please confirm"
    with app.app_context():
        for _ in range(100):
            db.session.expire_all()
            if db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT:
                break
        assert db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT
    assert len(smtp_sink.messages) == 1


def test_permanent_refusal_is_recorded_not_retried(app, smtp_sink):
    smtp_sink.refuse["gone@example.org"] = "550 No such user"
    mail_id = _queue(app, "gone@example.org")
    with app.app_context():
        assert send_queued(mail_id)
        mail = db.session.get(OutgoingMail, mail_id)
        assert mail.status is MailStatus.FAILED
        assert "550" in mail.last_error
        assert not send_queued(mail_id)
    assert smtp_sink.messages == []


def test_attachments_travel_with_the_queued_message(app, smtp_sink):
    with app.app_context():
        mail = queue_mail(
            "desk@example.org",
            "Letter",
            "Attached.",
            purpose="test",
            attachments=[("letter.pdf", "application/pdf", b"%PDF-1.7 fake")],
        )
        db.session.commit()
        assert send_queued(mail.id)
    [message] = smtp_sink.wait_for(1)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "letter.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == b"%PDF-1.7 fake"


def test_mail_whose_task_was_lost_is_sent_by_the_sweep_once(app, smtp_sink):
    from datetime import timedelta

    from campaign import clock
    from campaign.mail.services import requeue_stale

    mail_id = _queue(app)  # committed, never dispatched: as if the broker had been down
    later = clock.now() + timedelta(minutes=6)
    try:
        with app.app_context():
            assert requeue_stale() == 0
            clock.set_clock(lambda: later)
            assert requeue_stale() == 1  # eager in tests: the task runs right away
            assert requeue_stale() == 0
            assert db.session.get(OutgoingMail, mail_id).status is MailStatus.SENT
    finally:
        clock.set_clock(None)
    assert len(smtp_sink.wait_for(1)) == 1
