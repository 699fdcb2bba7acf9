"""The admins' organization settings page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from campaign.auth.access import require_login_for, requires
from campaign.auth.roles import Permission
from campaign.site.forms import MEDIA_CONTACT_ROWS, ProfileForm
from campaign.site.services import Organization, organization, save_profile

bp = Blueprint("site", __name__, url_prefix="/admin")
require_login_for(bp)
public_bp = Blueprint("site_public", __name__)

TEXT_FIELDS = (
    "name",
    "postal_address",
    "boilerplate",
    "accent_colour",
    "sender_name",
    "sender_address",
    "public_base_url",
)


@bp.route("/settings", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def settings() -> ResponseReturnValue:
    current = organization()
    form = ProfileForm()
    for name in current.pinned.intersection(TEXT_FIELDS):
        form[name].data = getattr(current, name)  # disabled inputs are not submitted
    if form.validate_on_submit():
        changed = save_profile(current_user, _values(form))
        flash("Settings saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("site.settings"))
    if not form.is_submitted():
        _fill(form, current)
    for name in current.pinned:
        if name in form:
            form[name].render_kw = {"disabled": True}
    return render_template("site/settings.html", form=form, organization=current)


@public_bp.get("/organization/logo")
def logo() -> Response:
    """The organization's logo, public like the PDFs and pages that show it."""
    current = organization()
    if not current.logo:
        abort(404)
    response = Response(current.logo, mimetype=current.logo_mime_type or "image/png")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _fill(form: ProfileForm, current: Organization) -> None:
    for name in TEXT_FIELDS:
        form[name].data = getattr(current, name)
    while len(form.media_contacts) > 0:
        form.media_contacts.pop_entry()
    for contact in current.media_contacts:
        form.media_contacts.append_entry(contact)
    while len(form.media_contacts) < MEDIA_CONTACT_ROWS:
        form.media_contacts.append_entry()


def _values(form: ProfileForm) -> dict[str, Any]:
    values: dict[str, Any] = {name: (form[name].data or "").strip() for name in TEXT_FIELDS}
    values["media_contacts"] = form.contacts()
    if form.logo.data:
        values["logo"] = form.logo.data.content
        values["logo_mime_type"] = form.logo.data.mime_type
    elif form.remove_logo.data:
        values["logo"] = None
    return values
