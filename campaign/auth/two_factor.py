"""Two-factor sign-in with TOTP authenticator apps, plus single-use recovery codes.

The secret is stored in the users row (an attacker who can read the database can already do
more than sign in); recovery codes are stored only as hashes and each works once.
"""

from __future__ import annotations

import hmac
import secrets

import pyotp
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.extensions import db

RECOVERY_CODE_COUNT = 10
ISSUER = "Campaign Desk"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """What an authenticator app imports (typed in, or as a QR code made elsewhere)."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def matching_step(secret: str, code: str) -> int | None:
    """The 30-second step whose code `code` is (now or a neighbour, for clock drift)."""
    code = "".join(code.split())
    if not (secret and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(clock.now())
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str) -> bool:
    return matching_step(secret, code) is not None


def _normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor on if `code` proves the app holds `secret`; returns recovery codes."""
    if not code_matches(secret, code):
        return None
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    user.totp_secret = secret
    user.recovery_codes = [generate_password_hash(code, method=method) for code in codes]
    record(user, "user.two_factor_enabled", user, {})
    db.session.commit()
    return codes


def disable(user: User) -> None:
    user.totp_secret = ""
    user.recovery_codes = []
    record(user, "user.two_factor_disabled", user, {})
    db.session.commit()


def verify(user: User, code: str) -> bool:
    """Accept an authenticator code not used before, or use up one recovery code."""
    step = matching_step(user.totp_secret, code)
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed: this code (or a later one) was already used
        user.totp_last_step = step
        db.session.commit()
        return True
    given = _normalize(code)
    for stored in user.recovery_codes:
        if given and check_password_hash(stored, given):
            user.recovery_codes = [other for other in user.recovery_codes if other != stored]
            record(user, "user.recovery_code_used", user, {"left": len(user.recovery_codes)})
            db.session.commit()
            return True
    return False


def required_for(user: User) -> bool:
    """TWO_FACTOR_ROLES (comma-separated role names) must enrol before using the desk."""
    names = {name.strip() for name in current_app.config["TWO_FACTOR_ROLES"].split(",")}
    return user.role in {role for role in Role if role.value in names}
