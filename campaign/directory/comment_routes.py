"""Staff review of "why we sign" comments on one statement."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.directory.comments import approved_comments, comments_for_review, set_approval
from campaign.extensions import db
from campaign.signon.models import Signature
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.urlconverters import requested_page

bp = Blueprint("comments", __name__, url_prefix="/statements/<int:statement_id>/comments")
require_login_for(bp)


@bp.get("")
def index(statement_id: int) -> str:
    statement = db.get_or_404(Statement, statement_id)
    return render_template(
        "directory/comments.html",
        statement=statement,
        signatures=comments_for_review(statement, requested_page()),
        form=ActionForm(),
    )


@bp.post("/<int:signature_id>")
@requires(Permission.MODERATE)
def decide(statement_id: int, signature_id: int) -> ResponseReturnValue:
    signature = db.get_or_404(Signature, signature_id)
    if signature.statement_id != statement_id:
        abort(404)
    if ActionForm().validate_on_submit():
        approved = request.form.get("decision") == "approve"
        set_approval(signature, approved, current_user)
        flash("Comment shown publicly." if approved else "Comment hidden.", "success")
    return redirect(url_for("comments.index", statement_id=statement_id))


@bp.app_context_processor
def _public_comments() -> dict[str, Any]:
    """Lets the public statement page list approved comments without changing its view."""
    return {"approved_comments": approved_comments}
