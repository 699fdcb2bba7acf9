"""Sign-in and sign-out."""

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
from flask_login import login_required, login_user, logout_user

from campaign.auth.forms import LoginForm
from campaign.auth.services import authenticate
from campaign.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _submitted_email() -> str:
    return (request.form.get("email") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only follow `next` to a path on this site, never to another host."""
    if target and target.startswith("/") and not urlsplit(target).netloc:
        return target
    return url_for("campaigns.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email, deduct_when=_failed)
def login() -> Response | str | tuple[str, int]:
    """Failed attempts count against both the address and the client IP (see LOGIN_RATE_LIMIT)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong email or password.", "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
