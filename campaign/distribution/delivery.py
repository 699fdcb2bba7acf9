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
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Protocol

from campaign.mail.transport import MailError, SMTPConnection, TransientMailError
from campaign.mail.transport import _classify as classify_reply

HandOver = Callable[[], bool]


class ConnectionDown(TransientMailError):
    """The server could not be reached or dropped the session before the hand-over."""


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


class TwoPhaseSMTP(SMTPConnection):
    """An SMTP session reused for many messages, each delivered in two phases."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        super().__init__(config)
        self.sender = parseaddr(config["MAIL_FROM"])[1]

    def deliver(
        self,
        message: bytes,
        recipient: str,
        hand_over: HandOver,
        envelope_from: str | None = None,
    ) -> None:
        """Send `message` to `recipient`; raises MailError, Withdrawn or Unconfirmed.

        `envelope_from` (MAIL FROM) is the per-recipient bounce address when VERP is on."""
        smtp = self._session()
        try:
            smtp.ehlo_or_helo_if_needed()
            self._expect(smtp.mail(envelope_from or self.sender), (250,))
            self._expect(smtp.rcpt(recipient), (250, 251))
            self._expect(smtp.docmd("DATA"), (354,))
            smtp.send(_payload(message))
        except smtplib.SMTPResponseException as error:
            self._drop()
            raise classify_reply(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:
            self._drop()
            raise ConnectionDown(f"connection lost: {error}") from error
        if not hand_over():
            self._drop()  # a session cut before the final "." discards the message
            raise Withdrawn
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self._drop()
            raise Unconfirmed(f"no answer after the message was sent: {error}") from error
        if code != 250:
            raise classify_reply(code, reply)

    def _session(self) -> smtplib.SMTP:
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except TransientMailError as error:
                raise ConnectionDown(str(error)) from error
            # The final "." is a tiny write after a large one; without this, Nagle's
            # algorithm can hold it back until the server acknowledges the message text.
            self.smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.smtp

    def _expect(self, answer: tuple[int, bytes], accepted: tuple[int, ...]) -> None:
        code, reply = answer
        if code not in accepted:
            self.smtp.rset()
            raise classify_reply(code, reply)

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
