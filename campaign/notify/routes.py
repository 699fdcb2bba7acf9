"""The user's own pages: notifications and profile settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for
from campaign.formdata import required
from campaign.notify import services
from campaign.notify.forms import ProfileForm
from campaign.statements.forms import timezone_names

bp = Blueprint("notify", __name__)
require_login_for(bp)


@bp.get("/notifications")
def index() -> str:
    """The in-app list; opening it is what marks the notifications read."""
    shown = services.recent(current_user)
    unread = {n.id for n in shown if n.read_at is None}
    services.mark_all_read(current_user)
    return render_template("notify/index.html", notifications=shown, unread=unread)


@bp.route("/profile", methods=["GET", "POST"])
def profile() -> ResponseReturnValue:
    form = ProfileForm()
    if form.validate_on_submit():
        services.save_preferences(current_user, required(form.timezone.data), form.channels())
        flash("Your settings are saved.", "success")
        return redirect(url_for("notify.profile"))
    if not form.is_submitted():
        form.timezone.data = services.user_zone(current_user)
        for event, field in form.channel_fields():
            field.data = services.channel(current_user, event).value
    status = 422 if form.errors else 200
    return render_template("notify/profile.html", form=form, zones=timezone_names()), status


@bp.app_context_processor
def _personal() -> dict[str, object]:
    """The signed-in user's zone and unread count, for every staff page's top bar."""
    if not getattr(current_user, "is_authenticated", False):
        return {"user_zone": "UTC", "unread_notifications": 0}
    return {
        "user_zone": services.user_zone(current_user),
        "unread_notifications": services.unread_count(current_user),
    }
