"""One mail policy: every kind of mail refuses an unsubscribed, do-not-contact or suppressed
address with the same reason, and only mail the addressee asked for goes out regardless."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import clock
from campaign.contacts.models import Contact, list_members
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
RULES = (policy.DO_NOT_CONTACT, policy.UNSUBSCRIBED, policy.SUPPRESSED)


@pytest.fixture()
def refused_address(app, contact_list):
    """An address (in a contact list) that one rule refuses; the list id and the address."""

    def make(rule: str) -> tuple[int, str]:
        flags = {
            policy.DO_NOT_CONTACT: {"do_not_contact": True},
            policy.UNSUBSCRIBED: {"unsubscribed_at": clock.now()},
            policy.SUPPRESSED: {},
        }[rule]
        list_id = contact_list(1, {0: flags})
        with app.app_context():
            address = db.session.scalar(
                select(Contact.email)
                .join(list_members, list_members.c.contact_id == Contact.id)
                .where(list_members.c.list_id == list_id)
            )
            if rule == policy.SUPPRESSED:
                suppress(address.upper(), "550 mailbox gone")
            db.session.commit()
        return list_id, address

    return make


def _send(app, address: str, purpose: str) -> OutgoingMail:
    with app.app_context():
        mail = queue_mail(address, "Hello", "Text.", purpose=purpose)
        db.session.commit()
        send_queued(mail.id)
        db.session.expire_all()
        found = db.session.get(OutgoingMail, mail.id)
        db.session.expunge(found)
        return found


@pytest.mark.parametrize("rule", RULES)
def test_every_kind_of_single_mail_is_refused_with_the_rule_as_reason(
    app, smtp_sink, refused_address, rule
):
    _, address = refused_address(rule)
    outcomes = {purpose: _send(app, address, purpose) for purpose in REFUSABLE}
    assert {p: (m.status, m.last_error) for p, m in outcomes.items()} == {
        purpose: (MailStatus.SKIPPED, rule) for purpose in REFUSABLE
    }
    assert smtp_sink.messages == []


@pytest.mark.parametrize("rule", RULES)
def test_mail_the_addressee_asked_for_goes_out_whatever_the_lists_say(
    app, smtp_sink, refused_address, rule
):
    _, address = refused_address(rule)
    sent = [_send(app, address.upper(), purpose).status for purpose in REQUESTED]
    assert sent == [MailStatus.SENT] * len(REQUESTED)
    assert len(smtp_sink.wait_for(len(REQUESTED))) == len(REQUESTED)


@pytest.mark.parametrize("rule", RULES)
def test_a_distribution_skips_the_address_with_the_same_reason(
    app, smtp_sink, refused_address, distribute, rule
):
    list_id, address = refused_address(rule)
    dist_id = distribute([list_id])
    with app.app_context():
        row = db.session.scalars(select(Recipient).filter_by(distribution_id=dist_id)).one()
        assert (row.email, row.status, row.reason) == (address, RecipientStatus.SKIPPED, rule)
    assert smtp_sink.messages == []


def test_the_rules_apply_in_one_order_and_by_email_key(app, contact_list):
    contact_list(3, {0: {"do_not_contact": True, "unsubscribed_at": clock.now()}})
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
