"""The providers' bounce and complaint webhook.

Providers (or a small adapter in front of one) POST JSON events to /webhooks/bounces with
`X-Campaign-Signature: sha256=<hex HMAC-SHA256 of the raw body with BOUNCE_WEBHOOK_SECRET>`.
No login and no CSRF token (a server calls it); the signature is the credential, compared
in constant time, and nothing is read from the body before it matches. Without a configured
secret every call is refused.

    {"events": [{"type": "bounce", "severity": "permanent", "email": "a@b.example",
                 "recipient": "<X-Campaign-Recipient header>", "diagnostic": "550 5.1.1"},
                {"type": "complaint", "email": "c@d.example", "recipient": "..."}]}
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from campaign.bounces import verp
from campaign.bounces.parse import Bounce, Kind
from campaign.bounces.services import apply_all
from campaign.errors import bad_request
from campaign.extensions import csrf

bp = Blueprint("bounce_webhook", __name__)
MAX_EVENTS = 1000


def signature_ok(body: bytes, header: str) -> bool:
    """Whether `header` is the HMAC of `body` with the configured secret."""
    secret = current_app.config.get("BOUNCE_WEBHOOK_SECRET", "")
    if not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.removeprefix("sha256=").strip().lower(), expected)


def _event(data: Any) -> Bounce | None:
    if not isinstance(data, dict):
        return None
    kind = str(data.get("type", "")).lower()
    if kind == "complaint":
        found = Kind.COMPLAINT
    elif kind == "bounce":
        permanent = str(data.get("severity", "permanent")).lower() in ("permanent", "hard")
        found = Kind.HARD if permanent else Kind.SOFT
    else:
        return None
    tag = str(data.get("recipient", ""))
    return Bounce(
        found,
        verp.recipient_of_tag(tag) if tag else None,
        str(data.get("email", ""))[:254],
        str(data.get("diagnostic", ""))[:400] or f"{kind} reported by the mail provider",
    )


@bp.post("/webhooks/bounces")
@csrf.exempt
def receive() -> ResponseReturnValue:
    """Record the bounces and complaints a provider reports."""
    body = request.get_data(cache=False)
    if not signature_ok(body, request.headers.get("X-Campaign-Signature", "")):
        abort(403, description="bad or missing signature")
    try:
        payload = json.loads(body)
    except ValueError:
        bad_request("the body is not JSON")
    events = payload.get("events", [payload]) if isinstance(payload, dict) else payload
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        bad_request(f"send a list of at most {MAX_EVENTS} events")
    bounces = [found for found in map(_event, events) if found is not None]
    return jsonify(results=apply_all(bounces, trust_address=True))
