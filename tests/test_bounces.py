"""Bounces that arrive later: VERP envelope, DSNs and complaints read from a Maildir, the
providers' webhook with its signature check."""

from __future__ import annotations

import hashlib
import hmac
import json

from sqlalchemy import select

from campaign.bounces import verp
from campaign.distribution.models import Recipient, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from tests.support.bounces import complaint, drop, dsn
from tests.support.distribution import drain, statuses, summary

BOUNCES = "bounces@desk.example"


def _rows(app, dist_id):
    with app.app_context():
        query = select(Recipient.email, Recipient.id).filter_by(distribution_id=dist_id)
        return dict(db.session.execute(query).all())


def _suppressed(app):
    with app.app_context():
        return {row.email: row for row in db.session.scalars(select(Suppression))}


def _sent(app, contact_list, distribute, count):
    app.config.update(BOUNCE_ADDRESS=BOUNCES, DISTRIBUTION_RATE_PER_MINUTE=0)
    dist_id = distribute([contact_list(count)])
    drain(app, dist_id)
    return dist_id, _rows(app, dist_id)


def test_each_message_has_its_own_bounce_address(app, tmp_path, contact_list, distribute):
    app.config.update(MAIL_BACKEND="outbox", OUTBOX_DIR=str(tmp_path / "out"))
    _dist_id, rows = _sent(app, contact_list, distribute, 2)
    envelopes = sorted(
        path.read_bytes().split(b"\n", 1)[0].decode() for path in (tmp_path / "out").iterdir()
    )
    with app.app_context():
        expected = sorted(f"Return-Path: <{verp.return_path(i)}>" for i in rows.values())
        assert envelopes == expected
        assert all(verp.recipient_of_address(verp.return_path(i)) == i for i in rows.values())
        forged = verp.return_path(1).replace("+1-", "+2-")
        assert verp.recipient_of_address(forged) is None


def test_dsns_from_a_maildir_mark_rows_and_suppress_exactly_the_right_addresses(
    app, tmp_path, contact_list, distribute, smtp_sink
):
    dist_id, rows = _sent(app, contact_list, distribute, 5)
    hard, soft, spam, forged, fine = sorted(rows)
    with app.app_context():
        path = {email: verp.return_path(rows[email]) for email in rows}
        forged_to = path[forged].replace(f"+{rows[forged]}-", f"+{rows[fine]}-")
    drop(
        tmp_path / "bounces",
        dsn(path[hard], hard, "5.1.1"),
        dsn(path[soft], soft, "4.2.2"),
        complaint(path[spam], spam),
        dsn(forged_to, forged, "5.1.1"),
        b"From: someone@example.org\nSubject: hello\n\nNot a bounce.\n",
    )
    app.config["BOUNCE_MAILDIR"] = str(tmp_path / "bounces")
    from workers.bounces import read

    with app.app_context():
        assert read.delay().get() == 5
        assert read.delay().get() == 0  # seen messages are not read again
    final = statuses(app, dist_id)
    assert final[hard] is RecipientStatus.BOUNCED and final[spam] is RecipientStatus.BOUNCED
    assert final[soft] is final[forged] is final[fine] is RecipientStatus.SENT
    suppressed = _suppressed(app)
    assert set(suppressed) == {hard, spam}
    assert suppressed[hard].recipient_id == rows[hard] and suppressed[hard].source == "bounce"
    assert suppressed[spam].source == "complaint"
    assert "5.1.1" in suppressed[hard].reason
    assert "2 bounced later" in summary(app, dist_id).text


def _signed(app, body: bytes) -> dict[str, str]:
    secret = app.config["BOUNCE_WEBHOOK_SECRET"].encode()
    digest = hmac.new(secret, body, hashlib.sha256).hexdigest()
    return {"X-Campaign-Signature": f"sha256={digest}", "Content-Type": "application/json"}


def test_the_webhook_refuses_bad_signatures_and_records_good_ones(
    app, client, contact_list, distribute, smtp_sink
):
    dist_id, rows = _sent(app, contact_list, distribute, 3)
    first, second, _third = sorted(rows)
    with app.app_context():
        tag = verp.tag(rows[first])
    events = {
        "events": [
            {"type": "complaint", "email": first, "recipient": tag},
            {"type": "bounce", "severity": "temporary", "email": second},
        ]
    }
    body = json.dumps(events).encode()
    assert client.post("/webhooks/bounces", data=body).status_code == 403  # no secret set
    app.config["BOUNCE_WEBHOOK_SECRET"] = "s3cret-shared"
    bad = {"X-Campaign-Signature": "sha256=" + "0" * 64}
    assert client.post("/webhooks/bounces", data=body, headers=bad).status_code == 403
    tampered = body.replace(b"temporary", b"permanent")
    refused = client.post("/webhooks/bounces", data=tampered, headers=_signed(app, body))
    assert refused.status_code == 403
    assert set(statuses(app, dist_id).values()) == {RecipientStatus.SENT}
    accepted = client.post("/webhooks/bounces", data=body, headers=_signed(app, body))
    assert accepted.status_code == 200 and accepted.get_json() == {"results": ["complaint", "soft"]}
    assert statuses(app, dist_id)[first] is RecipientStatus.BOUNCED
    assert set(_suppressed(app)) == {first}


def test_a_message_that_breaks_the_reader_is_flagged_and_does_not_block_the_rest(app, tmp_path):
    import mailbox

    from campaign.bounces.reader import read_maildir

    folder = drop(tmp_path / "box", b"Subject: boom\n\nx\n", b"Subject: fine\n\ny\n")
    seen = []

    def handle(raw: bytes) -> None:
        if b"boom" in raw:
            raise ValueError("unparseable")
        seen.append(raw)

    with app.app_context():
        assert read_maildir(str(folder), handle) == 2
        assert read_maildir(str(folder), handle) == 0
    assert len(seen) == 1
    flags = {m["Subject"]: m.get_flags() for m in mailbox.Maildir(str(folder), create=False)}
    assert flags == {"boom": "FS", "fine": "S"}
