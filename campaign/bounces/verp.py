"""A bounce address per message (VERP) that names the recipient row it was sent to.

`bounces+1234-5f0c9a1e2b@example.org` reaches the mailbox `bounces@example.org` (plus
addressing) and says: recipient row 1234. The tag is an HMAC of the row id with the secret
key, so nobody can forge a bounce for a row by writing to a guessed address. The same tag
goes into an `X-Campaign-Recipient` header, because providers' webhooks echo the headers
of the original message rather than its envelope.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app

HEADER = "X-Campaign-Recipient"
TAG = re.compile(r"^(\d{1,18})-([0-9a-f]{10})$")


def _signature(recipient_id: int) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"bounce:{recipient_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:10]


def tag(recipient_id: int) -> str:
    """`1234-5f0c9a1e2b`: the row id and its signature."""
    return f"{recipient_id}-{_signature(recipient_id)}"


def recipient_of_tag(text: str) -> int | None:
    """The row id of a tag, or None if it is malformed or its signature does not match."""
    found = TAG.match(text.strip().lower())
    if found is None:
        return None
    recipient_id = int(found.group(1))
    if not hmac.compare_digest(found.group(2), _signature(recipient_id)):
        return None
    return recipient_id


def return_path(recipient_id: int | None) -> str | None:
    """The envelope sender for one row, or None when BOUNCE_ADDRESS is not configured."""
    base = current_app.config.get("BOUNCE_ADDRESS", "")
    if not base or recipient_id is None or "@" not in base:
        return None
    local, _, domain = base.rpartition("@")
    return f"{local}+{tag(recipient_id)}@{domain}"


def recipient_of_address(address: str) -> int | None:
    """The row id encoded in a VERP address (`local+TAG@domain`), verified, or None."""
    local = address.strip().strip("<>").rpartition("@")[0]
    if "+" not in local:
        return None
    return recipient_of_tag(local.rpartition("+")[2])
