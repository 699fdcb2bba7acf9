"""Staff pages of the printable sign-on sheet: download it, type in its entries."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.directory import paper
from campaign.extensions import db
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement

bp = Blueprint("sheet", __name__, url_prefix="/statements/<int:statement_id>/sheet")
require_login_for(bp)
FIELDS = ("name", "contact_name", "email", "title", "city", "region")


@bp.get("")
def show(statement_id: int) -> str:
    statement = db.get_or_404(Statement, statement_id)
    return render_template(
        "directory/sheet.html",
        statement=statement,
        signatures=paper.paper_signatures(statement),
        form=ActionForm(),
    )


@bp.get("/pdf")
def pdf(statement_id: int) -> Response:
    statement = db.get_or_404(Statement, statement_id)
    return Response(
        paper.sheet_pdf(statement),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename=sign-on-sheet-{statement.slug}.pdf"},
    )


@bp.post("")
@requires(Permission.MODERATE)
def add(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if ActionForm().validate_on_submit():
        values = {name: request.form.get(name, "")[:254] for name in FIELDS}
        entry = paper.PaperEntry(**values, individual=request.form.get("individual") == "y")
        try:
            signature = paper.add_paper_signature(statement, entry, current_user)
        except paper.PaperError as error:
            flash(str(error), "error")
        else:
            flash(f"{signature.organization} added as a paper signature.", "success")
    return redirect(url_for("sheet.show", statement_id=statement.id))
