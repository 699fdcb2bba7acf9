"""Raw MIME for bulk sending: the shared parts encoded once per batch, not once per message.

`campaign.courier.transport.build_message` builds an `EmailMessage` through the header
registry and re-encodes every attachment on each call; for thousands of copies of one
release that cost more than the SMTP dialogue. Here the PDF part is base64-encoded once,
and each recipient's copy only encodes its own headers and its two short bodies.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from flask import current_app


def clean_header(value: str) -> str:
    """One line: no CR/LF (header injection) and no runs of whitespace."""
    return " ".join(value.split())


def _encoded(value: str) -> str:
    value = clean_header(value)
    return value if value.isascii() else Header(value, "utf-8").encode()


def _address(name: str, email: str) -> str:
    return formataddr((clean_header(name), email), charset="utf-8")


def _text_part(subtype: str, body: str) -> bytes:
    encoded = binascii.b2a_qp(body.encode("utf-8"), istext=True)
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
    )
    return head.encode() + encoded + b"\n"


@dataclass(frozen=True)
class Attachment:
    """A MIME part encoded once and reused in every copy."""

    part: bytes

    @classmethod
    def encode(cls, filename: str, mime_type: str, data: bytes) -> Attachment:
        head = (
            f"Content-Type: {mime_type}\n"
            f'Content-Disposition: attachment; filename="{clean_header(filename)}"\n'
            "Content-Transfer-Encoding: base64\n\n"
        )
        return cls(head.encode() + base64.encodebytes(data))


def compose(
    *,
    sender: str,
    to: tuple[str, str],
    subject: str,
    text: str,
    html: str,
    reply_to: str,
    headers: dict[str, str],
    attachment: Attachment | None,
) -> bytes:
    """A multipart/mixed message (text and HTML alternatives, one attachment), LF line ends."""
    mixed, alternative = (f"=_mixed_{secrets.token_hex(8)}", f"=_alt_{secrets.token_hex(8)}")
    lines = [
        f"From: {sender}",
        f"To: {_address(*to)}",
        f"Subject: {_encoded(subject)}",
        f"Date: {formatdate()}",
        f"Message-ID: {make_msgid(domain=sender.rpartition('@')[2].strip('> ') or None)}",
        *([f"Reply-To: {clean_header(reply_to)}"] if reply_to else []),
        *(f"{name}: {clean_header(value)}" for name, value in headers.items()),
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{mixed}"',
        "",
        f"--{mixed}",
        f'Content-Type: multipart/alternative; boundary="{alternative}"',
        "",
        f"--{alternative}",
    ]
    return b"".join(
        [
            "\n".join(lines).encode() + b"\n",
            _text_part("plain", text),
            f"--{alternative}\n".encode(),
            _text_part("html", html),
            f"--{alternative}--\n".encode(),
            *([f"--{mixed}\n".encode(), attachment.part] if attachment else []),
            f"--{mixed}--\n".encode(),
        ]
    )


SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"mime-version",
    b"content-type",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
]


DkimKey = tuple[str, str, bytes]


def dkim_key() -> DkimKey | None:
    """(selector, domain, private key PEM) when DKIM signing is configured, else None.
    Read once per batch by the Composer, not once per message."""
    config = current_app.config
    selector, domain = config.get("DKIM_SELECTOR", ""), config.get("DKIM_DOMAIN", "")
    path = config.get("DKIM_PRIVATE_KEY_PATH", "")
    if not (selector and domain and path):
        return None
    return selector, domain, Path(path).read_bytes()


def dkim_sign(message: bytes, key: DkimKey | None) -> bytes:
    """`message` with a DKIM-Signature header first, or unchanged without a key (see
    `dkim_key`). Signed over CRLF lines, which is what goes on the wire.

    Headers relaxed, body simple: our body is quoted-printable and base64 lines that relays
    leave alone, and relaxed body canonicalization (a regex over the whole PDF part) cost
    more than the RSA signature itself."""
    if key is None:
        return message
    import dkim

    selector, domain, private = key
    wire = message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    signature = dkim.sign(
        wire,
        selector.encode(),
        domain.encode(),
        private,
        canonicalize=(b"relaxed", b"simple"),
        include_headers=SIGNED_HEADERS,
    )
    return signature.replace(b"\r\n", b"\n") + message
