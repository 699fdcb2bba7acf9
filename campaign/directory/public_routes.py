"""The personal links of an invitation: the pre-filled sign form and "we decline".

The sign page is the public sign-on page with the form filled in from the directory; it
posts to the ordinary sign-on route, so confirmation, duplicates and limits are the same.
A new signature of the organization (or address) marks the invitation signed (see
recruiting.py). Declining needs a POST: mail scanners open links.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

from campaign.directory import recruiting
from campaign.directory.models import Invitation
from campaign.extensions import csrf, db, limiter
from campaign.signon.forms import ResendForm, SignOnForm, TokenActionForm
from campaign.signon.questions import sign_form
from campaign.signon.services import accepting, signers_for
from campaign.statements.models import Statement
from campaign.tokens import TokenExpired, TokenInvalid
from press.markdown import render_markdown

bp = Blueprint("directory_public", __name__)


def _message(title: str, text: str, status: int = 200, **extra: object) -> tuple[str, int]:
    return render_template("signon/message.html", title=title, text=text, **extra), status


def _invitation(token: str, purpose: str) -> Invitation | None:
    try:
        return recruiting.invitation_from(token, purpose)
    except (TokenExpired, TokenInvalid):
        return None


def _prefilled(invitation: Invitation) -> SignOnForm:
    organization = invitation.organization
    form = sign_form(db.session.get_one(Statement, invitation.statement_id), formdata=None)
    form.signers = signers_for(db.session.get_one(Statement, invitation.statement_id))
    form.organization.data = organization.name
    form.org_type.data, form.scope.data = organization.org_type.value, organization.scope.value
    form.city.data, form.region.data = organization.city, organization.region
    form.country.data = organization.country or form.country.data
    form.website.data = organization.website
    form.contact_name.data, form.contact_email.data = invitation.contact_name, invitation.email
    return form


@bp.get("/invite/<token>")
def invited(token: str) -> ResponseReturnValue:
    invitation = _invitation(token, recruiting.INVITE)
    if invitation is None:
        return _message("Link not valid", "This invitation link is not valid or has expired.", 404)
    statement = db.session.get_one(Statement, invitation.statement_id)
    if not accepting(statement):
        return _message(
            "Sign-on is closed", "This statement is not taking signatures.", statement=statement
        )
    recruiting.mark_opened(invitation)
    version = statement.published_version
    assert version is not None, "accepting() requires a published version"
    return render_template(
        "signon/sign.html",
        statement=statement,
        embedded=False,
        form=_prefilled(invitation),
        version=version,
        html=render_markdown(version.body),
        resend=ResendForm(),
    )


def _signon_limit() -> str:
    return current_app.config["SIGNON_RATE_LIMIT"]


@bp.route("/invite/<token>/decline", methods=["GET", "POST"])
@csrf.exempt  # the form's own signed token (SignedCSRF), as on the sign-on pages
@limiter.limit(_signon_limit, methods=["POST"])
def decline(token: str) -> ResponseReturnValue:
    invitation = _invitation(token, recruiting.DECLINE)
    if invitation is None:
        return _message("Link not valid", "This link is not valid or has expired.", 404)
    statement = db.session.get_one(Statement, invitation.statement_id)
    form = TokenActionForm()
    name = invitation.organization.name
    if form.validate_on_submit():
        if not recruiting.decline(invitation):
            return _message(
                "Already signed",
                f"{name} has signed; to withdraw, use the link in the confirmation email.",
                409,
                statement=statement,
            )
        return _message(
            "Thank you for letting us know",
            f"We will not ask {name} about this letter again.",
            statement=statement,
        )
    return render_template(
        "directory/decline.html", invitation=invitation, statement=statement, form=form
    )
