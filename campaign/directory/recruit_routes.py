"""Staff recruitment page of a letter: who was asked, what they answered, invite more."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.directory import recruiting
from campaign.directory.models import Organization
from campaign.directory.routes import letters
from campaign.directory.search import DirectoryFilter, regions, search
from campaign.extensions import db
from campaign.pagination import paginate
from campaign.signon.models import OrgType, Scope
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement
from campaign.urlconverters import requested_page

bp = Blueprint("recruitment", __name__, url_prefix="/statements/<int:statement_id>/recruitment")
require_login_for(bp)
PER_PAGE = 50


@bp.get("")
def show(statement_id: int) -> str:
    statement = db.get_or_404(Statement, statement_id)
    filters = DirectoryFilter.from_args(request.args)
    rows, counts = recruiting.recruitment(statement)
    matches = None
    if request.args.get("find"):
        matches = paginate(search(filters), requested_page(), PER_PAGE)
    return render_template(
        "directory/recruitment.html",
        statement=statement,
        rows=rows,
        counts=counts,
        filters=filters,
        matches=matches,
        letters=letters(),
        regions=regions(),
        types=OrgType,
        scopes=Scope,
        form=ActionForm(),
    )


def _chosen() -> list[Organization]:
    """The organizations ticked by hand, or every match of the filter if asked for."""
    if request.form.get("all_matching"):
        return list(db.session.scalars(search(DirectoryFilter.from_args(request.form))))
    ids = [int(v) for v in request.form.getlist("organization_id") if v.isdigit()]
    query = select(Organization).where(
        Organization.id.in_(ids), Organization.merged_into_id.is_(None)
    )
    return list(db.session.scalars(query))


@bp.post("/invite")
@requires(Permission.EDIT)
def invite(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if not ActionForm().validate_on_submit():
        flash("The form expired; try again.", "error")
        return redirect(url_for("recruitment.show", statement_id=statement.id))
    chosen = _chosen()
    if not chosen:
        flash("Choose at least one organization.", "error")
        return redirect(url_for("recruitment.show", statement_id=statement.id))
    try:
        report = recruiting.invite(statement, chosen, current_user)
    except recruiting.RecruitmentError as error:
        flash(str(error), "error")
    else:
        _report(report)
    return redirect(url_for("recruitment.show", statement_id=statement.id))


def _report(report: recruiting.InviteReport) -> None:
    flash(f"{len(report.invited)} invitation(s) sent.", "success")
    for names, why in (
        (report.already, "already invited"),
        (report.unreachable, "on the do-not-contact or suppression list, not invited"),
        (report.no_contact, "no contact email on file, not invited"),
    ):
        if names:
            flash(f"{len(names)} {why}: {', '.join(names[:10])}", "error")
