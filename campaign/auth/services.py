"""Creating accounts, checking passwords, and the account changes that end sessions."""

from __future__ import annotations

import functools
import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.auth.sessions import end_sessions
from campaign.courier.headers import one_line
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.pagination import Page, paginate

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user-facing reason why an account could not be created or changed."""


def _hash(password: str) -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    return generate_password_hash(password, method=method)


@functools.cache
def _decoy_hash(method: str) -> str:
    """A hash of nothing anyone knows, made once, checked for unknown addresses."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def normalize_email(address: str) -> str:
    """Validate an address without a DNS lookup and return its normalized form."""
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(str(error)) from error


def check_new_password(password: str) -> None:
    """Refuse a password too short to be worth hashing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def create_user(
    email: str, name: str, role: Role, password: str | None, actor: User | None = None
) -> User:
    """Create a staff account; the password is stored only as a salted hash.

    With `password` None (an invitation) the account gets an unguessable password nobody
    knows until the invitee sets their own through the emailed link.
    """
    email = normalize_email(email)
    if password is not None:
        check_new_password(password)
    if find_user(email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    secret = password if password is not None else secrets.token_urlsafe(32)
    user = User(email=email, name=one_line(name) or email, role=role, password_hash=_hash(secret))
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", user, {"email": email, "role": role.value})
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    """Look an account up by email, ignoring case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email_key(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None.

    Exactly one password-hash check runs whether or not the address has an account (a decoy
    hash for unknown ones), so response time does not reveal which addresses exist.
    """
    user = find_user(email)
    if user is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        check_password_hash(_decoy_hash(method), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session and reset link issued before it."""
    check_new_password(password)
    user.password_hash = _hash(password)
    record(user, "user.password_changed", user, {})
    db.session.commit()
    end_sessions(user)


def change_password(user: User, current: str, new: str) -> None:
    """A signed-in user's change, which needs the current password."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("The current password is not right.")
    set_password(user, new)


def change_role(user: User, role: Role, actor: User) -> None:
    """Give `user` another role; their sessions end so every page is rechecked."""
    if user.id == actor.id:
        raise AccountError("You cannot change your own role; ask another admin.")
    before = user.role
    user.role = role
    record(actor, "user.role_changed", user, {"from": before.value, "to": role.value})
    db.session.commit()
    end_sessions(user)


def set_active(user: User, active: bool, actor: User) -> None:
    """Deactivate (ending all sessions at once) or reactivate an account."""
    if user.id == actor.id:
        raise AccountError("You cannot deactivate your own account.")
    user.active = active
    record(actor, "user.activated" if active else "user.deactivated", user, {})
    db.session.commit()
    end_sessions(user)


def users_page(page: int) -> Page[User]:
    """One page of accounts, active first, then by name."""
    return paginate(select(User).order_by(User.active.desc(), User.name, User.id), page)
