"""Sign-in, sign-out, and the password pages (change, forgotten, invitation)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from campaign.auth import links
from campaign.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, ResetRequestForm
from campaign.auth.services import AccountError, authenticate, change_password, set_password
from campaign.auth.sessions import sign_out, start_session
from campaign.auth.two_factor_routes import begin_two_factor
from campaign.emailkey import email_key
from campaign.extensions import limiter
from campaign.formdata import add_error, required

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _submitted_email() -> str:
    return email_key(request.form.get("email") or "")


def safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site, never to another host."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and "\\" not in target
    ):
        return target
    return url_for("campaigns.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email, deduct_when=_failed)
def login() -> ResponseReturnValue:
    """Failed attempts count against both the address and the client IP (see LOGIN_RATE_LIMIT)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(required(form.email.data), required(form.password.data))
        if user is not None:
            target = safe_next(request.args.get("next"))
            if user.uses_two_factor:
                return begin_two_factor(user, target)
            start_session(user)
            return redirect(target)
        flash("Wrong email or password.", "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Ends this user's sessions on the server, so a copied cookie stops working too."""
    sign_out(current_user._get_current_object())
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change one's own password; every other session of this account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, required(form.current.data), required(form.password.data))
        except AccountError as error:
            add_error(form.current, str(error))
            return render_template("auth/password.html", form=form), 422
        start_session(user)
        flash("Your password is changed; other sessions were signed out.", "info")
        return redirect(url_for("campaigns.index"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot() -> ResponseReturnValue:
    """The answer is the same whether or not the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        links.send_reset_link(required(form.email.data))
        flash(
            "If an account uses that address, a link to choose a new password is on its way.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


def _set_password_page(purpose: str, token: str, template: str) -> ResponseReturnValue:
    try:
        user = links.user_for(purpose, token)
    except links.LinkNotValid:
        return render_template("auth/link_invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, required(form.password.data))
        except AccountError as error:
            add_error(form.password, str(error))
            return render_template(template, form=form, user=user), 422
        flash("Your password is set; please sign in.", "info")
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template(template, form=form, user=user), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    """The emailed reset link: choose a new password once, before the link expires."""
    return _set_password_page(links.RESET, token, "auth/reset.html")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    """The emailed invitation: the invitee chooses the account's first password."""
    return _set_password_page(links.INVITATION, token, "auth/reset.html")
