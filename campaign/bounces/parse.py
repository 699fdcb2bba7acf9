"""Reading bounce and complaint messages: RFC 3464 delivery-status notifications, RFC 5965
abuse reports (ARF), and, for servers that send neither, flufl.bounce's detectors.

Which message bounced is known from the VERP address the notification was sent to, or from
the `X-Campaign-Recipient` header of the original message that DSNs and ARF reports quote.
Pure functions of the message bytes; what a bounce changes is in services.py.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.utils import collapse_rfc2231_value

from campaign.bounces import verp

ENVELOPE_HEADERS = ("X-Original-To", "Delivered-To", "Envelope-To", "To")


class Kind(enum.StrEnum):
    HARD = "hard"
    SOFT = "soft"
    COMPLAINT = "complaint"


@dataclass(frozen=True)
class Bounce:
    kind: Kind
    recipient_id: int | None
    address: str
    diagnostic: str


def parse(raw: bytes) -> list[Bounce]:
    """The bounces one message reports (none for an unrelated message)."""
    message = message_from_bytes(raw, policy=policy.compat32)
    recipient_id = _recipient_id(message)
    report_type = collapse_rfc2231_value(message.get_param("report-type") or "").lower()
    if message.get_content_type() == "multipart/report" and report_type == "feedback-report":
        return [_complaint(message, recipient_id)]
    found = _delivery_status(message, recipient_id)
    return found if found else _detected(message, recipient_id)


def _recipient_id(message: Message) -> int | None:
    """The VERP tag of the address the bounce came to, else the quoted original's header."""
    for name in ENVELOPE_HEADERS:
        for value in message.get_all(name, []):
            for address in re.findall(r"[^\s<>,]+@[^\s<>,]+", str(value)):
                found = verp.recipient_of_address(address)
                if found is not None:
                    return found
    for part in message.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            tag = _quoted_header(part, verp.HEADER)
            found = verp.recipient_of_tag(tag) if tag else None
            if found is not None:
                return found
    return None


def _quoted_header(part: Message, name: str) -> str:
    """A header of the original message quoted in a report part."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return str(payload[0].get(name, ""))
    text = payload if isinstance(payload, str) else ""
    found = re.search(rf"^{re.escape(name)}:\s*(\S+)", text, re.MULTILINE | re.IGNORECASE)
    return found.group(1) if found else ""


def _field(block: Message | str, name: str) -> str:
    """A DSN field without its type prefix: "rfc822; a@b" -> "a@b"; a text block has none."""
    if isinstance(block, str):
        return ""
    value = " ".join(str(block.get(name, "")).split())
    return value.split(";", 1)[1].strip() if ";" in value else value


def _delivery_status(message: Message, recipient_id: int | None) -> list[Bounce]:
    """One bounce per failed or delayed recipient of a message/delivery-status part."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:
            action = _field(block, "Action").lower()
            status = _field(block, "Status")
            if action not in ("failed", "delayed"):
                continue
            hard = action == "failed" and status.startswith("5")
            diagnostic = _field(block, "Diagnostic-Code") or f"status {status}"
            address = _field(block, "Final-Recipient") or _field(block, "Original-Recipient")
            kind = Kind.HARD if hard else Kind.SOFT
            found.append(Bounce(kind, recipient_id, address, f"{status} {diagnostic}".strip()))
    return found


def _complaint(message: Message, recipient_id: int | None) -> Bounce:
    address = ""
    for part in message.walk():
        if part.get_content_type() == "message/feedback-report":
            payload = part.get_payload()
            block = payload[0] if isinstance(payload, list) and payload else part
            address = _field(block, "Original-Rcpt-To")
    return Bounce(Kind.COMPLAINT, recipient_id, address, "the recipient reported it as spam")


def _detected(message: Message, recipient_id: int | None) -> list[Bounce]:
    """Non-standard bounces, recognised by flufl.bounce's heuristics."""
    from flufl.bounce import all_failures

    temporary, permanent = all_failures(message)
    found = [Bounce(Kind.HARD, recipient_id, _text(a), "permanent failure") for a in permanent]
    found += [Bounce(Kind.SOFT, recipient_id, _text(a), "temporary failure") for a in temporary]
    return found


def _text(address: bytes | str) -> str:
    return address.decode("utf-8", "replace") if isinstance(address, bytes) else address
