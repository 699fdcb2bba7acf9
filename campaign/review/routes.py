"""Staff pages for partner review, and the partner's page reached through a review link."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.errors import bad_request
from campaign.extensions import db, limiter
from campaign.formdata import add_error, required
from campaign.review import services
from campaign.review.forms import CommentForm, ReviewLinkForm
from campaign.review.models import ReviewComment, ReviewLink
from campaign.review.paragraphs import blocks
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement, StatementVersion
from campaign.statements.services import UnknownVersion, get_version

bp = Blueprint("review", __name__)
require_login_for(bp)
public_bp = Blueprint("review_public", __name__, url_prefix="/review")


@bp.app_template_global("review_summary")
def review_summary(statement: Statement) -> services.ReviewSummary:
    """For the review panel on the statement page (templates/review/_panel.html)."""
    return services.review_summary(statement)


def _statement_version(statement_id: int, number: int) -> tuple[Statement, StatementVersion]:
    statement = db.get_or_404(Statement, statement_id)
    try:
        return statement, get_version(statement, number)
    except UnknownVersion as error:
        abort(404, description=str(error))


def _review_page(statement: Statement, version: StatementVersion, form: ReviewLinkForm) -> str:
    return render_template(
        "review/version.html",
        statement=statement,
        version=version,
        blocks=blocks(version.body),
        comments=services.comments_on(version),
        links=services.links_for(version),
        form=form,
        action_form=ActionForm(),
        invitation_url=services.invitation_url,
    )


@bp.get("/statements/<int:statement_id>/versions/<int:number>/review")
def version(statement_id: int, number: int) -> str:
    """The version with partner comments beside its paragraphs, and its review links."""
    statement, shown = _statement_version(statement_id, number)
    return _review_page(statement, shown, ReviewLinkForm())


@bp.post("/statements/<int:statement_id>/versions/<int:number>/review/links")
@requires(Permission.EDIT)
def create_link(statement_id: int, number: int) -> ResponseReturnValue:
    statement, shown = _statement_version(statement_id, number)
    form = ReviewLinkForm()
    if form.validate_on_submit():
        partners = form.chosen_partners()
        try:
            services.create_link(
                statement,
                shown,
                current_user,
                partners,
                required(form.days.data),
                form.message.data or "",
            )
        except services.ReviewError as error:
            flash(str(error), "error")
        else:
            flash(f"Review link sent to {len(partners)} partner contact(s).", "success")
            return redirect(url_for("review.version", statement_id=statement_id, number=number))
    return _review_page(statement, shown, form), 422


@bp.post("/review-links/<int:link_id>/revoke")
@requires(Permission.EDIT)
def revoke(link_id: int) -> ResponseReturnValue:
    link = db.get_or_404(ReviewLink, link_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    if services.revoke_link(link, current_user):
        flash("The review link no longer opens.", "success")
    else:
        flash("That link had already been withdrawn.", "error")
    version = link.version
    return redirect(
        url_for("review.version", statement_id=version.statement_id, number=version.number)
    )


@bp.post("/review-comments/<int:comment_id>/resolve")
@requires(Permission.EDIT)
def resolve(comment_id: int) -> ResponseReturnValue:
    comment = db.get_or_404(ReviewComment, comment_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    if not services.resolve_comment(comment, current_user):
        flash("Someone had already resolved that comment.", "error")
    version = db.session.get_one(StatementVersion, comment.version_id)
    return redirect(
        url_for("review.version", statement_id=version.statement_id, number=version.number)
        + f"#paragraph-{comment.paragraph}"
    )


def _comment_limit() -> str:
    return current_app.config["REVIEW_COMMENT_RATE_LIMIT"]


@public_bp.after_request
def _private(response: Response) -> Response:
    """A draft is not public: no caching on the way, no token leaking through Referer.

    `same-origin` rather than `no-referrer`: over HTTPS, Flask-WTF refuses a form POST that
    carries no Referer at all, and same-origin already keeps the token from other sites.
    """
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@public_bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit(_comment_limit, methods=["POST"])
def draft(token: str) -> ResponseReturnValue:
    """No account needed: the signed token names the invitee, the database says if it is valid."""
    try:
        invitee = services.open_invitation(token)
    except services.LinkRefused as refused:
        return render_template("review/refused.html", reason=str(refused)), refused.status
    form = CommentForm()
    status = 200
    if form.validate_on_submit():
        if form.website.data:
            return redirect(url_for("review_public.draft", token=token))
        try:
            comment = services.add_comment(
                invitee, required(form.paragraph.data), required(form.body.data)
            )
        except services.ReviewError as error:
            add_error(form.body, str(error))
            status = 422
        else:
            flash("Thank you: your comment was sent to the campaign staff.", "success")
            anchor = f"#paragraph-{comment.paragraph}"
            return redirect(url_for("review_public.draft", token=token) + anchor)
    elif form.is_submitted():
        status = 422
    version = invitee.link.version
    return render_template(
        "review/partner.html",
        invitee=invitee,
        version=version,
        blocks=blocks(version.body),
        comments=services.comments_on(version, invitee),
        form=form,
    ), status
