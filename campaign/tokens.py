"""Signed, expiring tokens for links in emails (confirm, withdraw, unsubscribe, review).

Each purpose has its own salt, so a token made for one link can never be replayed on another.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from campaign.emailkey import email_key


class TokenExpired(Exception):
    """The signature is good but the token is older than allowed; `data` says what it was for."""

    def __init__(self, data: Any) -> None:
        super().__init__("token expired")
        self.data = data


class TokenInvalid(Exception):
    """The token was not made by this server for this purpose."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"campaign-desk:{purpose}")


def make_token(purpose: str, data: Any) -> str:
    """Sign `data` (JSON-serializable) for `purpose`."""
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str, max_age: int | None = None) -> Any:
    """The data signed in `token`; raises TokenExpired or TokenInvalid."""
    serializer = _serializer(purpose)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        payload = serializer.loads_unsafe(token)[1]
        raise TokenExpired(payload) from error
    except BadSignature as error:
        raise TokenInvalid(str(error)) from error


def address_digest(address: str) -> str:
    """A short digest of an email address, signed into links next to a row id.

    Ids can come back (SQLite reuses the highest one after a delete; a restore from backup
    replays them), so a link names its subject by id *and* address: a link mailed to a
    deleted contact does nothing to a new row that happens to get the same id.
    """
    return hashlib.sha256(email_key(address).encode()).hexdigest()[:16]
