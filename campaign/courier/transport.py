"""Handing finished messages to SMTP, or to an outbox folder when running embedded.

Errors are sorted into transient (worth retrying later) and permanent (the server refused
this recipient or message for good), because senders treat the two differently.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol


class MailError(Exception):
    """Base of delivery errors; `str()` is the reason recorded for staff."""


class TransientMailError(MailError):
    """Try again later: connection trouble or a 4xx reply."""


class PermanentMailError(MailError):
    """Do not try again: a 5xx reply for this recipient or message."""


def build_message(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    reply_to: str = "",
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[tuple[str, str, bytes]] = (),
) -> EmailMessage:
    """A multipart message: plain text, optional HTML alternative, optional attachments.

    Each attachment is (filename, MIME type, content).
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    if reply_to:
        message["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, mime_type, content in attachments:
        maintype, _, subtype = mime_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


class Connection(Protocol):
    def send(self, message: EmailMessage) -> None: ...

    def close(self) -> None: ...


class OutboxConnection:
    """Writes each message as an .eml file; the embedded default, so nothing leaves the box."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: EmailMessage) -> None:
        name = f"{uuid.uuid4().hex}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(bytes(message))
        partial.rename(self.folder / name)

    def close(self) -> None:
        return None


class SMTPConnection:
    """One SMTP session reused for many messages, reconnecting if the server drops it."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        try:
            smtp = smtplib.SMTP(
                config["SMTP_HOST"], config["SMTP_PORT"], timeout=config["SMTP_TIMEOUT"]
            )
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        except (OSError, smtplib.SMTPException) as error:
            raise TransientMailError(f"cannot reach the SMTP server: {error}") from error
        return smtp

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            refused = self.smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _classify(code, reply) from error
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPServerDisconnected) as error:
            self.close()
            raise TransientMailError(f"connection lost: {error}") from error
        if refused:
            code, reply = next(iter(refused.values()))
            raise _classify(code, reply)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None


def _classify(code: int, reply: bytes | str) -> MailError:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    reason = f"{code} {text}".strip()
    if 500 <= code < 600:
        return PermanentMailError(reason)
    return TransientMailError(reason)


def _connection_for(config: Mapping[str, Any]) -> Connection:
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        return SMTPConnection(config)
    if backend == "outbox":
        return OutboxConnection(config["OUTBOX_DIR"])
    raise ValueError(f"unknown MAIL_BACKEND {backend!r} (use 'smtp' or 'outbox')")


@contextmanager
def open_connection(config: Mapping[str, Any]) -> Iterator[Connection]:
    """A connection for the configured MAIL_BACKEND, closed when the block ends."""
    connection = _connection_for(config)
    try:
        yield connection
    finally:
        connection.close()
