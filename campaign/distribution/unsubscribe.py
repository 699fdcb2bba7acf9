"""The public unsubscribe link of every distribution email (no login; the signed token is
the credential).

GET only shows a button, because mail scanners follow links; POST unsubscribes. Mail clients
that honour List-Unsubscribe-Post (RFC 8058) POST "List-Unsubscribe=One-Click" to the same
address without a CSRF token, so this route is exempt from CSRF.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from campaign.contacts.models import Contact
from campaign.contacts.services import unsubscribe
from campaign.distribution.message import UNSUBSCRIBE_PATH, UNSUBSCRIBE_PURPOSE
from campaign.extensions import csrf, db
from campaign.tokens import TokenInvalid, address_digest, read_token

bp = Blueprint("unsubscribe", __name__)


def _contact_id(token: str) -> int | None:
    """The contact the link was mailed to, if it still exists with that address."""
    try:
        data = read_token(UNSUBSCRIBE_PURPOSE, token)
    except TokenInvalid:
        return None
    contact_id = data.get("c") if isinstance(data, dict) else None
    if not isinstance(contact_id, int):
        return None
    contact = db.session.get(Contact, contact_id)
    if contact is None or address_digest(contact.email_key) != data.get("e"):
        return None
    return contact_id


@bp.route(UNSUBSCRIBE_PATH + "<token>", methods=["GET", "POST"])
@csrf.exempt
def page(token: str) -> tuple[str, int] | str:
    contact_id = _contact_id(token)
    if contact_id is None:
        return render_template("distribution/unsubscribe.html", state="invalid"), 404
    if request.method == "POST":
        unsubscribe(contact_id)
        return render_template("distribution/unsubscribe.html", state="done")
    return render_template("distribution/unsubscribe.html", state="confirm", token=token)
