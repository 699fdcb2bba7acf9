"""The staff user account."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.auth.roles import ROLE_PERMISSIONS, Permission, Role
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.extensions import Model


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Part of every session cookie; raising it ends all of this user's sessions at once.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in: base32 TOTP secret ("" = off) and hashes of unused recovery codes.
    totp_secret: Mapped[str] = mapped_column(String(64), default="")
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The 30-second step of the last code accepted: a code works once, even within its step.
    totp_last_step: Mapped[int | None]

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        """What the session cookie stores: the id and the session version it was issued for."""
        return f"{self.id}-{self.session_version}"

    @property
    def uses_two_factor(self) -> bool:
        return bool(self.totp_secret)

    def can(self, permission: Permission) -> bool:
        """True when this user's role grants `permission`."""
        return permission in ROLE_PERMISSIONS[self.role]

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
