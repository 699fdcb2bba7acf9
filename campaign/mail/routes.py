"""Staff page of single mails that need a look: failed after their attempts, possibly
delivered, or waiting for a retry, each with its last error."""

from __future__ import annotations

from flask import Blueprint, render_template

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.mail.services import troubled_mail

bp = Blueprint("mail", __name__)
require_login_for(bp)


@bp.get("/outgoing-mail")
@requires(Permission.ADMIN)
def troubled() -> str:
    """Admins only: the rows hold signers' and partners' addresses."""
    return render_template("mail/troubled.html", rows=troubled_mail())
