"""The staff user account."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Enum, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.auth.roles import ROLE_PERMISSIONS, Permission, Role
from campaign.dbtypes import UTCDateTime
from campaign.extensions import db


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def is_active(self) -> bool:
        return self.active

    def can(self, permission: Permission) -> bool:
        """True when this user's role grants `permission`."""
        return permission in ROLE_PERMISSIONS[self.role]

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
