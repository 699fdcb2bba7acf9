"""Emailed links that let someone set a password: a reset, or an admin's invitation.

A link names the user by id plus a digest of their current password hash and session
version. Setting a password changes both, so each link works once; deactivating or signing
out everywhere also kills links still in flight. Links expire after PASSWORD_RESET_MAX_AGE
(reset) or INVITATION_MAX_AGE (invitation).
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, render_template

from campaign.auth.models import User
from campaign.auth.services import find_user
from campaign.extensions import db
from campaign.mail.services import dispatch, queue_mail
from campaign.tokens import TokenExpired, TokenInvalid, make_token, read_token
from campaign.urls import external_url

RESET = "password-reset"
INVITATION = "account-invitation"
_MAX_AGE_SETTING = {RESET: "PASSWORD_RESET_MAX_AGE", INVITATION: "INVITATION_MAX_AGE"}
_ENDPOINT = {RESET: "auth.reset_password", INVITATION: "auth.accept_invitation"}


class LinkNotValid(Exception):
    """The link is forged, expired, or was already used."""


def _state_digest(user: User) -> str:
    state = f"{user.password_hash}|{user.session_version}".encode()
    return hashlib.sha256(state).hexdigest()[:32]


def link_for(purpose: str, user: User) -> str:
    token = make_token(purpose, {"u": user.id, "s": _state_digest(user)})
    return external_url(_ENDPOINT[purpose], token=token)


def user_for(purpose: str, token: str) -> User:
    """The user a still-valid link was made for; LinkNotValid otherwise."""
    max_age = current_app.config[_MAX_AGE_SETTING[purpose]]
    try:
        data = read_token(purpose, token, max_age=max_age)
    except (TokenExpired, TokenInvalid) as error:
        raise LinkNotValid() from error
    user_id = data.get("u") if isinstance(data, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not hmac.compare_digest(str(data.get("s")), _state_digest(user)):
        raise LinkNotValid()
    if purpose == RESET and not user.active:
        raise LinkNotValid()
    return user


def send_reset_link(email: str) -> None:
    """Mail a reset link if an active account uses `email`; silent otherwise (no oracle)."""
    user = find_user(email)
    if user is None or not user.active:
        return
    _send(RESET, user, "Reset your Campaign Desk password")


def send_invitation(user: User) -> None:
    """Mail a new account's invitation, through which the invitee chooses a password."""
    _send(INVITATION, user, "You are invited to Campaign Desk")


def _send(purpose: str, user: User, subject: str) -> None:
    hours = current_app.config[_MAX_AGE_SETTING[purpose]] // 3600
    text = render_template(
        f"auth/mail/{purpose}.txt", user=user, link=link_for(purpose, user), hours=hours
    )
    mail = queue_mail(user.email, subject, text, purpose=f"auth.{purpose}")
    db.session.commit()
    dispatch(mail)
