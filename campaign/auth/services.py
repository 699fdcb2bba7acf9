"""Creating accounts and checking passwords."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A user-facing reason why an account could not be created."""


def _hash(password: str) -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    return generate_password_hash(password, method=method)


def normalize_email(address: str) -> str:
    """Validate an address without a DNS lookup and return its normalized form."""
    try:
        return validate_email(address, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(str(error)) from error


def create_user(email: str, name: str, role: Role, password: str) -> User:
    """Create a staff account; the password is stored only as a salted hash."""
    email = normalize_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if find_user(email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    user = User(email=email, name=name.strip() or email, role=role, password_hash=_hash(password))
    db.session.add(user)
    db.session.flush()
    record(None, "user.created", user, {"email": email, "role": role.value})
    db.session.commit()
    return user


def find_user(email: str) -> User | None:
    """Look an account up by email, ignoring case."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None.

    A hash is computed even for an unknown address so that response time does not reveal
    which addresses have accounts.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_hash("timing-equaliser"), password)
        return None
    if not user.active or not check_password_hash(user.password_hash, password):
        return None
    return user
