"""Admin pages for staff accounts: list, invite, change role, deactivate."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm

from campaign.auth import links
from campaign.auth.access import require_login_for, requires
from campaign.auth.forms import ActionForm, InviteForm, RoleForm
from campaign.auth.models import User
from campaign.auth.roles import Permission, Role
from campaign.auth.services import AccountError, change_role, create_user, set_active, users_page
from campaign.extensions import db
from campaign.formdata import add_error, required
from campaign.urlconverters import requested_page

bp = Blueprint("users", __name__, url_prefix="/admin/users")
require_login_for(bp)


def _user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/", methods=["GET", "POST"])
@requires(Permission.ADMIN)
def index() -> ResponseReturnValue:
    """Every account with its last sign-in, and the invitation form."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                required(form.email.data),
                required(form.name.data),
                Role(form.role.data),
                None,
                actor=current_user,
            )
        except AccountError as error:
            add_error(form.email, str(error))
        else:
            links.send_invitation(user)
            flash(f"Invitation sent to {user.email}.", "info")
            return redirect(url_for("users.index"))
    return render_template(
        "auth/users.html",
        users=users_page(requested_page()),
        form=form,
        role_form=RoleForm(),
        action_form=ActionForm(),
    ), (422 if form.errors else 200)


def _change(form: FlaskForm, change: Callable[[], str]) -> ResponseReturnValue:
    """Run an admin's change of an account if the form is valid; flash what happened."""
    if form.validate_on_submit():
        try:
            flash(change(), "info")
        except AccountError as error:
            flash(str(error), "error")
    return redirect(url_for("users.index"))


@bp.post("/<int:user_id>/role")
@requires(Permission.ADMIN)
def role(user_id: int) -> ResponseReturnValue:
    user, form = _user(user_id), RoleForm()

    def change() -> str:
        change_role(user, Role(form.role.data), current_user)
        return f"{user.email} is now {user.role.label.lower()}; their sessions ended."

    return _change(form, change)


@bp.post("/<int:user_id>/active")
@requires(Permission.ADMIN)
def active(user_id: int) -> ResponseReturnValue:
    """Toggle: deactivating ends every session of that user at once."""
    user = _user(user_id)

    def change() -> str:
        set_active(user, not user.active, current_user)
        state = "reactivated" if user.active else "deactivated; their sessions ended"
        return f"{user.email} is {state}."

    return _change(ActionForm(), change)
