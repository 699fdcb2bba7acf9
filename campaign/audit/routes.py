"""The audit log page, for admins: filters, pages and a CSV of what the filters match."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from campaign.audit import search
from campaign.audit.forms import AuditFilterForm
from campaign.audit.names import action_name
from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.csvsafe import csv_response
from campaign.notify.services import user_zone
from campaign.urlconverters import requested_page

bp = Blueprint("audit", __name__, url_prefix="/admin")
require_login_for(bp)
bp.add_app_template_filter(action_name, "action_name")


def _query(form: AuditFilterForm) -> search.AuditQuery:
    return search.AuditQuery(
        who=(form.who.data or "").strip()[:200],
        action=form.action.data or "",
        subject_type=form.type.data or "",
        subject_id=form.id.data,
        since=form.since.data,
        until=form.until.data,
        zone=user_zone(current_user),
        page=requested_page(),
    )


def _form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.set_choices(search.known_actions(), search.known_subject_types())
    form.validate()
    return form


@bp.get("/audit")
@requires(Permission.ADMIN)
def index() -> tuple[str, int]:
    form = _form()
    query = _query(form) if not form.errors else search.AuditQuery(zone=user_zone(current_user))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit/index.html", form=form, page=search.page_of_events(query), args=args
    ), (422 if form.errors else 200)


@bp.get("/audit.csv")
@requires(Permission.ADMIN)
def export() -> Response:
    form = _form()
    query = _query(form) if not form.errors else search.AuditQuery()
    return csv_response(search.events_csv(query), "audit-log.csv")
