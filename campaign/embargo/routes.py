"""Staff actions on a scheduled publication, and the journalists' preview links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.embargo import previews, services
from campaign.embargo.forms import LiftForm, RescheduleForm
from campaign.embargo.models import PreviewLink, Publication
from campaign.errors import bad_request
from campaign.extensions import db
from campaign.formdata import required
from campaign.statements.forms import ActionForm
from campaign.statements.models import Statement

bp = Blueprint("embargo", __name__)
require_login_for(bp)


def _back(statement: Statement) -> ResponseReturnValue:
    return redirect(url_for("statements.show", statement_id=statement.id))


def _refused(statement: Statement, error: Exception) -> ResponseReturnValue:
    flash(str(error), "error")
    return _back(statement)


@bp.post("/statements/<int:statement_id>/publication/cancel")
@requires(Permission.PUBLISH)
def cancel(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    try:
        services.cancel(statement, current_user)
    except services.EmbargoError as error:
        return _refused(statement, error)
    flash("The scheduled publication was cancelled; the release stays unpublished.", "success")
    return _back(statement)


@bp.post("/statements/<int:statement_id>/publication/reschedule")
@requires(Permission.PUBLISH)
def reschedule(statement_id: int) -> ResponseReturnValue:
    statement = db.get_or_404(Statement, statement_id)
    form = RescheduleForm()
    if not form.validate_on_submit():
        return _refused(statement, ValueError("Give a date and time for the publication."))
    try:
        services.reschedule(statement, current_user, form.when())
    except services.EmbargoError as error:
        return _refused(statement, error)
    flash("The publication time was changed.", "success")
    return _back(statement)


@bp.post("/statements/<int:statement_id>/publication/lift")
@requires(Permission.PUBLISH)
def lift(statement_id: int) -> ResponseReturnValue:
    """Lift the embargo of a scheduled publication now, for a reason the audit log keeps."""
    statement = db.get_or_404(Statement, statement_id)
    form = LiftForm()
    if not form.validate_on_submit() or services.scheduled_for(statement) is None:
        return _refused(statement, ValueError("Say why the embargo is lifted early."))
    try:
        services.lift_now(statement, current_user, required(form.reason.data))
    except services.EmbargoError as error:
        return _refused(statement, error)
    flash("The embargo was lifted and the release is public now.", "success")
    return _back(statement)


@bp.get("/statements/<int:statement_id>/previews")
@requires(Permission.PRESS)
def preview_links(statement_id: int) -> str:
    """Who received a personal preview link, how often each was opened, and revocation."""
    statement = db.get_or_404(Statement, statement_id)
    return render_template(
        "embargo/previews.html",
        statement=statement,
        links=previews.links_for(statement),
        form=ActionForm(),
    )


@bp.post("/preview-links/<int:link_id>/revoke")
@requires(Permission.PRESS)
def revoke(link_id: int) -> ResponseReturnValue:
    link = db.get_or_404(PreviewLink, link_id)
    if not ActionForm().validate_on_submit():
        bad_request()
    previews.revoke(link.id, current_user)
    flash(f"The preview link of {link.email} no longer works.", "success")
    return redirect(url_for("embargo.preview_links", statement_id=link.statement_id))


@dataclass(frozen=True)
class _PanelForms:
    reschedule: RescheduleForm
    lift: LiftForm
    action: ActionForm


def _forms_for(scheduled: Publication | None) -> _PanelForms:
    """The panel's forms; the time field starts at the scheduled time in the embargo's zone."""
    reschedule = RescheduleForm(formdata=None)
    if scheduled is not None:
        zone = scheduled.version.embargo_timezone
        reschedule.timezone.data = zone
        local = scheduled.publish_at.astimezone(ZoneInfo(zone))
        reschedule.publish_at.data = local.replace(tzinfo=None)
    return _PanelForms(reschedule, LiftForm(formdata=None), ActionForm(formdata=None))


@bp.app_context_processor
def _statement_panel_helpers() -> dict[str, Any]:
    """For templates/embargo/_panel.html, included by the statement page."""
    from campaign.newsroom.services import is_featured

    return {
        "embargo_scheduled": services.scheduled_for,
        "embargo_available_at": services.available_at,
        "embargo_forms_for": _forms_for,
        "newsroom_featured": is_featured,
    }
