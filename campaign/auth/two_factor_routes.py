"""The second sign-in step and the pages to set up or turn off two-factor sign-in."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash

from campaign import clock
from campaign.auth import two_factor
from campaign.auth.forms import CodeForm, PasswordConfirmForm
from campaign.auth.models import User
from campaign.auth.sessions import load_user, start_session
from campaign.extensions import limiter
from campaign.formdata import add_error, required

bp = Blueprint("two_factor", __name__, url_prefix="/auth/two-factor")
PENDING = "_2fa_pending"
SETUP_SECRET = "_2fa_setup"
PENDING_SECONDS = 300


def begin_two_factor(user: User, target: str) -> ResponseReturnValue:
    """Password accepted: remember who, for five minutes, until the code is given."""
    session.clear()
    session[PENDING] = {"id": user.get_id(), "at": int(clock.now().timestamp()), "next": target}
    return redirect(url_for("two_factor.verify"))


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None, ""
    if clock.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None, ""
    return load_user(str(pending.get("id", ""))), str(pending.get("next", "/"))


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def verify() -> ResponseReturnValue:
    user, target = _pending_user()
    if user is None:
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, required(form.code.data)):
            start_session(user)
            return redirect(target)
        add_error(form.code, "That code is not right.")
        return render_template("auth/two_factor_verify.html", form=form), 401
    return render_template("auth/two_factor_verify.html", form=form)


@bp.route("/setup", methods=["GET", "POST"])
@login_required
def setup() -> ResponseReturnValue:
    """Show a new secret; it is saved only once a code from the app proves it was taken."""
    user = current_user._get_current_object()
    form = CodeForm()
    secret = session.get(SETUP_SECRET) or two_factor.new_secret()
    session[SETUP_SECRET] = secret
    if form.validate_on_submit():
        codes = two_factor.enable(user, secret, required(form.code.data))
        if codes is not None:
            session.pop(SETUP_SECRET, None)
            return render_template("auth/two_factor_codes.html", codes=codes)
        add_error(form.code, "That code is not right; check the app's clock and try again.")
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        uri=two_factor.provisioning_uri(user, secret),
        off_form=PasswordConfirmForm(),
    )


@bp.post("/disable")
@login_required
def disable() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = PasswordConfirmForm()
    if two_factor.required_for(user):
        flash("Your role must use two-factor sign-in.", "error")
    elif form.validate_on_submit() and check_password_hash(
        user.password_hash, required(form.password.data)
    ):
        two_factor.disable(user)
        flash("Two-factor sign-in is off.", "info")
    else:
        flash("The password is not right.", "error")
    return redirect(url_for("two_factor.setup"))


def _enforce_enrolment() -> ResponseReturnValue | None:
    """Roles listed in TWO_FACTOR_ROLES reach nothing but the setup page until enrolled."""
    if request.endpoint in {"two_factor.setup", "auth.logout", "static"}:
        return None
    if not current_user.is_authenticated or current_user.uses_two_factor:
        return None
    if two_factor.required_for(current_user):
        flash("Your role must use two-factor sign-in; set it up to continue.", "info")
        return redirect(url_for("two_factor.setup"))
    return None


def init_two_factor(app: Flask) -> None:
    app.before_request(_enforce_enrolment)
