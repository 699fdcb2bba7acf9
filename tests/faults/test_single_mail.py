"""Single mails (confirmations, invitations, deliveries) follow the distribution's
discipline: claim, lease, attempt limit, backoff; the sweep never sends early or twice."""

from __future__ import annotations

from datetime import timedelta

from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import queue_mail, requeue_stale, send_queued


def _queue(app, to="ally@example.org") -> int:
    with app.app_context():
        mail = queue_mail(to, "Please confirm", "Click the link.", purpose="signon.confirm")
        db.session.commit()
        return mail.id


def _mail(app, mail_id) -> OutgoingMail:
    with app.app_context():
        db.session.expire_all()
        mail = db.session.get(OutgoingMail, mail_id)
        db.session.expunge(mail)
        return mail


def test_a_deferred_mail_waits_for_its_backoff_and_is_sent_once(app, send_clock, fault_smtp):
    fault_smtp.script.rcpt_replies["ally@example.org"] = "451 4.7.1 try again later"
    mail_id = _queue(app)
    with app.app_context():
        assert send_queued(mail_id)
    mail = _mail(app, mail_id)
    assert mail.status is MailStatus.QUEUED
    assert mail.next_attempt_at == send_clock.now + timedelta(seconds=60)
    assert "451" in mail.last_error
    del fault_smtp.script.rcpt_replies["ally@example.org"]
    with app.app_context():
        assert not send_queued(mail_id)  # a stray task before the backoff does nothing
        send_clock.now += timedelta(seconds=30)
        assert requeue_stale() == 0  # not due yet
        send_clock.now += timedelta(seconds=30)
        assert requeue_stale() == 1  # eager: sent now
        assert requeue_stale() == 0
    assert fault_smtp.stored == ["ally@example.org"]
    assert _mail(app, mail_id).status is MailStatus.SENT


def test_a_mail_that_exhausts_its_attempts_fails_with_its_last_error(app, send_clock, fault_smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    fault_smtp.script.rcpt_replies["ally@example.org"] = "452 4.2.2 mailbox full"
    mail_id = _queue(app)
    with app.app_context():
        send_queued(mail_id)
        for _ in range(5):
            send_clock.now += timedelta(hours=2)
            requeue_stale()
    mail = _mail(app, mail_id)
    assert mail.status is MailStatus.FAILED
    assert mail.attempts == 3
    assert mail.last_error.startswith("gave up after 3 attempts: 452 4.2.2 mailbox full")
    assert fault_smtp.stored == []


def test_a_server_that_stores_but_never_answers_gets_the_message_once(app, send_clock, fault_smtp):
    fault_smtp.script.silent_after_data.add("ally@example.org")
    mail_id = _queue(app)
    with app.app_context():
        assert send_queued(mail_id)
        for _ in range(7):  # a sweep every minute for seven minutes
            send_clock.now += timedelta(minutes=1)
            requeue_stale()
    assert fault_smtp.stored == ["ally@example.org"]
    mail = _mail(app, mail_id)
    assert mail.status is MailStatus.UNCONFIRMED
    assert "no answer after the message was sent" in mail.last_error


def test_claims_of_a_dead_worker_end_at_the_lease(app, send_clock, fault_smtp):
    from campaign import clock
    from campaign.mail import claims

    never_handed, handed = _queue(app, "one@example.org"), _queue(app, "two@example.org")
    with app.app_context():
        claims.claim(never_handed, clock.now())  # a worker took both, then died
        _, token = claims.claim(handed, clock.now())
        assert claims.hand_over(handed, token)
        send_clock.now += timedelta(seconds=app.config["MAIL_CLAIM_LEASE_SECONDS"] + 1)
        assert requeue_stale() == 1  # the one the server cannot have is sent again
    assert fault_smtp.stored == ["one@example.org"]
    assert _mail(app, handed).status is MailStatus.UNCONFIRMED
    assert _mail(app, never_handed).status is MailStatus.SENT


def test_admins_see_failed_and_possibly_delivered_mail_with_the_last_error(
    app, send_clock, fault_smtp, client_as
):
    from campaign.auth.roles import Role

    app.config["MAIL_MAX_ATTEMPTS"] = 1
    fault_smtp.script.rcpt_replies["gone@example.org"] = "452 4.2.2 mailbox full"
    fault_smtp.script.silent_after_data.add("quiet@example.org")
    with app.app_context():
        for mail_id in (_queue(app, "gone@example.org"), _queue(app, "quiet@example.org")):
            send_queued(mail_id)
    admin = client_as(Role.ADMIN)
    assert 'href="/outgoing-mail"' in admin.get("/distributions").text
    page = admin.get("/outgoing-mail")
    assert "gave up after 1 attempts: 452 4.2.2 mailbox full" in page.text
    assert "Possibly delivered" in page.text
    assert client_as(Role.EDITOR).get("/outgoing-mail").status_code == 403
