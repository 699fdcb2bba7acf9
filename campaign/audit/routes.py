"""The audit log page, for admins."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from campaign.audit.names import action_name
from campaign.audit.services import recent_events
from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission

bp = Blueprint("audit", __name__, url_prefix="/admin")
require_login_for(bp)
bp.add_app_template_filter(action_name, "action_name")


@bp.get("/audit")
@requires(Permission.ADMIN)
def index() -> str:
    subject_type = request.args.get("type") or None
    subject_id = request.args.get("id", type=int)
    events = recent_events(500, subject_type, subject_id)
    return render_template("audit/index.html", events=events)
