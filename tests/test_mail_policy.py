"""One mail policy: every kind of mail refuses an unsubscribed, do-not-contact or suppressed
address with the same reason, and only mail the addressee asked for goes out regardless."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import clock
from campaign.distribution.models import Recipient, RecipientStatus
from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.mail.services import queue_mail, send_queued
from campaign.mailpolicy import policy
from campaign.mailpolicy.suppression import suppress
from campaign.notify.events import Event

# The purposes the features queue single mails under (see each feature's queue_mail call).
REFUSABLE = (
    "review.invitation",
    "targets.delivery",
    "recruitment.invite",
    "recruitment.reminder",
    f"notify.{Event.SUBMITTED.value}",
)
REQUESTED = ("signon.confirm", "signon.reconfirm", "auth.reset")


@pytest.fixture()
def refused(app, contact_list):
    """One address per rule, all on one contact list: ({address: reason}, list id)."""
    list_id = contact_list(3, {0: {"do_not_contact": True}, 1: {"unsubscribed_at": clock.now()}})
    with app.app_context():
        suppress("REPORTER1-2@news.example", "550 mailbox gone")
        db.session.commit()
    reasons = {
        "reporter1-0@news.example": policy.DO_NOT_CONTACT,
        "reporter1-1@news.example": policy.UNSUBSCRIBED,
        "reporter1-2@news.example": policy.SUPPRESSED,
    }
    return reasons, list_id


def _send(app, address: str, purpose: str) -> tuple[MailStatus, str]:
    with app.app_context():
        mail = queue_mail(address, "Hello", "Text.", purpose=purpose)
        db.session.commit()
        send_queued(mail.id)
        db.session.expire_all()
        sent = db.session.get(OutgoingMail, mail.id)
        return sent.status, sent.last_error


def test_every_kind_of_single_mail_is_refused_with_the_rule_as_reason(app, smtp_sink, refused):
    reasons, _ = refused
    outcomes = {
        (address, purpose): _send(app, address, purpose)
        for address in reasons
        for purpose in REFUSABLE
    }
    assert outcomes == {
        (address, purpose): (MailStatus.SKIPPED, reason)
        for address, reason in reasons.items()
        for purpose in REFUSABLE
    }
    assert smtp_sink.messages == []


def test_mail_the_addressee_asked_for_goes_out_whatever_the_lists_say(app, smtp_sink, refused):
    reasons, _ = refused
    sent = [_send(app, address.upper(), purpose)[0] for address in reasons for purpose in REQUESTED]
    assert sent == [MailStatus.SENT] * len(reasons) * len(REQUESTED)
    assert len(smtp_sink.wait_for(len(sent))) == len(sent)


def test_a_distribution_skips_each_address_with_the_same_reason(
    app, smtp_sink, refused, distribute
):
    reasons, list_id = refused
    dist_id = distribute([list_id])
    with app.app_context():
        rows = db.session.scalars(select(Recipient).filter_by(distribution_id=dist_id))
        assert {row.email: (row.status, row.reason) for row in rows} == {
            address: (RecipientStatus.SKIPPED, reason) for address, reason in reasons.items()
        }
    assert smtp_sink.messages == []


def test_the_rules_apply_in_one_order_and_by_email_key(app, contact_list):
    contact_list(2, {0: {"do_not_contact": True, "unsubscribed_at": clock.now()}})
    with app.app_context():
        suppress("reporter1-0@news.example", "550 gone")
        suppress("stranger@example.org", "550 gone")
        db.session.commit()
        answers = policy.verdicts(
            [" Reporter1-0@News.example", "reporter1-1@news.example", "STRANGER@example.org"],
            "review.invitation",
        )
        assert answers == {
            "reporter1-0@news.example": policy.Verdict(False, policy.UNSUBSCRIBED),
            "reporter1-1@news.example": policy.ALLOWED,
            "stranger@example.org": policy.Verdict(False, policy.SUPPRESSED),
        }
        assert policy.verdict("Stranger@example.org", "signon.confirm") == policy.ALLOWED
        assert policy.verdict("nobody@example.org", "notify.submitted") == policy.ALLOWED
