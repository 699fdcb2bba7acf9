"""Public sign-on pages (no login): the form, its iframe version, and the emailed links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from campaign.attest.links import domain_link, receipt_link
from campaign.attest.services import current_root
from campaign.embargo.services import public_version
from campaign.errors import bad_request
from campaign.extensions import csrf, db, limiter
from campaign.formdata import required
from campaign.hooks import add_panel
from campaign.public.lookup import published_statement
from campaign.signon import mails, panel, services, versions
from campaign.signon.forms import ResendForm, SignOnForm, TokenActionForm
from campaign.signon.listing import list_is_public, listed_statuses, requires_approval
from campaign.signon.models import OrgType, Scope, Signature, SignerKind
from campaign.signon.names import referral_code
from campaign.signon.questions import answers_of, sign_form
from campaign.statements.models import Statement
from campaign.tokens import TokenExpired, TokenInvalid, read_token
from press.markdown import render_markdown

bp = Blueprint("signon_public", __name__)
add_panel(bp, "public-statement-signatories", "signon/_public_list.html")


def _limit() -> str:
    return current_app.config["SIGNON_RATE_LIMIT"]


def _post_limited(view: Any) -> Any:
    """Per-IP limit on POSTs; CSRF comes from the form's signed token (see csrf.py)."""
    return csrf.exempt(limiter.limit(_limit, methods=["POST"])(view))


def _message(title: str, text: str, status: int = 200, **extra: Any) -> tuple[str, int]:
    return render_template("signon/message.html", title=title, text=text, **extra), status


def _signer(form: SignOnForm) -> services.Signer:
    individual = form.kind is SignerKind.INDIVIDUAL
    name = (
        required(form.contact_name.data).strip()
        if individual
        else required(form.organization.data).strip()
    )
    return services.Signer(
        organization=name,
        contact_name=required(form.contact_name.data).strip(),
        contact_email=required(form.contact_email.data),
        org_type=OrgType(form.org_type.data),
        scope=Scope(form.scope.data),
        city=form.city.data or "",
        region=form.region.data or "",
        country=form.country.data or "",
        website=form.website.data or "",
        logo=form.checked_logo,
        kind=form.kind,
        referral_code=referral_code(form.partner.data),
        comment=form.comment.data or "",
        answers=answers_of(form),
        title=(form.person_title.data or "").strip() if individual else "",
        affiliation=(form.affiliation.data or "").strip() if individual else "",
    )


def _sign(slug: str, embedded: bool) -> ResponseReturnValue:
    statement = published_statement(slug)
    page: dict[str, Any] = {"statement": statement, "embedded": embedded}
    closed = ("Sign-on is closed", "This statement is not taking signatures.")
    form = sign_form(statement)
    # Held for the request: the later look-ups of the settings find it in the session.
    settings = services.settings_for(statement.id)
    form.signers = services.signers_for(statement)
    if form.validate_on_submit():
        if form.is_bot:
            return _message("Thank you", "Please check your email to confirm.", **page)
        try:
            result = services.sign_on(statement, _signer(form))
        except services.SignOnClosed:
            return _message(*closed, **page)
        # By the slug it was found by: after the commit, `statement` would be read again.
        return render_template("signon/thanks.html", result=result, slug=slug, **page)
    if not (settings and services.accepting(statement)):
        return _message(*closed, **page)
    if not form.is_submitted():
        form.partner.data = referral_code(request.args.get("partner"))
    version = public_version(statement)
    assert version is not None, "accepting() is false for a statement without public text"
    status = 422 if form.errors else 200
    template = "signon/embed.html" if embedded else "signon/sign.html"
    html = render_markdown(version.body)
    response = render_template(
        template, form=form, version=version, html=html, resend=ResendForm(), **page
    )
    return response, status


@bp.route("/s/<slug>/sign", methods=["GET", "POST"])
@_post_limited
def sign(slug: str) -> ResponseReturnValue:
    return _sign(slug, embedded=False)


@bp.route("/s/<slug>/embed", methods=["GET", "POST"])
@_post_limited
def embed(slug: str) -> ResponseReturnValue:
    """The form for a partner's iframe: no site chrome; EMBED_FRAME_ANCESTORS may frame it."""
    return _sign(slug, embedded=True)


@bp.post("/s/<slug>/resend")
@_post_limited
def resend(slug: str) -> ResponseReturnValue:
    """A new confirmation link; the answer is the same whether or not the address matched."""
    statement = published_statement(slug)
    form = ResendForm()
    if form.validate_on_submit():
        signature = services.pending_by_email(statement, required(form.email.data))
        if signature is not None:
            services.resend_confirmation(signature)
    return _message(
        "Check your email",
        "If a signature waiting for confirmation uses that address, a new link is on its way.",
        statement=statement,
    )


def _signature_from(purpose: str, token: str, max_age: int | None = None) -> Signature:
    data = read_token(purpose, token, max_age=max_age)
    signature = db.session.get(Signature, data.get("sig"))
    if signature is None or ("email" in data and data["email"] != signature.email_key):
        raise TokenInvalid("no such signature")
    return signature


def _statement_of(signature: Signature) -> Statement:
    return db.session.get_one(Statement, signature.statement_id)


def _ask(signature: Signature, question: str, button: str) -> str:
    """The page an emailed link opens: one button, because mail scanners follow links."""
    return render_template(
        "signon/ask.html",
        signature=signature,
        statement=_statement_of(signature),
        question=question,
        button=button,
        form=TokenActionForm(),
    )


@bp.route("/signon/confirm/<token>", methods=["GET", "POST"])
@_post_limited
def confirm(token: str) -> ResponseReturnValue:
    """GET only asks; the POST from its button confirms."""
    max_age = current_app.config["SIGNON_CONFIRM_MAX_AGE"]
    try:
        signature = _signature_from(mails.CONFIRM, token, max_age)
    except TokenExpired:
        return render_template("signon/expired.html", token=token, form=TokenActionForm()), 410
    except TokenInvalid:
        return _message("Link not valid", "This confirmation link is not valid.", 404)
    if not TokenActionForm().validate_on_submit():
        return _ask(signature, f"Confirm the signature of {signature.shown_name}?", "Confirm")
    statement = _statement_of(signature)
    if not services.confirm(signature):
        return _message(
            "Signature not active",
            f"The signature of {signature.shown_name} was {signature.status.label.lower()}.",
            409,
            statement=statement,
        )
    return render_template(
        "signon/confirmed.html",
        signature=signature,
        statement=statement,
        withdraw=mails.withdraw_link(signature),
        needs_approval=requires_approval(statement.id),
        **_attest_links(signature),
    )


def _attest_links(signature: Signature) -> dict[str, str]:
    """The receipt (once a signed root lists the signature) and the domain-verification link."""
    root = current_root(_statement_of(signature))
    listed = root is not None and signature.id in root.signature_ids
    return {
        "receipt": receipt_link(signature) if listed else "",
        "domain_link": domain_link(signature) if signature.website else "",
    }


@bp.post("/signon/confirm/<token>/renew")
@_post_limited
def renew(token: str) -> ResponseReturnValue:
    """An expired link proves who asked; the new link goes to the stored address only."""
    try:
        signature = _signature_from(mails.CONFIRM, token)
    except TokenInvalid:
        return _message("Link not valid", "This confirmation link is not valid.", 404)
    if not TokenActionForm().validate_on_submit():
        bad_request("The form expired; open the link from your email again.")
    if not services.resend_confirmation(signature):
        return _message("Nothing to confirm", "This signature no longer needs confirming.")
    return _message("Check your email", "A new confirmation link is on its way.")


@bp.route("/signon/withdraw/<token>", methods=["GET", "POST"])
@_post_limited
def withdraw(token: str) -> ResponseReturnValue:
    """GET only asks: mail scanners open links, and must not withdraw anyone."""
    try:
        signature = _signature_from(mails.WITHDRAW, token)
    except (TokenInvalid, TokenExpired):
        return _message("Link not valid", "This withdrawal link is not valid.", 404)
    form = TokenActionForm()
    statement = _statement_of(signature)
    if form.validate_on_submit():
        services.withdraw(signature)
        return _message(
            "Signature withdrawn",
            f"{signature.shown_name} is no longer listed as a signatory.",
            statement=statement,
        )
    return render_template(
        "signon/withdraw.html", signature=signature, statement=statement, form=form
    )


@bp.route("/signon/reconfirm/<token>", methods=["GET", "POST"])
@_post_limited
def reconfirm(token: str) -> ResponseReturnValue:
    """GET only asks; the POST from its button signs the current text."""
    try:
        data = read_token(mails.RECONFIRM, token)
        signature = _signature_from(mails.RECONFIRM, token)
    except (TokenInvalid, TokenExpired):
        return _message("Link not valid", "This link is not valid.", 404)
    if not TokenActionForm().validate_on_submit():
        question = f"Does {signature.shown_name} sign the current text?"
        return _ask(signature, question, "Yes, we sign the current text")
    statement = _statement_of(signature)
    if not versions.reconfirm(signature, data.get("v")):
        return _message(
            "Link out of date",
            "This link is for a text that is no longer current, or the signature is not active.",
            409,
            statement=statement,
        )
    return _message(
        "Thank you",
        f"{signature.shown_name} is now listed as signing the current text.",
        statement=statement,
    )


@bp.get("/s/<slug>/logos/<int:signature_id>")
def logo(slug: str, signature_id: int) -> Response:
    """A listed signatory's logo; unlisted signatures' logos are never served."""
    statement = published_statement(slug)
    signature = db.session.get(Signature, signature_id)
    shown = listed_statuses(requires_approval(statement.id))
    if (
        signature is None
        or signature.statement_id != statement.id
        or signature.status not in shown
        or not signature.has_logo
        or not list_is_public(statement.id)
    ):
        abort(404)
    response = Response(signature.logo, mimetype=signature.logo_mime)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.app_context_processor
def _public_panel() -> dict[str, Any]:
    """For the signatory list on the public statement page (hook "public-statement-signatories")."""
    return {"signon_panel": panel.public_panel}
