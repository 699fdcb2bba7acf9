"""Handing one message to the mail server with a commit point just before the final dot.

Exactly-once needs to know, after a crash, whether a message may have reached the server.
So the SMTP dialogue is split: MAIL, RCPT, DATA and the whole message go out first (the
server keeps nothing until the final "." line), then `hand_over()` commits that the message
is about to leave, then the "." is sent. A crash before the commit leaves a message the
server discards, so it is safe to send again; a crash after it leaves a row that says the
message may have arrived, which is never sent again automatically. The outbox backend
does the same with a temporary file and an atomic rename.
"""

from __future__ import annotations

import re
import smtplib
import socket
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from campaign.courier.transport import (
    MailError,
    PermanentMailError,
    SMTPConnection,
    TransientMailError,
)
from campaign.site.services import organization

HandOver = Callable[[], bool]


class ConnectionDown(TransientMailError):
    """The server could not be reached at all, or deferred the sender: the whole send waits."""


class RelayRefused(MailError):
    """The relay refused the session itself (greeting, authentication or the sender address):
    no recipient is at fault, so the send pauses until staff fix the setting."""


class SessionLost(TransientMailError):
    """The session broke (a 421, a dropped or silent connection) before the message's final
    line could reach the server: certainly not stored, so this recipient is tried again."""


class RecipientRefused(PermanentMailError):
    """A 5xx answer to RCPT TO: this address is refused for good."""


class MessageRefused(PermanentMailError):
    """A 5xx answer at DATA; `names_recipient` when the answer mentions the address."""

    def __init__(self, reason: str, names_recipient: bool) -> None:
        super().__init__(reason)
        self.names_recipient = names_recipient


class Withdrawn(Exception):
    """`hand_over` refused (the claim was lost); nothing was delivered."""


class Unconfirmed(MailError):
    """The message was handed over but the server's answer never came: it may have arrived."""


class Courier(Protocol):
    def deliver(
        self,
        message: bytes,
        recipient: str,
        hand_over: HandOver,
        envelope_from: str | None = None,
    ) -> None: ...

    def close(self) -> None: ...


def _payload(message: bytes) -> bytes:
    """The message as SMTP DATA: CRLF line ends, dot-stuffed, without the final "." line."""
    data = re.sub(rb"(?m)^\.", b"..", message.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _reason(code: int, reply: bytes | str) -> str:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}".strip()


class _Refusal(Exception):
    """Internal: a reply other than the expected one, at a named stage of the dialogue."""

    def __init__(self, stage: str, code: int, reply: bytes | str) -> None:
        super().__init__(stage)
        self.stage, self.code, self.reason = stage, code, _reason(code, reply)


def judge(stage: str, code: int, reason: str, recipient: str) -> MailError:
    """The error an SMTP answer means, judged by the stage that gave it (see README).

    A 421 at any stage means the server is closing this session: the recipient is tried
    again on a fresh one. Before RCPT TO the fault is the relay's, never the recipient's.
    """
    if code == 421:
        return SessionLost(f"the mail server closed the session: {reason}")
    if stage in ("greeting", "auth", "mail"):
        what = {
            "greeting": "the mail server refused the connection",
            "auth": "the mail server rejected the login",
            "mail": "the mail server refused the sender address",
        }[stage]
        if 400 <= code < 500 and stage != "auth":
            return ConnectionDown(f"{what} for now: {reason}")
        return RelayRefused(f"{what}: {reason}")
    if 500 <= code < 600:
        if stage == "rcpt":
            return RecipientRefused(reason)
        return MessageRefused(reason, recipient.lower() in reason.lower())
    return TransientMailError(reason)


class TwoPhaseSMTP(SMTPConnection):
    """An SMTP session reused for many messages, each delivered in two phases.

    Any error on the session closes it; the next message opens a new one. Only a failure
    to connect at all (ConnectionDown) or a refusal of the session (RelayRefused) concerns
    every recipient.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config)
        # The envelope sender is the From address of the organization settings, so SPF and
        # DMARC see the domain the deliverability page checks.
        self.sender = organization().sender_address

    def deliver(
        self,
        message: bytes,
        recipient: str,
        hand_over: HandOver,
        envelope_from: str | None = None,
    ) -> None:
        """Send `message` to `recipient`; raises MailError, Withdrawn or Unconfirmed.

        `envelope_from` (MAIL FROM) is the per-recipient bounce address when VERP is on."""
        reused = self.smtp is not None
        sender = envelope_from or self.sender
        try:
            self._transaction(message, recipient, sender)
        except SessionLost:
            if not reused:
                raise
            # A server may close an idle session at any time: one fresh try.
            self._transaction(message, recipient, sender)
        if not hand_over():
            self._drop()  # a session cut before the final "." discards the message
            raise Withdrawn
        self._finish(recipient)

    def _transaction(self, message: bytes, recipient: str, sender: str) -> None:
        """MAIL, RCPT, DATA and the message text, without the final "." line."""
        smtp = self._session()
        try:
            self._step(smtp, "mail", smtp.mail(sender), (250,))
            self._step(smtp, "rcpt", smtp.rcpt(recipient), (250, 251))
            self._step(smtp, "data", smtp.docmd("DATA"), (354,))
            smtp.send(_payload(message))
        except _Refusal as refusal:
            self._after_refusal(refusal.code)
            raise judge(refusal.stage, refusal.code, refusal.reason, recipient) from None
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            lost = f"connection lost before the message was complete: {error}"
            raise SessionLost(lost) from error

    def _finish(self, recipient: str) -> None:
        """Send the final "." and read the answer; no answer means it may have arrived."""
        smtp = self.smtp
        assert smtp is not None, "the message was sent on this session"
        try:
            smtp.send(b".\r\n")
        except (OSError, smtplib.SMTPException) as error:
            self._drop()  # the "." never left: the server discards what it had
            raise SessionLost(f"connection lost before the final line: {error}") from error
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise Unconfirmed(f"no answer after the message was sent: {error}") from error
        if code != 250:
            self._after_refusal(code)
            raise judge("data", code, _reason(code, reply), recipient)

    def _session(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self._open()
            assert self.smtp.sock is not None, "_open() returns a connected client"
            # The final "." is a tiny write after a large one; without this, Nagle's
            # algorithm can hold it back until the server acknowledges the message text.
            self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.smtp

    def _open(self) -> smtplib.SMTP:
        """Connect, greet, STARTTLS and log in, each failure judged at its stage."""
        config = self.config
        try:
            smtp = smtplib.SMTP(timeout=config["SMTP_TIMEOUT"])
            code, reply = smtp.connect(config["SMTP_HOST"], config["SMTP_PORT"])
        except (OSError, smtplib.SMTPException) as error:
            raise ConnectionDown(f"cannot reach the mail server: {error}") from error
        try:
            if code != 220:
                raise _Refusal("greeting", code, reply)
            smtp.ehlo_or_helo_if_needed()
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
                smtp.ehlo()
            if config["SMTP_USERNAME"]:
                self._login(smtp)
        except _Refusal as refusal:
            smtp.close()
            raise judge(refusal.stage, refusal.code, refusal.reason, "") from None
        except smtplib.SMTPResponseException as error:
            smtp.close()
            reason = _reason(error.smtp_code, error.smtp_error)
            raise judge("greeting", error.smtp_code, reason, "") from error
        except (OSError, smtplib.SMTPException) as error:
            smtp.close()
            raise ConnectionDown(f"the mail server dropped the connection: {error}") from error
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.login(self.config["SMTP_USERNAME"], self.config["SMTP_PASSWORD"])
        except smtplib.SMTPResponseException as error:
            raise _Refusal("auth", error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            raise _Refusal("auth", 502, str(error)) from error

    @staticmethod
    def _step(
        smtp: smtplib.SMTP, stage: str, answer: tuple[int, bytes], ok: tuple[int, ...]
    ) -> None:
        code, reply = answer
        if code not in ok:
            raise _Refusal(stage, code, reply)

    def _after_refusal(self, code: int) -> None:
        """Reset the transaction so the session can carry on; a 421 or a failed RSET ends it."""
        if code == 421 or self.smtp is None:
            self._drop()
            return
        try:
            code, _ = self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            code = 0
        if code != 250:
            self._drop()

    def _drop(self) -> None:
        """Close the socket without QUIT (inside DATA a QUIT would be read as message text)."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


class TwoPhaseOutbox:
    """Outbox folder: the message is written under a temporary name, renamed at hand-over."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def deliver(
        self,
        message: bytes,
        recipient: str,
        hand_over: HandOver,
        envelope_from: str | None = None,
    ) -> None:
        """Like a local delivery agent, record the envelope sender as a Return-Path line."""
        name = f"{uuid.uuid4().hex}.eml"
        partial = self.folder / f".{name}.part"
        head = f"Return-Path: <{envelope_from}>\n".encode() if envelope_from else b""
        partial.write_bytes(head + message)
        if not hand_over():
            partial.unlink()
            raise Withdrawn
        partial.rename(self.folder / name)

    def close(self) -> None:
        return None


@contextmanager
def open_courier(config: Mapping[str, Any]) -> Iterator[Courier]:
    """A courier for the configured MAIL_BACKEND, closed when the block ends."""
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        courier: Courier = TwoPhaseSMTP(config)
    elif backend == "outbox":
        courier = TwoPhaseOutbox(config["OUTBOX_DIR"])
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r} (use 'smtp' or 'outbox')")
    try:
        yield courier
    finally:
        courier.close()
