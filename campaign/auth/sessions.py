"""Server-side control over signed session cookies.

Flask's session is a signed cookie: clearing it in the browser does not stop a copy from
working. Each cookie therefore names the user's `session_version`; signing out, changing the
password or deactivating the account raises that number, and every cookie issued before is
refused when it is next loaded. A cookie also carries the time of its last request, so a
session left idle longer than SESSION_IDLE_MINUTES ends too.
"""

from __future__ import annotations

from flask import Flask, current_app, flash, session
from flask_login import login_user, logout_user
from sqlalchemy import update

from campaign import clock
from campaign.auth.models import User
from campaign.extensions import db, login_manager

SEEN_KEY = "_seen"
# Refresh the idle timestamp at most this often, so a busy page does not rewrite the cookie on
# every request.
SEEN_GRANULARITY = 30


def load_user(cookie_id: str) -> User | None:
    """The user a cookie names, if its session version is still current and the user active."""
    user_id, _, version = cookie_id.partition("-")
    if not (user_id.isdigit() and version.isdigit()) or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session (and single-use link) issued to `user` so far; commits."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user)


def start_session(user: User) -> None:
    """Sign `user` in on this browser and note the time (shown on the admin Users page)."""
    session.clear()
    login_user(user)
    session[SEEN_KEY] = int(clock.now().timestamp())
    user.last_login_at = clock.now()
    db.session.commit()


def sign_out(user: User) -> None:
    """End this session and, with it, any copy of its cookie."""
    end_sessions(user)
    logout_user()
    session.clear()


def _expire_idle_session() -> None:
    if "_user_id" not in session:
        return
    now = int(clock.now().timestamp())
    seen = session.get(SEEN_KEY)
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if idle_limit and isinstance(seen, int) and now - seen > idle_limit:
        session.clear()
        flash("Your session ended after a period of inactivity; please sign in again.", "info")
        return
    if not isinstance(seen, int) or now - seen >= SEEN_GRANULARITY:
        session[SEEN_KEY] = now


def init_sessions(app: Flask) -> None:
    """Install the loader and the idle check (before any blueprint's own checks)."""
    login_manager.user_loader(load_user)
    app.before_request(_expire_idle_session)
