"""Bounce samples written for the tests: an RFC 3464 DSN (hard or soft), an RFC 5965 abuse
report, each addressed to a VERP bounce address, and a Maildir to drop them in."""

from __future__ import annotations

import mailbox
from pathlib import Path


def dsn(to: str, failed: str, status: str, tag: str = "") -> bytes:
    """A delivery-status notification as Postfix writes it (failed for 5.x.x, delayed else)."""
    action = "failed" if status.startswith("5") else "delayed"
    quoted = f"X-Campaign-Recipient: {tag}\n" if tag else ""
    return f"""Return-Path: <>
Delivered-To: {to}
From: MAILER-DAEMON@mx.news.example (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0"

--B0
Content-Type: text/plain

This is the mail system at host mx.news.example. I'm sorry to have to inform you that your
message could not be delivered to one or more recipients.

--B0
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.news.example
Arrival-Date: Tue,  1 Dec 2026 10:00:00 +0000 (UTC)

Final-Recipient: rfc822; {failed}
Original-Recipient: rfc822;{failed}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.news.example
Diagnostic-Code: smtp; {status[0]}50 {status} mailbox problem

--B0
Content-Type: text/rfc822-headers

From: Campaign Desk <desk@desk.example>
To: {failed}
Subject: Ruling welcomed
{quoted}
--B0--
""".encode()


def complaint(to: str, reporter: str) -> bytes:
    """An abuse report (ARF) as a mailbox provider's feedback loop sends it."""
    return f"""Delivered-To: {to}
From: feedback@provider.example
To: {to}
Subject: FW: Ruling welcomed
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F0"

--F0
Content-Type: text/plain

This is an email abuse report.

--F0
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: Provider-FBL/1.0
Version: 1
Original-Rcpt-To: {reporter}

--F0
Content-Type: text/rfc822-headers

From: Campaign Desk <desk@desk.example>
To: {reporter}

--F0--
""".encode()


def drop(folder: Path, *messages: bytes) -> Path:
    """Deliver `messages` into a Maildir at `folder` (created) the way an MDA would."""
    box = mailbox.Maildir(str(folder), create=True)
    for raw in messages:
        box.add(mailbox.MaildirMessage(raw))
    return folder
